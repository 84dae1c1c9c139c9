/**
 * Responses answers on their way to the client, from either kind of deployment: a Responses
 * upstream's own events or Response (passed through, metered on the way), or a canonical answer
 * (translated here). Every finished Response is handed to `done` (which keeps it for
 * `previous_response_id`). Also how answers are cached, each shape servable as the other.
 */
import type { StreamFormat } from '../../http/stream-writer';
import { cachedStream, cachedWhole, type AnswerShapes } from '../../routing/answer-cache';
import type { Caching } from '../../routing/router';
import type { OpenedStream } from '../../routing/streams';
import type { RequestUsage, Tokens } from '../../usage/recorder';
import { meterChunk, meterCompletion } from '../../http/usage-row';
import { billedIn, chunksFromCompletion, completionFromChunks, isPreambleChunk, type ChatCompletion, type ChatCompletionChunk } from '../../wire/canonical';
import { deltaLogprobs } from '../../wire/logprobs';
import { heldUpstream, type ResponsesBody } from './codec';
import { createResponseEventWriter, sseEvent } from './events';
import { completionToResponse, type ResponseShell } from './output';
import { createPhaseStamper, withPhases } from './phases';
import type { OfferedTools } from './tools';

/** One event of an answer: a Responses upstream's own event, or a canonical chunk to translate. */
export type ResponsesItem = { event: { event?: string | undefined; data: Record<string, unknown> } } | { chunk: ChatCompletionChunk };
/** A whole answer: a Responses upstream's Response, or a canonical completion to translate. */
export type ResponsesWhole = { response: Record<string, unknown> } | { completion: ChatCompletion };

/** One request's turn: what was asked, the Response it will be, and what becomes of it when done. */
export interface Turn {
  body: ResponsesBody;
  shell: ResponseShell;
  /** The tools it offers, by the names a translation gives them. */
  tools: OfferedTools;
  done(response: Record<string, unknown>): void;
}

/**
 * Events before any of the answer: held back while the request may still fall back (routing/streams.ts).
 * `keepalive` is OpenAI's, sent during a long think (undocumented; clients seen failing on it since 2026).
 */
const PREAMBLE = new Set(['response.created', 'response.in_progress', 'response.queued', 'response.output_item.added', 'response.content_part.added', 'response.reasoning_summary_part.added', 'keepalive']);
export const responsesPreamble = (item: ResponsesItem): boolean => ('chunk' in item ? isPreambleChunk(item.chunk) : PREAMBLE.has(item.event.event ?? String(item.event.data.type)));

type UsageFields = { input_tokens?: number; output_tokens?: number; input_tokens_details?: { cached_tokens?: number; cache_write_tokens?: number } | null } | null | undefined;

/** The Responses API's counts as the usage row takes them (input includes the cached part). */
function tokensFrom(usage: UsageFields): Tokens | undefined {
  if (!usage || typeof usage.input_tokens !== 'number') return undefined;
  return { input: usage.input_tokens, output: usage.output_tokens ?? 0, cacheRead: usage.input_tokens_details?.cached_tokens ?? 0, cacheWrite: usage.input_tokens_details?.cache_write_tokens ?? 0, ...billedIn(usage) };
}

/** Events that carry the whole Response: the client's own `previous_response_id` goes back into each. */
const CARRIES_RESPONSE = new Set(['response.created', 'response.in_progress', 'response.completed', 'response.incomplete', 'response.queued']);
const ENDS = new Set(['response.completed', 'response.incomplete']);

/**
 * An upstream's Response as this turn's: under the id the gateway gave the turn, and told the
 * conversation it continues (the upstream saw the history inline instead). The upstream's own id is
 * not the one kept: an answer from the cache carried the id of the request that filled it, and
 * keeping a second response under it replaced the first, another client key's (it lost the response,
 * and every turn that continued it).
 */
function asThisTurn(response: Record<string, unknown>, turn: Turn): Record<string, unknown> {
  return { ...response, id: turn.shell.id, ...(turn.body.previous_response_id ? { previous_response_id: turn.body.previous_response_id } : {}) };
}

export function responsesFormat(turn: Turn, usage: RequestUsage | undefined): StreamFormat<ResponsesItem> {
  const writer = createResponseEventWriter(turn.shell, turn.tools);
  const phases = createPhaseStamper();
  let translated = false;
  let lastSequence = -1;
  let upstreamShell: Record<string, unknown> | undefined;
  /** An upstream's event as it goes on: under this turn's id, metered. */
  const passed = ([type, event]: [string, Record<string, unknown>]): string => {
    let data = event;
    if (typeof data.sequence_number === 'number') lastSequence = data.sequence_number;
    if (CARRIES_RESPONSE.has(type) && data.response) {
      const response = asThisTurn(data.response as Record<string, unknown>, turn);
      data = { ...data, response };
      upstreamShell ??= response;
      if (ENDS.has(type)) {
        const tokens = tokensFrom(response.usage as UsageFields);
        if (tokens) usage?.reported(tokens);
        turn.done(response);
      }
    }
    if (type === 'response.output_text.delta') usage?.delivered(String(data.delta ?? ''));
    else if (THOUGHT_DELTAS.has(type)) usage?.thought(String(data.delta ?? ''));
    else if (CALL_DELTAS.has(type)) usage?.called(undefined, String(data.delta ?? ''), outputIndex(data));
    else if (type === 'response.output_item.added' && usage) meterCall(usage, data.item as Record<string, unknown> | undefined, outputIndex(data));
    return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
  };
  return {
    contentType: 'text/event-stream; charset=utf-8',
    event(item) {
      if ('event' in item) return phases.events(item.event.event ?? String(item.event.data.type), item.event.data).map(passed).join('');
      translated = true;
      meterChunk(usage, item.chunk);
      return writer.events(item.chunk).map(sseEvent).join('');
    },
    end() {
      if (!translated) return phases.flush().map(passed).join('');
      const events = writer.finish().map(sseEvent).join('');
      if (writer.response) turn.done(writer.response as unknown as Record<string, unknown>);
      return events;
    },
    // After the first byte a failure ends the stream with response.failed, never response.completed.
    error(failure, message) {
      const code = failure.status === 429 ? 'rate_limit_exceeded' : 'server_error';
      if (translated || !upstreamShell) return sseEvent(writer.failed(message, code));
      const held = phases.flush().map(passed).join('');
      const { usage: _usage, ...shell } = upstreamShell;
      const response = { ...shell, status: 'failed', completed_at: null, error: { code, message } };
      return held + sseEvent({ type: 'response.failed', sequence_number: lastSequence + 1, response } as { type: string });
    },
  };
}

/** Events that carry what the model writes besides the answer's text: its reasoning, and its tool calls' input. */
const THOUGHT_DELTAS: ReadonlySet<string> = new Set(['response.reasoning_text.delta', 'response.reasoning_summary_text.delta']);
const CALL_DELTAS: ReadonlySet<string> = new Set(['response.function_call_arguments.delta', 'response.custom_tool_call_input.delta']);

/** A whole Response's output to the usage row, item by item: its text, reasoning and tool calls. */
function meterOutput(usage: RequestUsage, output: unknown): void {
  for (const [at, item] of (Array.isArray(output) ? (output as Record<string, unknown>[]) : []).entries()) {
    if (item?.type === 'message') for (const part of asArray(item.content)) usage.delivered(part?.type === 'output_text' && typeof part.text === 'string' ? part.text : '');
    else if (item?.type === 'reasoning') for (const part of [...asArray(item.summary), ...asArray(item.content)]) usage.thought(typeof part?.text === 'string' ? part.text : '');
    else meterCall(usage, item, at);
  }
}

/** A tool call item: whole in a whole Response, its name alone where a stream's item begins; `at`, its place in the output. */
function meterCall(usage: RequestUsage, item: Record<string, unknown> | undefined, at: number | undefined): void {
  if (item?.type === 'function_call') usage.called(String(item.name ?? ''), String(item.arguments ?? ''), at);
  else if (item?.type === 'custom_tool_call') usage.called(String(item.name ?? ''), String(item.input ?? ''), at);
}

const outputIndex = (data: Record<string, unknown>): number | undefined => (typeof data.output_index === 'number' ? data.output_index : undefined);

const asArray = (value: unknown): { type?: unknown; text?: unknown }[] => (Array.isArray(value) ? value : []);

export function wholeResponse(whole: ResponsesWhole, turn: Turn, usage: RequestUsage | undefined): Record<string, unknown> {
  let response: Record<string, unknown>;
  if ('response' in whole) {
    response = asThisTurn(withPhases(whole.response), turn);
    const tokens = tokensFrom(response.usage as UsageFields);
    if (tokens) usage?.reported(tokens);
    if (usage) meterOutput(usage, response.output);
  } else {
    meterCompletion(usage, whole.completion);
    response = completionToResponse(whole.completion, turn.shell, turn.tools) as unknown as Record<string, unknown>;
  }
  usage?.answered();
  turn.done(response);
  return response;
}

const shapes: AnswerShapes<ResponsesItem, ResponsesWhole> = {
  itemsOf: (whole) =>
    'completion' in whole ? chunksFromCompletion(whole.completion).map((chunk) => ({ chunk })) : eventsOfResponse(whole.response).map((data) => ({ event: { event: String(data.type), data } })),
  wholeOf(items) {
    const first = items[0];
    if (first && 'chunk' in first) return { completion: completionFromChunks(items.map((i) => (i as { chunk: ChatCompletionChunk }).chunk)) };
    const last = items[items.length - 1] as { event: { data: { response?: Record<string, unknown> } } } | undefined;
    return { response: last?.event.data.response ?? {} };
  },
};

export function responsesCache(body: Record<string, unknown>, shape: 'stream'): Caching<OpenedStream<ResponsesItem>>;
export function responsesCache(body: Record<string, unknown>, shape: 'whole'): Caching<ResponsesWhole>;
export function responsesCache(body: Record<string, unknown>, shape: 'stream' | 'whole'): Caching<OpenedStream<ResponsesItem>> | Caching<ResponsesWhole> {
  // A conversation or stored prompt the upstream holds may have changed since: never answered from the cache.
  const repeatable = body.temperature === 0 && !heldUpstream(body);
  return shape === 'stream' ? cachedStream(body, repeatable, shapes) : cachedWhole(body, repeatable, shapes);
}

/** The events a stream of this Response would have had: each item whole, its text in one delta. */
function eventsOfResponse(response: Record<string, unknown>): Record<string, unknown>[] {
  let sequence_number = 0;
  const events: Record<string, unknown>[] = [];
  const push = (type: string, fields: Record<string, unknown>) => events.push({ type, sequence_number: sequence_number++, ...fields });
  const { usage: _usage, ...rest } = response;
  const pending = { ...rest, status: 'in_progress', completed_at: null, output: [] };
  push('response.created', { response: pending });
  push('response.in_progress', { response: pending });
  ((response.output as Record<string, unknown>[] | undefined) ?? []).forEach((item, output_index) => {
    const item_id = item.id;
    if (item.type === 'message') {
      push('response.output_item.added', { output_index, item: { ...item, status: 'in_progress', content: [] } });
      ((item.content as Record<string, unknown>[] | undefined) ?? []).forEach((part, content_index) => {
        push('response.content_part.added', { item_id, output_index, content_index, part: part.type === 'output_text' ? { ...part, text: '', logprobs: [] } : part });
        if (part.type === 'output_text') {
          const logprobs = deltaLogprobs({ content: Array.isArray(part.logprobs) ? part.logprobs : [], refusal: null });
          push('response.output_text.delta', { item_id, output_index, content_index, delta: part.text, logprobs });
          push('response.output_text.done', { item_id, output_index, content_index, text: part.text, logprobs });
        }
        push('response.content_part.done', { item_id, output_index, content_index, part });
      });
    } else if (item.type === 'function_call') {
      push('response.output_item.added', { output_index, item: { ...item, arguments: '', status: 'in_progress' } });
      push('response.function_call_arguments.delta', { item_id, output_index, delta: item.arguments });
      push('response.function_call_arguments.done', { item_id, output_index, name: item.name, arguments: item.arguments });
    } else if (item.type === 'reasoning') {
      push('response.output_item.added', { output_index, item: { ...item, summary: [] } });
      ((item.summary as { text: string }[] | undefined) ?? []).forEach((part, summary_index) => {
        push('response.reasoning_summary_part.added', { item_id, output_index, summary_index, part: { type: 'summary_text', text: '' } });
        push('response.reasoning_summary_text.delta', { item_id, output_index, summary_index, delta: part.text });
        push('response.reasoning_summary_text.done', { item_id, output_index, summary_index, text: part.text });
        push('response.reasoning_summary_part.done', { item_id, output_index, summary_index, part });
      });
    } else {
      push('response.output_item.added', { output_index, item });
    }
    push('response.output_item.done', { output_index, item });
  });
  push(response.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response });
  return events;
}
