/**
 * The OpenAI chat-completions shape is the gateway's canonical format (the field's lingua franca):
 * every surface translates to it and every provider adapter from it, unless a request passes
 * through to an upstream that speaks its API natively. Types come from the official SDK, which is
 * generated from OpenAI's OpenAPI spec (type-only imports: nothing of the SDK is loaded).
 */
import { GatewayError } from '../errors';
import { newCompletionId } from './ids';
import { joinedLogprobs, type ChoiceLogprobs } from './logprobs';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParams,
} from 'openai/resources/chat/completions';
import type { CreateEmbeddingResponse, EmbeddingCreateParams } from 'openai/resources/embeddings';
import type { SignedThinking } from './signed-thinking';

export type ChatRequest = ChatCompletionCreateParams;
export type EmbeddingRequest = EmbeddingCreateParams;
export type { ChatCompletion, ChatCompletionChunk, CreateEmbeddingResponse };

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * Reasoning as chat clients read it: under both names (opencode and the AI SDK read
 * `reasoning_content`, clients written against Ollama's or OpenRouter's API read `reasoning`), and
 * without Claude's signatures, which are for the Responses API's encrypted content.
 */
export function reasoningForChatClients<T extends Delta | Message>(part: T): T {
  if (part.reasoning_content && part.reasoning === undefined) part.reasoning = part.reasoning_content;
  if (part.signed_thinking) delete part.signed_thinking;
  return part;
}

/**
 * An image part's URL: `image_url.url` as OpenAI's spec has it, or `image_url` a string as vLLM and
 * LiteLLM take it; refused with its path when it holds neither (the front door leaves parts open).
 */
export function imageUrlOf(part: { image_url?: unknown }, at: string): string {
  const value = part.image_url;
  const url = typeof value === 'string' ? value : (value as { url?: unknown } | null | undefined)?.url;
  if (typeof url === 'string' && url !== '') return url;
  throw new GatewayError('invalid_request', `${at}.image_url must hold the image's URL (a data: URL or an http(s) one) as image_url.url`, { param: `${at}.image_url` });
}

/** A request without the reasoning a client sent back on its assistant turns (servers that keep their own refuse it). */
export function withoutHistoryReasoning(request: ChatRequest): ChatRequest {
  if (!request.messages.some((m) => m.role === 'assistant' && ('reasoning_content' in m || 'reasoning' in m))) return request;
  return {
    ...request,
    messages: request.messages.map((m) => {
      if (m.role !== 'assistant') return m;
      const { reasoning_content: _a, reasoning: _b, ...rest } = m as typeof m & { reasoning_content?: unknown; reasoning?: unknown };
      return rest;
    }),
  };
}

/** A request without Claude's signed thinking on its assistant turns: only an Anthropic upstream takes it. */
export function withoutSignedThinking(request: ChatRequest): ChatRequest {
  if (!request.messages.some((m) => m.role === 'assistant' && 'signed_thinking' in m)) return request;
  return {
    ...request,
    messages: request.messages.map((m) => {
      if (m.role !== 'assistant' || !('signed_thinking' in m)) return m;
      const { signed_thinking: _, ...rest } = m as typeof m & { signed_thinking?: unknown };
      return rest;
    }),
  };
}

/** The chunk that carries only `usage` (sent last when `stream_options.include_usage` is set). */
export function isUsageOnlyChunk(chunk: ChatCompletionChunk): boolean {
  return chunk.choices.length === 0 && chunk.usage != null;
}

/** Embeddings travel as floats inside the gateway; an upstream may answer base64 (little-endian float32). */
export function decodeEmbedding(value: number[] | string): number[] {
  if (typeof value !== 'string') return value;
  const bytes = Buffer.from(value, 'base64');
  return Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));
}

/**
 * A delta or message may carry reasoning (DeepSeek's and Ollama's thinking) beside the content, and
 * Claude's thinking as signed (signed-thinking.ts), which only the Responses front door passes on.
 */
export type Delta = ChatCompletionChunk['choices'][number]['delta'] & { reasoning_content?: string; reasoning?: string; signed_thinking?: SignedThinking[] };
export type Message = ChatCompletion['choices'][number]['message'] & { reasoning_content?: string; reasoning?: string; signed_thinking?: SignedThinking[] };

/**
 * The stop sequence that ended a choice, where something says which: vLLM's `stop_reason` (the
 * string, or a token id), the gateway's own cut (stop-sequences.ts), an Anthropic upstream's
 * `stop_sequence`. OpenAI's API and Ollama say only `stop`.
 */
export function stopSequenceOf(choice: object | undefined): string | undefined {
  const said = (choice as { stop_reason?: unknown } | undefined)?.stop_reason;
  return typeof said === 'string' && said !== '' ? said : undefined;
}

/** A whole completion from the chunks of a complete stream (content, reasoning, tool-call fragments, usage). */
export function completionFromChunks(chunks: readonly ChatCompletionChunk[]): ChatCompletion {
  const first = chunks[0];
  let content: string | null = null;
  let reasoning = '';
  const signed: SignedThinking[] = [];
  let finish: ChatCompletion['choices'][number]['finish_reason'] = 'stop';
  let usage: ChatCompletion['usage'];
  const calls = new Map<number, GatheredCall>();
  const logprobs: (ChoiceLogprobs | null | undefined)[] = [];
  for (const chunk of chunks) {
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices) {
      const delta = choice.delta as Delta;
      logprobs.push(choice.logprobs);
      if (typeof delta.content === 'string') content = (content ?? '') + delta.content;
      if (delta.reasoning_content) reasoning += delta.reasoning_content;
      if (delta.signed_thinking) for (const block of delta.signed_thinking) signed.push(block);
      gatherToolCalls(calls, delta);
      if (choice.finish_reason) finish = choice.finish_reason;
    }
  }
  const message: Message = { role: 'assistant', content: calls.size > 0 && !content ? null : (content ?? ''), refusal: null };
  if (calls.size > 0) message.tool_calls = inCallOrder(calls).map((call) => ({ id: call.id, type: 'function' as const, function: { name: call.name, arguments: call.arguments } }));
  if (reasoning) message.reasoning_content = reasoning;
  if (signed.length > 0) message.signed_thinking = signed;
  return {
    id: first?.id ?? newCompletionId(),
    object: 'chat.completion',
    created: first?.created ?? nowSeconds(),
    model: first?.model ?? '',
    choices: [{ index: 0, message, logprobs: joinedLogprobs(logprobs), finish_reason: finish }],
    ...(usage ? { usage } : {}),
  };
}

/** The chunks a stream of this completion would have had: role, content, tool calls, finish, usage. */
export function chunksFromCompletion(completion: ChatCompletion): ChatCompletionChunk[] {
  const base = { id: completion.id, object: 'chat.completion.chunk' as const, created: completion.created, model: completion.model };
  const choice = completion.choices[0];
  const message = choice?.message as Message | undefined;
  const chunk = (delta: Delta, finish: ChatCompletionChunk['choices'][number]['finish_reason'] = null, logprobs: ChoiceLogprobs | null = null): ChatCompletionChunk => ({
    ...base,
    choices: [{ index: 0, delta, logprobs, finish_reason: finish }],
  });
  const chunks = [chunk({ role: 'assistant', content: '' })];
  if (message?.reasoning_content) chunks.push(chunk({ reasoning_content: message.reasoning_content }));
  if (message?.signed_thinking) chunks.push(chunk({ signed_thinking: message.signed_thinking }));
  if (message?.content) chunks.push(chunk({ content: message.content }, null, choice?.logprobs ?? null));
  const calls = (message?.tool_calls ?? []).filter((c) => c.type === 'function');
  if (calls.length > 0) chunks.push(chunk({ tool_calls: calls.map((c, index) => ({ index, id: c.id, type: 'function', function: { name: c.function.name, arguments: c.function.arguments } })) }));
  chunks.push(chunk({}, choice?.finish_reason ?? 'stop'));
  if (completion.usage) chunks.push({ ...base, choices: [], usage: completion.usage });
  return chunks;
}

/** One tool call gathered from a stream's fragments. */
export interface GatheredCall {
  id: string;
  name: string;
  arguments: string;
}

/**
 * Adds a delta's tool-call fragments to the calls gathered so far, each by its own index: parallel
 * calls whose fragments arrive interleaved stay apart. Only the arguments stream in pieces; a name
 * comes whole, and servers that repeat it with every fragment (as the OpenAI SDK allows) name the
 * call once, not `BashBash`.
 */
export function gatherToolCalls(calls: Map<number, GatheredCall>, delta: Delta): void {
  for (const call of delta.tool_calls ?? []) {
    const entry = calls.get(call.index) ?? { id: '', name: '', arguments: '' };
    if (call.id) entry.id = call.id;
    if (call.function?.name) entry.name = call.function.name;
    entry.arguments += call.function?.arguments ?? '';
    calls.set(call.index, entry);
  }
}

/** Gathered calls in call order. */
export function inCallOrder(calls: Map<number, GatheredCall>): GatheredCall[] {
  return [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
}

/** A chunk with nothing of the answer yet (the role alone): a stream may still fall back past it (routing/streams.ts). */
export function isPreambleChunk(chunk: ChatCompletionChunk): boolean {
  if (chunk.usage) return false;
  for (const choice of chunk.choices) {
    const delta = choice.delta as Delta | undefined;
    if (choice.finish_reason || delta?.content || delta?.reasoning_content || delta?.reasoning || delta?.refusal || delta?.tool_calls?.length) return false;
  }
  return true;
}

/** The visible text of a chunk (content deltas), as a client of any API would see it. */
export function chunkText(chunk: ChatCompletionChunk): string {
  let text = '';
  for (const choice of chunk.choices) if (choice.delta?.content) text += choice.delta.content;
  return text;
}

/** The text of a whole completion. */
export function completionText(completion: ChatCompletion): string {
  return completion.choices.map((c) => c.message?.content ?? '').join('');
}

/**
 * Where what a model wrote goes, in the order it wrote it: its reasoning, its visible text, its tool
 * calls (a name where a part names one, input whole or in pieces, and the call's place in the answer).
 */
export interface Writing {
  thought(text: string): void;
  delivered(text: string): void;
  called(name: string | undefined, input: string, key?: number): void;
}

/** What a chunk's model wrote, told to `to`. */
export function chunkWriting(chunk: ChatCompletionChunk, to: Writing): void {
  for (const choice of chunk.choices) if (choice.delta) writing(choice.delta as Delta, to);
}

/** What a whole completion's model wrote, told to `to`. */
export function completionWriting(completion: ChatCompletion, to: Writing): void {
  for (const choice of completion.choices) if (choice.message) writing(choice.message as Message, to);
}

function writing(part: { content?: string | null | unknown; reasoning_content?: string | undefined; reasoning?: string | undefined; tool_calls?: readonly object[] | null | undefined; audio?: { transcript?: unknown } | null }, to: Writing): void {
  const reasoning = part.reasoning_content ?? part.reasoning;
  if (typeof reasoning === 'string') to.thought(reasoning);
  if (typeof part.content === 'string') to.delivered(part.content);
  // An answer in audio says its words in its transcript (the content is null).
  if (typeof part.audio?.transcript === 'string') to.delivered(part.audio.transcript);
  // A stream's call is keyed by its index, a whole message's by its place.
  for (const [at, call] of (part.tool_calls ?? []).entries()) {
    const { index, function: fn } = call as { index?: unknown; function?: { name?: unknown; arguments?: unknown } };
    to.called(typeof fn?.name === 'string' ? fn.name : undefined, typeof fn?.arguments === 'string' ? fn.arguments : '', typeof index === 'number' ? index : at);
  }
}

/**
 * Upstream token counts in the gateway's own terms, when the answer carries them (prompt-cache reads
 * and writes too), and what the provider billed when it says: OpenRouter's `usage.cost` in dollars,
 * xAI's `usage.cost_in_usd_ticks` in ten-billionths of one.
 */
export function tokensOf(usage: { prompt_tokens?: number; completion_tokens?: number; prompt_tokens_details?: { cached_tokens?: number } | null } | null | undefined): { input: number; output: number; cacheRead?: number; cacheWrite?: number; billedUsd?: number } | undefined {
  if (!usage || typeof usage.prompt_tokens !== 'number') return undefined;
  const cacheRead = usage.prompt_tokens_details?.cached_tokens ?? 0;
  const cacheWrite = (usage as { cache_creation_input_tokens?: number }).cache_creation_input_tokens ?? 0;
  return { input: usage.prompt_tokens, output: usage.completion_tokens ?? 0, ...(cacheRead ? { cacheRead } : {}), ...(cacheWrite ? { cacheWrite } : {}), ...billedIn(usage) };
}

/** xAI's ticks in a dollar. */
const USD_TICKS = 10_000_000_000;
const dollars = (value: unknown, per: number) => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value / per : undefined);

/** What a usage object (chat's or a Response's) says was billed: OpenRouter's `cost` in dollars, xAI's `cost_in_usd_ticks`. */
export function billedIn(usage: object): { billedUsd?: number } {
  const billedUsd = dollars((usage as { cost?: unknown }).cost, 1) ?? dollars((usage as { cost_in_usd_ticks?: unknown }).cost_in_usd_ticks, USD_TICKS);
  return billedUsd === undefined ? {} : { billedUsd };
}

/**
 * A model's tool call arguments as the object the APIs that carry them so want (Messages, Ollama):
 * arguments that are not a JSON object are kept (as `value`, or as the text) rather than lost.
 */
export function argumentsObject(text: string | undefined): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text || '{}');
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  } catch {
    return { arguments: text };
  }
}
