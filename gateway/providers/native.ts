/**
 * Requests passed through in an upstream's own API: each endpoint's wire (NDJSON or SSE), the
 * event that ends its stream, and the events that report a failure (a failure before the first
 * event lets the request fall back; after it, the stream ends with the front door's error).
 */
import { GatewayError, UpstreamError } from '../errors';
import { MESSAGES_END } from '../wire/anthropic-answers';
import { failureInAnswer } from './stream-errors';
import type { CallContext, NativeEndpoint, NativeEvent } from './types';
import type { Transport } from './transport';
import { ndjsonObjects, sseEvents, type SseEvent } from './upstream-streams';
import { wholeFromStream } from '../wire/ollama-whole';
import { ofShape, type ShapeName } from '../wire/answer-shapes';
import { withStream } from '../wire/copy-with';

const RESPONSES_END = { name: 'response.completed', isEnd: (e: SseEvent) => e.event === 'response.completed' || e.event === 'response.incomplete' || e.event === 'response.failed' };
const OLLAMA_END = { name: 'done: true', isEnd: (line: Record<string, unknown>) => line.done === true };
const DONE_END = { name: '[DONE]', isEnd: (e: SseEvent) => e.data === '[DONE]' };

/** What a whole answer of each endpoint must be, before it is trusted, cached or billed. */
const ANSWERS: Record<Exclude<NativeEndpoint, 'ollama.chat' | 'ollama.generate'>, { is(value: Record<string, unknown>): boolean; what: string; shape?: ShapeName }> = {
  messages: { is: (v) => v.type === 'message' && Array.isArray(v.content), what: 'a message', shape: 'Messages answer' },
  'messages.count_tokens': { is: (v) => typeof v.input_tokens === 'number', what: 'a token count' },
  responses: { is: (v) => v.object === 'response' && Array.isArray(v.output), what: 'a response', shape: 'Response' },
  'responses.compact': { is: (v) => v.object === 'response.compaction' && Array.isArray(v.output), what: 'a compacted response', shape: 'Response' },
  'responses.input_tokens': { is: (v) => typeof v.input_tokens === 'number', what: 'a token count' },
  completions: { is: (v) => v.object === 'text_completion' && Array.isArray(v.choices), what: 'a text completion' },
  'ollama.embed': { is: (v) => Array.isArray(v.embeddings), what: 'embeddings' },
  'ollama.embeddings': { is: (v) => Array.isArray(v.embedding), what: 'an embedding' },
};

/** A provider's path for an endpoint it passes through; asking for one it does not speak is the gateway's bug. */
export function nativePath(paths: Partial<Record<NativeEndpoint, string>>, endpoint: NativeEndpoint, providerName: string): string {
  const path = paths[endpoint];
  if (!path) throw new GatewayError('internal_error', `${providerName} was asked to pass a request through in an API it does not speak`);
  return path;
}

/** Sends a native request whose whole answer is JSON, and checks it is what the endpoint answers. */
export async function nativeJson(transport: Transport, endpoint: NativeEndpoint, path: string, body: Record<string, unknown>, context: CallContext): Promise<Record<string, unknown>> {
  if (endpoint === 'ollama.chat' || endpoint === 'ollama.generate') return ollamaWhole(transport, endpoint, path, body, context);
  const { value } = await transport.json<Record<string, unknown>>({ method: 'POST', path, body, headers: context.headers, via: context.via }, context.signal);
  const answer = ANSWERS[endpoint];
  if (!value || typeof value !== 'object' || !answer.is(value)) throw new UpstreamError('upstream_protocol', `${transport.providerName} answered 200 without ${answer.what}`);
  return answer.shape ? ofShape(answer.shape, value, transport.providerName) : value;
}

/**
 * A whole Ollama answer, asked for as a stream and put together as Ollama would (wire/ollama-whole.ts):
 * then the stream's first-byte and idle timeouts tell a stuck Ollama from a long answer.
 */
export async function ollamaWhole(transport: Transport, endpoint: 'ollama.chat' | 'ollama.generate', path: string, body: Record<string, unknown>, context: CallContext): Promise<Record<string, unknown>> {
  return wholeFromStream(await nativeStream(transport, endpoint, path, withStream(body, true), context));
}

/** Sends a native request and yields its stream's events, up to and including the one that ends it. */
export async function nativeStream(transport: Transport, endpoint: NativeEndpoint, path: string, body: Record<string, unknown>, context: CallContext): Promise<AsyncIterable<NativeEvent>> {
  const ndjson = endpoint === 'ollama.chat' || endpoint === 'ollama.generate';
  const stream = await transport.stream({ method: 'POST', path, body, headers: { ...context.headers, accept: ndjson ? 'application/x-ndjson' : 'text/event-stream' }, via: context.via }, context.signal);
  if (ndjson) return ollamaLines(ndjsonObjects(stream, OLLAMA_END), transport.providerName);
  if (endpoint === 'completions') return sseJson(sseEvents(stream, DONE_END), transport.providerName);
  return sseJson(sseEvents(stream, endpoint === 'responses' ? RESPONSES_END : MESSAGES_END), transport.providerName, endpoint === 'responses' ? 'Responses stream event' : 'Messages stream event');
}

/** Ollama reports a failure after the stream began as a line `{"error": "..."}`. */
async function* ollamaLines(objects: AsyncIterable<Record<string, unknown>>, providerName: string): AsyncGenerator<NativeEvent> {
  for await (const data of objects) {
    if (typeof data.error === 'string') throw failureInAnswer(providerName, data);
    yield { data: ofShape<Record<string, unknown>>('Ollama answer line', data, providerName) };
  }
}

/** Each event's JSON, checked against the endpoint's event shape where it has one (text completions' chunks are passed on as they are). */
async function* sseJson(events: AsyncIterable<SseEvent>, providerName: string, shape?: ShapeName): AsyncGenerator<NativeEvent> {
  for await (const { event, data: text } of events) {
    // OpenAI's end marker (text completions) is not JSON, and says only that the stream is whole.
    if (text === '[DONE]') return;
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new UpstreamError('upstream_protocol', `${providerName} sent a stream event that is not JSON`);
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new UpstreamError('upstream_protocol', `${providerName} sent a stream event that is not a JSON object`);
    // OpenAI-compatible servers report a failure mid-stream as an unnamed event `{"error": {...}}`.
    const type = event ?? (typeof data.type === 'string' ? data.type : data.error ? 'error' : undefined);
    // Anthropic's error event carries `error: {type, message}`; the Responses API's has `code` and `message` at its top.
    if (type === 'error') throw failureInAnswer(providerName, data.error ? data : { error: { code: data.code ?? 'api_error', message: data.message ?? 'error' } });
    // Some servers (Pioneer's) leave the Response's `error` null and give it beside the Response.
    if (type === 'response.failed') throw failureInAnswer(providerName, { error: (data.response as { error?: unknown } | undefined)?.error ?? data.error ?? { message: 'response.failed' } });
    yield { event: type, data: shape ? ofShape<Record<string, unknown>>(shape, data, providerName) : data };
  }
}
