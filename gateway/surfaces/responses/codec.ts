/**
 * The Responses front door's codec, pure: a Responses request (as Codex and the openai SDK send it)
 * to the canonical chat shape for upstreams that do not speak Responses, and canonical answers back
 * as a Response object or as Responses stream events. Upstreams that speak Responses get the request
 * itself (pass-through); nothing here touches those.
 */
import type { Response, ResponseStreamEvent } from 'openai/resources/responses/responses';
import type { ProviderConfig } from '../../config/schema';
import { GatewayError } from '../../errors';
import { newCompletionId } from '../../wire/ids';
import { gatherToolCalls, inCallOrder, nowSeconds, type ChatCompletion, type ChatCompletionChunk, type ChatRequest, type Delta, type GatheredCall, type Message as ChatMessage } from '../../wire/canonical';

type Item = { type?: string; role?: string; [key: string]: unknown };
type Part = { type: string; [key: string]: unknown };
type Tool = { type: string; name?: string; description?: string | null; parameters?: unknown; strict?: boolean | null; format?: unknown };

/** The Responses request fields this codec reads; the rest pass through only to Responses upstreams. */
export interface ResponsesBody {
  model: string;
  input?: string | Item[];
  instructions?: string | null;
  previous_response_id?: string | null;
  tools?: Tool[];
  tool_choice?: string | { type: string; name?: string };
  parallel_tool_calls?: boolean | null;
  max_output_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  text?: { format?: { type: string; name?: string; schema?: unknown; strict?: boolean | null; description?: string } } | null;
  reasoning?: { effort?: string | null; summary?: string | null } | null;
  include?: string[] | null;
  store?: boolean | null;
  stream?: boolean | null;
  metadata?: Record<string, string> | null;
  user?: string;
  safety_identifier?: string;
  truncation?: 'auto' | 'disabled' | null;
}

/** This turn's input as items (a string input is one user message). */
export function inputItems(body: ResponsesBody): Item[] {
  if (typeof body.input === 'string') return [{ type: 'message', role: 'user', content: body.input }];
  return body.input ?? [];
}

/**
 * A Responses request as a canonical chat request. `items` is the whole conversation (earlier turns
 * of `previous_response_id` included). Hosted tools (web search and the like) need OpenAI's servers
 * and are left out; an input item only OpenAI understands is refused with its path.
 */
export function responsesToChat(body: ResponsesBody, items: readonly Item[], target: ProviderConfig['kind']): ChatRequest {
  const messages: ChatRequest['messages'] = [];
  if (body.instructions) messages.push({ role: 'system', content: body.instructions });
  let turn: { content: string; reasoning: string; calls: NonNullable<ChatMessage['tool_calls']> } | undefined;
  const assistantTurn = () => (turn ??= { content: '', reasoning: '', calls: [] });
  const flush = () => {
    if (!turn) return;
    const { content, reasoning, calls } = turn;
    messages.push({ role: 'assistant', content: calls.length > 0 && !content ? null : content, ...(calls.length > 0 ? { tool_calls: calls } : {}), ...(reasoning ? { reasoning_content: reasoning } : {}) } as ChatRequest['messages'][number]);
    turn = undefined;
  };
  items.forEach((item, i) => {
    const type = item.type ?? 'message';
    const at = `input[${i}]`;
    if (type === 'message' && item.role === 'assistant') {
      assistantTurn().content += textOf(item.content, at);
    } else if (type === 'reasoning') {
      // Summaries and reasoning text go back as reasoning; encrypted content is for OpenAI's servers only.
      const parts = [...((item.summary as Part[] | undefined) ?? []), ...((item.content as Part[] | undefined) ?? [])];
      const current = assistantTurn();
      const text = parts.map((p) => String(p.text ?? '')).join('\n');
      current.reasoning = current.reasoning && text ? `${current.reasoning}\n${text}` : current.reasoning + text;
    } else if (type === 'function_call' || type === 'custom_tool_call') {
      const args = type === 'function_call' ? String(item.arguments ?? '') : JSON.stringify({ input: String(item.input ?? '') });
      assistantTurn().calls.push({ id: String(item.call_id), type: 'function', function: { name: String(item.name), arguments: args } });
    } else if (type === 'function_call_output' || type === 'custom_tool_call_output') {
      flush();
      messages.push({ role: 'tool', tool_call_id: String(item.call_id), content: typeof item.output === 'string' ? item.output : textOf(item.output, `${at}.output`) });
    } else if (type === 'message') {
      flush();
      const role = item.role === 'developer' || item.role === 'system' ? 'system' : 'user';
      if (role === 'system') messages.push({ role, content: textOf(item.content, at) });
      else messages.push({ role, content: userContent(item.content, at) });
    } else {
      throw new GatewayError('invalid_request', `input item type "${type}" can only go to a deployment that speaks the Responses API, and this route chose another`, { param: `${at}.type` });
    }
  });
  flush();

  const request: ChatRequest = { model: body.model, messages };
  if (body.max_output_tokens != null) request.max_tokens = body.max_output_tokens;
  if (body.temperature != null) request.temperature = body.temperature;
  if (body.top_p != null) request.top_p = body.top_p;
  const user = body.safety_identifier ?? body.user;
  if (user) request.user = user;
  const tools = (body.tools ?? []).filter((t) => t.type === 'function' || t.type === 'custom');
  if (tools.length > 0) {
    request.tools = tools.map((t) => ({
      type: 'function',
      function: {
        name: String(t.name),
        ...(t.description ? { description: t.description } : {}),
        // A custom tool takes free text; as a function its text travels in one string argument.
        parameters: (t.type === 'custom' ? { type: 'object', properties: { input: { type: 'string' } }, required: ['input'] } : (t.parameters ?? { type: 'object', properties: {} })) as Record<string, unknown>,
        ...(t.type === 'function' && t.strict != null && target === 'openai' ? { strict: t.strict } : {}),
      },
    }));
    const choice = body.tool_choice;
    if (choice === 'none' || choice === 'auto' || choice === 'required') request.tool_choice = choice;
    else if (typeof choice === 'object' && (choice.type === 'function' || choice.type === 'custom') && choice.name) request.tool_choice = { type: 'function', function: { name: choice.name } };
    if (body.parallel_tool_calls === false) request.parallel_tool_calls = false;
  }
  const effort = body.reasoning?.effort;
  if (effort) request.reasoning_effort = effort as ChatRequest['reasoning_effort'];
  const format = body.text?.format;
  if (format?.type === 'json_schema') {
    request.response_format = { type: 'json_schema', json_schema: { name: format.name ?? 'response', schema: format.schema as Record<string, unknown>, ...(format.strict != null ? { strict: format.strict } : {}), ...(format.description ? { description: format.description } : {}) } };
  } else if (format?.type === 'json_object') {
    request.response_format = { type: 'json_object' };
  }
  return body.stream ? ({ ...request, stream: true, stream_options: { include_usage: true } } as ChatRequest) : request;
}

function textOf(content: unknown, at: string): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return (content as Part[])
    .map((part, j) => {
      if (part.type === 'input_text' || part.type === 'output_text' || part.type === 'text') return String(part.text ?? '');
      if (part.type === 'refusal') return String(part.refusal ?? '');
      throw new GatewayError('invalid_request', `content part type "${part.type}" cannot go here`, { param: `${at}.content[${j}].type` });
    })
    .join('');
}

/** A user message's content: text, and images as image_url parts. Files need OpenAI's servers. */
type UserPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' } };
function userContent(content: unknown, at: string): string | UserPart[] {
  if (typeof content === 'string') return content;
  const parts = ((content as Part[] | undefined) ?? []).map((part, j): UserPart => {
    if (part.type === 'input_text' || part.type === 'output_text' || part.type === 'text') return { type: 'text' as const, text: String(part.text ?? '') };
    if (part.type === 'input_image' && typeof part.image_url === 'string') {
      const detail: 'auto' | 'low' | 'high' = part.detail === 'low' || part.detail === 'high' ? part.detail : 'auto';
      return { type: 'image_url' as const, image_url: { url: part.image_url, detail } };
    }
    const what = part.type === 'input_image' ? 'an image by file_id' : `content part type "${part.type}"`;
    throw new GatewayError('invalid_request', `${what} can only go to a deployment that speaks the Responses API, and this route chose another`, { param: `${at}.content[${j}]` });
  });
  return parts.every((p) => p.type === 'text') ? parts.map((p) => (p as { text: string }).text).join('') : parts;
}

/** What a Response says about its request, the same on every event that carries it. */
export type ResponseShell = Omit<Response, 'output' | 'usage' | 'status' | 'output_text' | 'completed_at' | 'error' | 'incomplete_details'>;

export function newResponseId(): string {
  return `resp_${newCompletionId().slice(9)}`;
}

function itemId(prefix: string): string {
  return `${prefix}_${newCompletionId().slice(9)}`;
}

/** The Response's echo of the request: what was asked, with the spec's defaults filled in. */
export function responseShell(body: ResponsesBody, id: string = newResponseId()): ResponseShell {
  return {
    id,
    object: 'response',
    created_at: nowSeconds(),
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    metadata: body.metadata ?? {},
    model: body.model,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: { effort: (body.reasoning?.effort ?? null) as NonNullable<Response['reasoning']>['effort'], summary: (body.reasoning?.summary ?? null) as NonNullable<Response['reasoning']>['summary'] },
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: { format: (body.text?.format ?? { type: 'text' }) as NonNullable<Response['text']>['format'] },
    tool_choice: (body.tool_choice ?? 'auto') as Response['tool_choice'],
    tools: (body.tools ?? []).map((t) => (t.type === 'function' ? { type: 'function', name: String(t.name), description: t.description ?? null, parameters: (t.parameters ?? null) as Record<string, unknown> | null, strict: t.strict ?? null } : t)) as Response['tools'],
    top_p: body.top_p ?? 1,
    truncation: body.truncation ?? 'disabled',
  } as ResponseShell;
}

type Usage = NonNullable<Response['usage']>;

/** Canonical usage in the Responses API's terms. */
export function responseUsage(usage: ChatCompletion['usage'] | null | undefined): Usage {
  const input = usage?.prompt_tokens ?? 0;
  const output = usage?.completion_tokens ?? 0;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: usage?.prompt_tokens_details?.cached_tokens ?? 0, cache_write_tokens: (usage as { cache_creation_input_tokens?: number } | null | undefined)?.cache_creation_input_tokens ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: usage?.completion_tokens_details?.reasoning_tokens ?? 0 },
    total_tokens: usage?.total_tokens ?? input + output,
  } as Usage;
}

type OutputItem = Response['output'][number];

/** A canonical tool call as an output item: a custom tool's call carries its free text as `input`. */
function callItem(call: { id: string; name: string; arguments: string }, custom: ReadonlySet<string | undefined>, status: 'in_progress' | 'completed'): OutputItem {
  const callId = call.id || itemId('call');
  if (custom.has(call.name)) {
    return { type: 'custom_tool_call', id: itemId('ctc'), call_id: callId, name: call.name, input: customInput(call.arguments) } as OutputItem;
  }
  return { type: 'function_call', id: itemId('fc'), call_id: callId, name: call.name, arguments: call.arguments || '{}', status } as OutputItem;
}

function customInput(text: string): string {
  try {
    const value = JSON.parse(text || '{}') as { input?: unknown };
    return typeof value.input === 'string' ? value.input : text;
  } catch {
    return text;
  }
}

function customTools(body: ResponsesBody): Set<string | undefined> {
  return new Set((body.tools ?? []).filter((t) => t.type === 'custom').map((t) => t.name));
}

/** The status a finish reason gives a Response, and why it is incomplete when it is. */
function ending(finish: string | null | undefined): Pick<Response, 'status' | 'incomplete_details'> {
  if (finish === 'length') return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  if (finish === 'content_filter') return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  return { status: 'completed', incomplete_details: null };
}

const messageItem = (id: string, text: string, status: 'in_progress' | 'completed'): OutputItem =>
  ({ id, type: 'message', role: 'assistant', status, content: text || status === 'completed' ? [{ type: 'output_text', text, annotations: [], logprobs: [] }] : [] }) as OutputItem;

const reasoningItem = (id: string, text: string | undefined): OutputItem => ({ id, type: 'reasoning', summary: text === undefined ? [] : [{ type: 'summary_text', text }] }) as OutputItem;

/** A canonical completion as a Response. */
export function completionToResponse(completion: ChatCompletion, body: ResponsesBody, shell: ResponseShell = responseShell(body)): Response {
  const choice = completion.choices[0];
  const message = choice?.message as ChatMessage | undefined;
  const output: OutputItem[] = [];
  if (message?.reasoning_content) output.push(reasoningItem(itemId('rs'), message.reasoning_content));
  if (message?.content) output.push(messageItem(itemId('msg'), message.content, 'completed'));
  const custom = customTools(body);
  for (const call of message?.tool_calls ?? []) {
    if (call.type === 'function') output.push(callItem({ id: call.id, name: call.function.name, arguments: call.function.arguments }, custom, 'completed'));
  }
  const end = ending(choice?.finish_reason);
  return { ...shell, ...end, completed_at: end.status === 'completed' ? nowSeconds() : null, error: null, output, usage: responseUsage(completion.usage) } as Response;
}

/**
 * Canonical chunks as Responses stream events, numbered from 0: `response.created` and
 * `response.in_progress`, then output items as they come (reasoning with its summary text, the
 * message with its text part), then every tool call as a whole item in call order (parallel calls
 * keep their own items even when their fragments arrive interleaved), then `response.completed` (or
 * `response.incomplete`) carrying the whole Response and its usage.
 */
export function createResponseEventWriter(body: ResponsesBody, shell: ResponseShell = responseShell(body)) {
  let sequence = 0;
  let started = false;
  let open: { kind: 'reasoning' | 'message'; id: string; index: number; text: string } | undefined;
  let finish: string | null = null;
  let usage: ChatCompletion['usage'] | null = null;
  const output: OutputItem[] = [];
  const calls = new Map<number, GatheredCall>();
  const custom = customTools(body);
  const out: ResponseStreamEvent[] = [];
  const push = (event: Record<string, unknown>) => out.push({ ...event, sequence_number: sequence++ } as unknown as ResponseStreamEvent);
  // `usage` is left out until the end: the spec has no null for it.
  const pending = () => ({ ...shell, status: 'in_progress', completed_at: null, error: null, incomplete_details: null, output: [] });
  const start = () => {
    if (started) return;
    started = true;
    push({ type: 'response.created', response: pending() });
    push({ type: 'response.in_progress', response: pending() });
  };
  const close = () => {
    if (!open) return;
    const { kind, id, index: output_index, text } = open;
    if (kind === 'reasoning') {
      const part = { type: 'summary_text', text };
      push({ type: 'response.reasoning_summary_text.done', item_id: id, output_index, summary_index: 0, text });
      push({ type: 'response.reasoning_summary_part.done', item_id: id, output_index, summary_index: 0, part });
      output.push(reasoningItem(id, text));
    } else {
      const part = { type: 'output_text', text, annotations: [], logprobs: [] };
      push({ type: 'response.output_text.done', item_id: id, output_index, content_index: 0, text, logprobs: [] });
      push({ type: 'response.content_part.done', item_id: id, output_index, content_index: 0, part });
      output.push(messageItem(id, text, 'completed'));
    }
    push({ type: 'response.output_item.done', output_index, item: output[output_index] });
    open = undefined;
  };
  const item = (kind: 'reasoning' | 'message') => {
    if (open?.kind === kind) return open;
    close();
    open = { kind, id: itemId(kind === 'reasoning' ? 'rs' : 'msg'), index: output.length, text: '' };
    const { id, index: output_index } = open;
    if (kind === 'reasoning') {
      push({ type: 'response.output_item.added', output_index, item: reasoningItem(id, undefined) });
      push({ type: 'response.reasoning_summary_part.added', item_id: id, output_index, summary_index: 0, part: { type: 'summary_text', text: '' } });
    } else {
      push({ type: 'response.output_item.added', output_index, item: messageItem(id, '', 'in_progress') });
      push({ type: 'response.content_part.added', item_id: id, output_index, content_index: 0, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } });
    }
    return open;
  };
  const drain = () => out.splice(0);
  let final: Response | undefined;
  return {
    /** The finished Response, once `finish()` has run. */
    get response() {
      return final;
    },
    events(chunk: ChatCompletionChunk): ResponseStreamEvent[] {
      start();
      if (chunk.usage) usage = chunk.usage;
      for (const choice of chunk.choices) {
        const delta = choice.delta as Delta;
        if (delta.reasoning_content) {
          const current = item('reasoning');
          current.text += delta.reasoning_content;
          push({ type: 'response.reasoning_summary_text.delta', item_id: current.id, output_index: current.index, summary_index: 0, delta: delta.reasoning_content });
        }
        if (delta.content) {
          const current = item('message');
          current.text += delta.content;
          push({ type: 'response.output_text.delta', item_id: current.id, output_index: current.index, content_index: 0, delta: delta.content, logprobs: [] });
        }
        gatherToolCalls(calls, delta);
        if (choice.finish_reason) finish = choice.finish_reason;
      }
      return drain();
    },
    finish(): ResponseStreamEvent[] {
      start();
      close();
      for (const call of inCallOrder(calls)) {
        const output_index = output.length;
        const done = callItem(call, custom, 'completed');
        output.push(done);
        if (done.type === 'custom_tool_call') {
          push({ type: 'response.output_item.added', output_index, item: { ...done, input: '' } });
          push({ type: 'response.custom_tool_call_input.delta', item_id: done.id, output_index, delta: done.input });
          push({ type: 'response.custom_tool_call_input.done', item_id: done.id, output_index, input: done.input });
        } else if (done.type === 'function_call') {
          push({ type: 'response.output_item.added', output_index, item: { ...done, arguments: '', status: 'in_progress' } });
          push({ type: 'response.function_call_arguments.delta', item_id: done.id, output_index, delta: done.arguments });
          push({ type: 'response.function_call_arguments.done', item_id: done.id, output_index, name: done.name, arguments: done.arguments });
        }
        push({ type: 'response.output_item.done', output_index, item: done });
      }
      const end = ending(calls.size > 0 ? 'tool_calls' : finish);
      final = { ...shell, ...end, completed_at: end.status === 'completed' ? nowSeconds() : null, error: null, output, usage: responseUsage(usage) } as Response;
      push({ type: end.status === 'completed' ? 'response.completed' : 'response.incomplete', response: final });
      return drain();
    },
    /** The event that ends a stream cut by a failure, numbered after everything sent. */
    failed(message: string, code: string): ResponseStreamEvent {
      push({ type: 'response.failed', response: { ...shell, status: 'failed', completed_at: null, error: { code, message }, incomplete_details: null, output } });
      return drain()[0] as ResponseStreamEvent;
    },
  };
}

export function sseEvent(data: { type: string }): string {
  return `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
}
