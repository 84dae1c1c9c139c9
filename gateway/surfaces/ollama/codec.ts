/**
 * The Ollama-compatible front door's codec, pure: Ollama-native requests (as Continue, Cline, Open
 * WebUI and the `ollama` client send them) to the canonical chat shape for upstreams that are not
 * Ollama, and canonical answers back to Ollama's `/api/chat`, `/api/generate` and `/api/embed`
 * shapes, streamed as NDJSON lines. Requests for Ollama upstreams pass through; their lines only
 * get the client's model name back.
 */
import { GatewayError } from '../../errors';
import { argumentsObject, gatherToolCalls, inCallOrder, type ChatCompletion, type ChatCompletionChunk, type ChatRequest, type Delta, type GatheredCall, type Message } from '../../wire/canonical';
import { ollamaLogprobs } from '../../wire/logprobs';
import type { EmbeddingAnswer } from '../../wire/ollama-embed';
import type { OllamaGenerateBody } from '../../wire/ollama';
import { createCallPairing } from './call-pairing';

type ChatMessage = ChatRequest['messages'][number];
type ToolCall = { id: string; type: 'function'; function: { name: string; arguments: string } };

export interface OllamaChatIn {
  model: string;
  messages?: { role: string; content?: string; images?: string[]; tool_calls?: { id?: unknown; function: { name: string; arguments?: unknown } }[]; tool_name?: string; tool_call_id?: unknown; thinking?: string }[];
  tools?: unknown[];
  format?: unknown;
  options?: Record<string, unknown>;
  stream?: boolean;
  keep_alive?: string | number;
  think?: boolean | string;
  logprobs?: boolean;
  top_logprobs?: number;
}

export function chatFromOllama(body: OllamaChatIn): ChatRequest {
  const pairing = createCallPairing();
  const messages = (body.messages ?? []).map((m): ChatMessage => {
    if (m.role === 'assistant') {
      const calls: ToolCall[] = (m.tool_calls ?? []).map((c) => ({ id: pairing.call(c.function.name, c.id), type: 'function', function: { name: c.function.name, arguments: JSON.stringify(c.function.arguments ?? {}) } }));
      return { role: 'assistant', content: m.content ?? '', ...(calls.length > 0 ? { tool_calls: calls } : {}), ...(m.thinking ? { reasoning_content: m.thinking } : {}) } as ChatMessage;
    }
    if (m.role === 'tool') return { role: 'tool', content: m.content ?? '', tool_call_id: pairing.result(m.tool_name, m.tool_call_id) };
    const role = m.role === 'system' ? 'system' : 'user';
    if (role === 'user' && m.images?.length) {
      return { role, content: [{ type: 'text', text: m.content ?? '' }, ...m.images.map((img) => ({ type: 'image_url' as const, image_url: { url: dataUrl(img) } }))] };
    }
    return { role, content: m.content ?? '' } as ChatMessage;
  });
  const request: ChatRequest = { model: body.model, messages, ...openAIParams(body.options, body.format), ...logprobsAsked(body) };
  if (body.tools?.length) request.tools = body.tools as ChatRequest['tools'];
  const effort = thinkEffort(body.think);
  if (effort) request.reasoning_effort = effort;
  return request;
}

/**
 * Ollama's `think` as a reasoning effort: a level as it is, true as medium. False asks for nothing:
 * models that do not reason refuse any reasoning_effort, even "none".
 */
function thinkEffort(think: boolean | string | undefined): ChatRequest['reasoning_effort'] | undefined {
  if (think === true) return 'medium';
  return think === 'low' || think === 'medium' || think === 'high' ? think : undefined;
}

/**
 * `/api/generate` for deployments without a native generate: the prompt becomes a user message.
 * A `suffix` (fill-in-the-middle, editor autocomplete) becomes an explicit instruction, so a chat
 * model in the cloud can stand in for a local FIM model.
 */
export function chatFromGenerate(body: OllamaGenerateBody): ChatRequest {
  // A raw prompt is written in its model's own template (FIM tokens, turn markers): a chat model
  // reads the markers as words and answers them, which an editor's autocomplete would then insert.
  if (body.raw === true) {
    throw new GatewayError('needs_native_api', "A raw prompt (raw: true) is written in its model's own template: only a deployment that takes it as it is (an Ollama's, or a server's text completions) can answer it", { param: 'raw' });
  }
  if (body.context?.length) throw contextRefused(body.suffix !== undefined && body.suffix !== '');
  const messages: ChatMessage[] = [];
  if (body.suffix !== undefined && body.suffix !== '') {
    messages.push({ role: 'system', content: 'You complete code. Reply with only the text that belongs between <prefix> and <suffix>, with no explanation and no code fences.' });
    messages.push({ role: 'user', content: `<prefix>${body.prompt ?? ''}</prefix><suffix>${body.suffix}</suffix>` });
  } else {
    if (body.system) messages.push({ role: 'system', content: body.system });
    const text = body.prompt ?? '';
    messages.push(
      body.images?.length
        ? { role: 'user', content: [{ type: 'text', text }, ...body.images.map((img) => ({ type: 'image_url' as const, image_url: { url: dataUrl(img) } }))] }
        : { role: 'user', content: text },
    );
  }
  return { model: body.model, messages, ...openAIParams(body.options, body.format), ...logprobsAsked(body) };
}

/**
 * `context` (deprecated by Ollama, still sent by older clients) is the conversation so far as the
 * token ids of the model that answered it: another server has nothing to read them with, and an
 * answer without them forgets the conversation. With a suffix, an Ollama model without `insert` is
 * asked as chat too (run.ts), so only one that fills in the middle can read it.
 */
function contextRefused(suffix: boolean): GatewayError {
  const reader = suffix ? 'with a suffix is read only by an Ollama deployment whose model fills in the middle (its capabilities list insert)' : 'is read only by an Ollama deployment';
  return new GatewayError('needs_native_api', `A context (the token ids an Ollama model's earlier answer returned) ${reader}: a translation would answer without the conversation it holds`, { param: 'context' });
}

/** Ollama asks for log probabilities with OpenAI's two fields; alternatives only beside them, as OpenAI takes them. */
function logprobsAsked(body: { logprobs?: boolean; top_logprobs?: number }): Partial<ChatRequest> {
  if (body.logprobs !== true) return {};
  return { logprobs: true, ...(body.top_logprobs ? { top_logprobs: body.top_logprobs } : {}) };
}

/**
 * `/api/generate` as OpenAI's text completions, for a server that serves them itself (real
 * fill-in-the-middle on LM Studio, vLLM, llama.cpp); none when the request carries what a text
 * completion cannot (images, a system prompt, a format, thinking) or answers in another shape (log
 * probabilities), which the chat translation keeps.
 */
export function completionsFromGenerate(body: OllamaGenerateBody): Record<string, unknown> | undefined {
  if (body.images?.length || body.system || body.format || body.think || body.logprobs || body.context?.length) return undefined;
  const { max_tokens, ...sampling } = openAIParams(body.options, undefined);
  return { model: body.model, prompt: body.prompt ?? '', ...(body.suffix ? { suffix: body.suffix } : {}), ...sampling, ...(max_tokens ? { max_tokens } : {}) };
}

function openAIParams(options: Record<string, unknown> | undefined, format: unknown): Partial<ChatRequest> {
  const out: Record<string, unknown> = {};
  const o = options ?? {};
  // Ollama takes any temperature and penalty, OpenAI's API only its ranges: the nearest value in range goes.
  if (typeof o.temperature === 'number') out.temperature = Math.min(o.temperature, 2);
  if (typeof o.top_p === 'number') out.top_p = o.top_p;
  if (typeof o.seed === 'number') out.seed = o.seed;
  if (typeof o.frequency_penalty === 'number') out.frequency_penalty = inPenaltyRange(o.frequency_penalty);
  if (typeof o.presence_penalty === 'number') out.presence_penalty = inPenaltyRange(o.presence_penalty);
  if (typeof o.num_predict === 'number' && o.num_predict > 0) out.max_tokens = o.num_predict;
  if (Array.isArray(o.stop) && o.stop.length > 0) out.stop = o.stop;
  if (format === 'json') out.response_format = { type: 'json_object' };
  else if (format && typeof format === 'object') out.response_format = { type: 'json_schema', json_schema: { name: 'response', schema: format } };
  return out as Partial<ChatRequest>;
}

const inPenaltyRange = (penalty: number) => Math.max(-2, Math.min(2, penalty));

/** Ollama sends bare base64; OpenAI wants a data URL with a type, read here from the magic bytes. */
function dataUrl(base64: string): string {
  const type = base64.startsWith('iVBOR') ? 'image/png' : base64.startsWith('R0lGOD') ? 'image/gif' : base64.startsWith('UklGR') ? 'image/webp' : 'image/jpeg';
  return `data:${type};base64,${base64}`;
}

export interface FinalCounts {
  done_reason: string;
  total_duration: number;
  load_duration: number;
  prompt_eval_count: number;
  prompt_eval_duration: number;
  eval_count: number;
  eval_duration: number;
}

/**
 * The counts and durations of Ollama's final object for a translated answer: counts from its usage,
 * durations measured here. Clients divide the counts by the durations (`ollama run --verbose` prints
 * both rates) and Ollama never sends a zero beside tokens, so neither may we: a stream's first token
 * splits its time; a whole answer's split is not known, so its time is shared in proportion to the
 * tokens, and both rates read as the answer's overall one.
 */
function finalCounts(usage: ChatCompletion['usage'] | null | undefined, finish: string | null | undefined, elapsedNs: number, firstTokenNs?: number): FinalCounts {
  const promptTokens = usage?.prompt_tokens ?? 0;
  const answerTokens = usage?.completion_tokens ?? 0;
  const split = firstTokenNs !== undefined && firstTokenNs > 0 && firstTokenNs < elapsedNs;
  const promptEval = split ? firstTokenNs : promptTokens + answerTokens > 0 ? Math.round((elapsedNs * promptTokens) / (promptTokens + answerTokens)) : 0;
  return {
    done_reason: finish === 'length' ? 'length' : 'stop',
    total_duration: elapsedNs,
    load_duration: 0,
    prompt_eval_count: promptTokens,
    prompt_eval_duration: promptEval,
    eval_count: answerTokens,
    eval_duration: elapsedNs - promptEval,
  };
}

/** Calls as Ollama gives them, each with its id (as Ollama does since 0.12.10), for the client to name in its result. */
function ollamaToolCalls(calls: readonly { id?: string; function?: { name?: string; arguments?: string } }[] | undefined) {
  return (calls ?? []).map((c) => ({ ...(c.id ? { id: c.id } : {}), function: { name: c.function?.name ?? '', arguments: argumentsObject(c.function?.arguments) } }));
}

export function ollamaChatResponse(completion: ChatCompletion, model: string, elapsedNs: number) {
  const choice = completion.choices[0];
  const message = choice?.message as Message | undefined;
  const toolCalls = ollamaToolCalls(message?.tool_calls as never);
  return {
    model,
    created_at: new Date().toISOString(),
    message: {
      role: 'assistant',
      content: message?.content ?? '',
      ...(message?.reasoning_content ? { thinking: message.reasoning_content } : {}),
      ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
    },
    done: true,
    ...finalCounts(completion.usage, choice?.finish_reason, elapsedNs),
    ...logprobsOf(choice?.logprobs),
  };
}

export function ollamaGenerateResponse(completion: ChatCompletion, model: string, elapsedNs: number) {
  const choice = completion.choices[0];
  const message = choice?.message as Message | undefined;
  return {
    model,
    created_at: new Date().toISOString(),
    response: message?.content ?? '',
    ...(message?.reasoning_content ? { thinking: message.reasoning_content } : {}),
    done: true,
    ...finalCounts(completion.usage, choice?.finish_reason, elapsedNs),
    ...logprobsOf(choice?.logprobs),
  };
}

/** Ollama's `logprobs` field, present only when there are some (as Ollama leaves it out). */
function logprobsOf(logprobs: Parameters<typeof ollamaLogprobs>[0]): { logprobs?: ReturnType<typeof ollamaLogprobs> } {
  const list = ollamaLogprobs(logprobs);
  return list ? { logprobs: list } : {};
}

/**
 * Canonical chunks to Ollama NDJSON objects. Tool-call fragments are gathered and sent whole in one
 * line, as Ollama itself does; the final `done: true` object comes from `finish()` once the stream
 * is complete, never earlier.
 */
export function createOllamaLineWriter(kind: 'chat' | 'generate', model: string) {
  const calls = new Map<number, GatheredCall>();
  let finish: string | null = null;
  let usage: ChatCompletion['usage'] | null = null;
  const line = (fields: { content?: string; thinking?: string; tool_calls?: ReturnType<typeof ollamaToolCalls> }, logprobs?: ReturnType<typeof logprobsOf>) => {
    const created_at = new Date().toISOString();
    if (kind === 'generate') return { model, created_at, response: fields.content ?? '', ...(fields.thinking ? { thinking: fields.thinking } : {}), done: false, ...logprobs };
    return { model, created_at, message: { role: 'assistant', content: fields.content ?? '', ...(fields.thinking ? { thinking: fields.thinking } : {}), ...(fields.tool_calls ? { tool_calls: fields.tool_calls } : {}) }, done: false, ...logprobs };
  };
  return {
    lines(chunk: ChatCompletionChunk): object[] {
      if (chunk.usage) usage = chunk.usage;
      const out: object[] = [];
      for (const choice of chunk.choices) {
        const delta = choice.delta as Delta;
        gatherToolCalls(calls, delta);
        const logprobs = logprobsOf(choice.logprobs);
        if (delta.content || delta.reasoning_content || logprobs.logprobs) out.push(line({ content: delta.content ?? '', thinking: delta.reasoning_content }, logprobs));
        if (choice.finish_reason) finish = choice.finish_reason;
      }
      return out;
    },
    finish(elapsedNs: number, firstTokenNs: number | undefined): object[] {
      const out: object[] = [];
      if (calls.size > 0 && kind === 'chat') {
        out.push(line({ tool_calls: ollamaToolCalls(inCallOrder(calls).map(({ id, ...call }) => ({ id, function: call }))) }));
      }
      const last = kind === 'generate' ? { model, created_at: new Date().toISOString(), response: '', done: true } : { model, created_at: new Date().toISOString(), message: { role: 'assistant', content: '' }, done: true };
      out.push({ ...last, ...finalCounts(usage, finish, elapsedNs, firstTokenNs) });
      return out;
    },
  };
}

export function ollamaEmbedResponse(result: EmbeddingAnswer, model: string, elapsedNs: number) {
  return {
    model,
    embeddings: result.data.map((d) => d.embedding),
    total_duration: elapsedNs,
    load_duration: 0,
    prompt_eval_count: result.usage?.prompt_tokens ?? 0,
  };
}

/** An Ollama answer (a line or a whole object) as the client asked for it: under the model name it sent. */
export function asClientModel(line: Record<string, unknown>, model: string): Record<string, unknown> {
  return line.model === model ? line : { ...line, model };
}

/** The lines a stream of a whole answer would have had: its content in one line, then the final object. */
export function linesFromWhole(whole: Record<string, unknown>): Record<string, unknown>[] {
  const { message, response, thinking, logprobs, ...rest } = whole as Record<string, unknown> & { message?: Record<string, unknown> };
  const base = { model: rest.model, created_at: rest.created_at, done: false, ...(logprobs === undefined ? {} : { logprobs }) };
  if (message) {
    return [
      { ...base, message },
      { ...rest, message: { role: 'assistant', content: '' } },
    ];
  }
  return [
    { ...base, response, ...(thinking ? { thinking } : {}) },
    { ...rest, response: '' },
  ];
}
