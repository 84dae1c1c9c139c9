/**
 * Canonical chat requests to an OpenAI Responses upstream and its answers back, for models that
 * only the Responses API serves (OpenAI's `-pro` and `-codex` models: "This model is only supported
 * in v1/responses and not in v1/chat/completions"), and for servers that speak nothing else. Types
 * come from the official SDK (type-only imports).
 */
import type { Response, ResponseInputItem, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { newCompletionId } from './ids';
import { refuseAudioAnswer, responsesInputFile, unreadPart, type FilePart } from './content-parts';
import { imageUrlOf, type ChatCompletion, type ChatCompletionChunk, type ChatRequest, type Delta, type Message } from './canonical';
import { toolsChosen } from './tool-choice';

type Finish = ChatCompletionChunk['choices'][number]['finish_reason'];
type Part = { type: string; text?: string; refusal?: string; image_url?: unknown };

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return (content as Part[]).map((p) => p.text ?? p.refusal ?? '').join('');
  return '';
}

function userContent(content: unknown, index: number): string | Record<string, unknown>[] {
  if (typeof content === 'string') return content;
  return ((content ?? []) as Part[]).map((part, j) => {
    if (part.type === 'text') return { type: 'input_text', text: part.text ?? '' };
    if (part.type === 'image_url') return { type: 'input_image', image_url: imageUrlOf(part, `messages[${index}].content[${j}]`), detail: (part.image_url as { detail?: string } | undefined)?.detail ?? 'auto' };
    if (part.type === 'file') return responsesInputFile(part as FilePart, `messages[${index}].content[${j}]`);
    throw unreadPart(part.type, `messages[${index}].content[${j}]`, 'Responses API');
  });
}

/**
 * A chat request as a Responses request: leading system messages become `instructions` and later
 * ones developer messages in place; tool calls and results become `function_call` items and their
 * outputs. Nothing is stored upstream (`store: false`): the client resends the history, as with chat.
 */
export function chatToResponses(request: ChatRequest): Record<string, unknown> {
  refuseAudioAnswer(request, 'Responses API');
  const instructions: string[] = [];
  const input: ResponseInputItem[] = [];
  request.messages.forEach((message, i) => {
    if (message.role === 'system' || message.role === 'developer') {
      if (input.length === 0) instructions.push(textOf(message.content));
      else input.push({ type: 'message', role: 'developer', content: textOf(message.content) });
    } else if (message.role === 'user') {
      input.push({ type: 'message', role: 'user', content: userContent(message.content, i) } as ResponseInputItem);
    } else if (message.role === 'assistant') {
      const text = textOf(message.content);
      if (text) input.push({ type: 'message', role: 'assistant', content: text });
      for (const call of message.tool_calls ?? []) {
        if (call.type === 'function') input.push({ type: 'function_call', call_id: call.id, name: call.function.name, arguments: call.function.arguments });
      }
    } else if (message.role === 'tool') {
      input.push({ type: 'function_call_output', call_id: message.tool_call_id, output: textOf(message.content) });
    }
  });
  const body: Record<string, unknown> = { model: request.model, input, store: false };
  if (instructions.length > 0) body.instructions = instructions.join('\n\n');
  const limit = request.max_completion_tokens ?? request.max_tokens;
  if (limit != null) body.max_output_tokens = limit;
  if (request.temperature != null) body.temperature = request.temperature;
  if (request.top_p != null) body.top_p = request.top_p;
  if (request.reasoning_effort != null) body.reasoning = { effort: request.reasoning_effort };
  if (request.parallel_tool_calls != null) body.parallel_tool_calls = request.parallel_tool_calls;
  const tools = (request.tools ?? []).flatMap((t) => (t.type === 'function' ? [{ type: 'function', name: t.function.name, ...(t.function.description ? { description: t.function.description } : {}), parameters: t.function.parameters ?? { type: 'object', properties: {} }, strict: t.function.strict ?? false }] : []));
  if (tools.length > 0) {
    body.tools = tools;
    const choice = request.tool_choice;
    if (typeof choice === 'string') body.tool_choice = choice;
    else if (choice?.type === 'function') body.tool_choice = { type: 'function', name: choice.function.name };
    else if (choice?.type === 'allowed_tools') {
      const { allowed, mode } = toolsChosen(request);
      body.tool_choice = { type: 'allowed_tools', mode, tools: allowed.map((t) => ({ type: 'function', name: t.function.name })) };
    }
  }
  const format = request.response_format;
  if (format?.type === 'json_schema') body.text = { format: { type: 'json_schema', name: format.json_schema.name, schema: format.json_schema.schema ?? {}, ...(format.json_schema.strict != null ? { strict: format.json_schema.strict } : {}) } };
  else if (format?.type === 'json_object') body.text = { format: { type: 'json_object' } };
  return body;
}

/** The Responses API's counts in chat terms (cached and reasoning tokens included, as chat has them). */
function usageOf(usage: Response['usage'] | null | undefined): ChatCompletion['usage'] {
  const prompt = usage?.input_tokens ?? 0;
  const completion = usage?.output_tokens ?? 0;
  // Cache writes ride as Anthropic names them, as every translation reads them (canonical.ts).
  const written = (usage?.input_tokens_details as { cache_write_tokens?: number } | undefined)?.cache_write_tokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: usage?.total_tokens ?? prompt + completion,
    prompt_tokens_details: { cached_tokens: usage?.input_tokens_details?.cached_tokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: usage?.output_tokens_details?.reasoning_tokens ?? 0 },
    ...(written > 0 ? { cache_creation_input_tokens: written } : {}),
  } as ChatCompletion['usage'];
}

function finishOf(response: Pick<Response, 'status' | 'incomplete_details'>, calls: number): Finish {
  if (calls > 0) return 'tool_calls';
  if (response.status === 'incomplete') return response.incomplete_details?.reason === 'content_filter' ? 'content_filter' : 'length';
  return 'stop';
}

/**
 * Between two messages of one answer (GPT-5.3-codex and later say a commentary preamble before the
 * final answer, each its own output item), and between reasoning summary parts: one chat message
 * holds them all, and glued they would read as one run-on sentence.
 */
const BETWEEN_PARTS = '\n\n';

/** A whole Response as a chat completion: its text, reasoning summaries and function calls. */
export function completionFromResponse(value: Record<string, unknown>): ChatCompletion {
  const response = value as unknown as Response;
  const texts: string[] = [];
  const thoughts: string[] = [];
  let refusal = '';
  const toolCalls: NonNullable<Message['tool_calls']> = [];
  for (const item of response.output ?? []) {
    if (item.type === 'message') {
      let text = '';
      for (const part of item.content ?? []) {
        if (part.type === 'output_text') text += part.text;
        else if (part.type === 'refusal') refusal += part.refusal;
      }
      if (text) texts.push(text);
    } else if (item.type === 'reasoning') {
      for (const part of reasoningParts(item)) if (part.text) thoughts.push(part.text);
    } else if (item.type === 'function_call') {
      toolCalls.push({ id: item.call_id, type: 'function', function: { name: item.name, arguments: item.arguments } });
    }
  }
  const content = texts.join(BETWEEN_PARTS);
  const reasoning = thoughts.join(BETWEEN_PARTS);
  const message: Message = { role: 'assistant', content: toolCalls.length > 0 && !content ? null : content, refusal: refusal || null };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reasoning) message.reasoning_content = reasoning;
  return {
    id: newCompletionId(),
    object: 'chat.completion',
    created: response.created_at ?? Math.floor(Date.now() / 1000),
    model: response.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishOf(response, toolCalls.length) as ChatCompletion['choices'][number]['finish_reason'] }],
    usage: usageOf(response.usage),
  };
}

/**
 * A stateful translator from a Responses stream's events to chat chunks: text and reasoning-summary
 * deltas, each function call its own tool-call index (its arguments as fragments), then the finish
 * reason and a usage-only chunk from the event that ends the stream. Some servers send no deltas
 * (gpt-5.3-codex-spark at times): a part's `done` event (or its item's) gives it whole, and what it
 * holds beyond what its deltas gave goes on, so a call is never left with empty arguments.
 */
export function createResponsesChunkTranslator(): (event: { data: Record<string, unknown> }) => ChatCompletionChunk[] {
  const id = newCompletionId();
  let created = Math.floor(Date.now() / 1000);
  let model = '';
  /** Output item id -> tool-call index. */
  const calls = new Map<string, number>();
  /** What each part (a text, a summary, a call's arguments) has given so far, by its key. */
  const given = new Map<string, string>();
  const chunk = (delta: Delta, finish: Finish = null): ChatCompletionChunk => ({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
  // The message (or summary part) the last text came from: text from another is set apart, as whole.
  let textFrom: string | undefined;
  let thoughtFrom: string | undefined;
  const apart = (from: string | undefined, part: string, delta: string) => (from === undefined || from === part ? delta : BETWEEN_PARTS + delta);
  /** A part's next piece, noted as given; a whole part gives what it holds beyond the pieces before it (nothing if they differ). */
  const piece = (key: string, text: string | undefined, whole: boolean): string => {
    if (!text) return '';
    const before = given.get(key) ?? '';
    const more = !whole ? text : text.startsWith(before) ? text.slice(before.length) : '';
    if (more) given.set(key, before + more);
    return more;
  };
  const text = (item: string, part: number, delta: string | undefined, whole: boolean): ChatCompletionChunk[] => {
    const more = piece(`text:${item}:${part}`, delta, whole);
    if (!more) return [];
    const content = apart(textFrom, item, more);
    textFrom = item;
    return [chunk({ content })];
  };
  /** `part`: a summary part's index, or `c` and a reasoning text's (the full reasoning LM Studio and vLLM give). */
  const thought = (item: string, part: number | string, delta: string | undefined, whole: boolean): ChatCompletionChunk[] => {
    const more = piece(`thought:${item}:${part}`, delta, whole);
    if (!more) return [];
    const from = `${item}:${part}`;
    const reasoning_content = apart(thoughtFrom, from, more);
    thoughtFrom = from;
    return [chunk({ reasoning_content })];
  };
  const call = (item: { id?: string; call_id: string; name: string; arguments?: string }): ChatCompletionChunk[] => {
    const key = item.id ?? item.call_id;
    if (calls.has(key)) return [];
    const index = calls.size;
    calls.set(key, index);
    const args = piece(`args:${key}`, item.arguments, false);
    return [chunk({ tool_calls: [{ index, id: item.call_id, type: 'function', function: { name: item.name, arguments: args } }] })];
  };
  const args = (key: string, delta: string | undefined, whole: boolean): ChatCompletionChunk[] => {
    const index = calls.get(key);
    const more = index === undefined ? '' : piece(`args:${key}`, delta, whole);
    return more ? [chunk({ tool_calls: [{ index: index!, function: { arguments: more } }] })] : [];
  };
  return ({ data }) => {
    const event = data as unknown as ResponseStreamEvent;
    switch (event.type) {
      case 'response.created':
        created = event.response.created_at ?? created;
        model = event.response.model;
        return [chunk({ role: 'assistant', content: '' })];
      case 'response.output_text.delta':
      case 'response.output_text.done':
        return text(event.item_id, event.content_index ?? 0, event.type === 'response.output_text.done' ? event.text : event.delta, event.type === 'response.output_text.done');
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_summary_text.done':
        return thought(event.item_id, event.summary_index, event.type === 'response.reasoning_summary_text.done' ? event.text : event.delta, event.type === 'response.reasoning_summary_text.done');
      case 'response.reasoning_text.delta':
      case 'response.reasoning_text.done':
        return thought(event.item_id, `c${event.content_index}`, event.type === 'response.reasoning_text.done' ? event.text : event.delta, event.type === 'response.reasoning_text.done');
      case 'response.output_item.added':
        return event.item.type === 'function_call' ? call(event.item) : [];
      case 'response.function_call_arguments.delta':
        return args(event.item_id, event.delta, false);
      case 'response.function_call_arguments.done':
        return args(event.item_id, event.arguments, true);
      case 'response.output_item.done': {
        // The item whole: a call never announced, the rest of a call's arguments, of a message's text, of its summary.
        const item = event.item;
        if (item.type === 'function_call') {
          const key = item.id ?? item.call_id;
          return calls.has(key) ? args(key, item.arguments, true) : call(item);
        }
        if (item.type === 'message' && item.id) return (item.content ?? []).flatMap((part, i) => (part.type === 'output_text' ? text(item.id, i, part.text, true) : []));
        if (item.type === 'reasoning') {
          const summarised = (item.summary ?? []).length > 0;
          return reasoningParts(item).flatMap((part, i) => thought(item.id, summarised ? i : `c${i}`, part.text, true));
        }
        return [];
      }
      case 'response.completed':
      case 'response.incomplete':
        return [chunk({}, finishOf(event.response, calls.size)), { id, object: 'chat.completion.chunk', created, model, choices: [], usage: usageOf(event.response.usage) }];
      default:
        return [];
    }
  };
}

/**
 * A reasoning item's text: its summary (OpenAI's, whose full reasoning is encrypted), else its
 * reasoning text (LM Studio's, vLLM's and Ollama's Responses APIs give the full reasoning so). The
 * spec requires both lists; a server that leaves one out has none of it.
 */
function reasoningParts(item: { summary?: { text: string }[] | null; content?: { type: string; text: string }[] | null }): { text: string }[] {
  return item.summary?.length ? item.summary : (item.content ?? []).filter((part) => part.type === 'reasoning_text');
}
