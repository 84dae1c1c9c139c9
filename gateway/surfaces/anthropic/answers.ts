/**
 * Messages answers on their way to the client, from either kind of deployment: a Messages
 * upstream's own events or message (passed through, metered on the way), or a canonical answer
 * (translated here). Also how they are cached, each shape servable as the other.
 */
import type { Message, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { StreamFormat } from '../../http/stream-writer';
import { cachedStream, cachedWhole, type AnswerShapes } from '../../routing/answer-cache';
import type { Caching } from '../../routing/router';
import type { OpenedStream } from '../../routing/streams';
import type { RequestUsage, Tokens } from '../../usage/recorder';
import { meterChunk, meterCompletion } from '../../http/usage-row';
import { chunksFromCompletion, completionFromChunks, isPreambleChunk, type ChatCompletion, type ChatCompletionChunk } from '../../wire/canonical';
import { anthropicErrorType, completionToMessage, createMessageEventWriter, sseEvent } from './output';

/** One event of an answer: a Messages upstream's own event, or a canonical chunk to translate. */
export type MessagesItem = { event: { event?: string | undefined; data: Record<string, unknown> } } | { chunk: ChatCompletionChunk };
/** A whole answer: a Messages upstream's message, or a canonical completion to translate. */
export type MessagesWhole = { message: Record<string, unknown> } | { completion: ChatCompletion };

/** Events before any of the answer: held back while the request may still fall back (routing/streams.ts). */
const PREAMBLE = new Set(['message_start', 'ping', 'content_block_start']);
export const messagesPreamble = (item: MessagesItem): boolean => ('chunk' in item ? isPreambleChunk(item.chunk) : PREAMBLE.has(item.event.event ?? String(item.event.data.type)));

type UsageFields = { input_tokens?: number | null; output_tokens?: number | null; cache_read_input_tokens?: number | null; cache_creation_input_tokens?: number | null; cache_creation?: { ephemeral_1h_input_tokens?: number | null } | null };

/** Anthropic's counts as the usage row takes them: input counts cached prompt tokens too. */
function tokensFrom(usage: UsageFields): Tokens {
  const read = usage.cache_read_input_tokens ?? 0;
  const write = usage.cache_creation_input_tokens ?? 0;
  const hour = usage.cache_creation?.ephemeral_1h_input_tokens ?? 0;
  return { input: (usage.input_tokens ?? 0) + read + write, output: usage.output_tokens ?? 0, cacheRead: read, cacheWrite: write, ...(hour ? { cacheWrite1h: hour } : {}) };
}

type BlockDelta = { type?: string; text?: string; thinking?: string; partial_json?: string };
type MessageBlock = { type?: string; text?: unknown; name?: unknown; input?: unknown; thinking?: unknown };

/** A block's delta to the usage row: text delivered; thinking and a tool call's input written beside it (`index`: the block's). */
function meterDelta(usage: RequestUsage | undefined, delta: BlockDelta | undefined, index: number | undefined): void {
  if (delta?.type === 'text_delta') usage?.delivered(delta.text ?? '');
  else if (delta?.type === 'thinking_delta') usage?.thought(delta.thinking ?? '');
  else if (delta?.type === 'input_json_delta') usage?.called(undefined, delta.partial_json ?? '', index);
}

/** A block to the usage row: its text, thinking, or tool call's name and input (whole in a whole message, empty at a stream's start). */
function meterBlock(usage: RequestUsage, block: MessageBlock | undefined, index: number | undefined): void {
  if (block?.type === 'text') usage.delivered(typeof block.text === 'string' ? block.text : '');
  else if (block?.type === 'thinking') usage.thought(typeof block.thinking === 'string' ? block.thinking : '');
  else if (block?.type === 'tool_use') usage.called(String(block.name ?? ''), block.input && Object.keys(block.input).length > 0 ? JSON.stringify(block.input) : '', index);
}

/** `promptTokens` estimates the prompt, for a translated answer's `message_start` (output.ts). */
export function messagesFormat(model: string, usage: RequestUsage | undefined, stops: readonly string[] = [], promptTokens?: () => number): StreamFormat<MessagesItem> {
  const writer = createMessageEventWriter(model, stops, promptTokens);
  let translated = false;
  let counts: UsageFields = {};
  const serialise = (events: RawMessageStreamEvent[]) => events.map((e) => sseEvent(e.type, e)).join('');
  return {
    contentType: 'text/event-stream; charset=utf-8',
    event(item) {
      if ('event' in item) {
        const { event, data } = item.event;
        if (event === 'message_start') counts = { ...counts, ...((data.message as { usage?: UsageFields } | undefined)?.usage ?? {}) };
        if (event === 'message_delta') counts = { ...counts, ...Object.fromEntries(Object.entries((data.usage as UsageFields | undefined) ?? {}).filter(([, v]) => v != null)) };
        if (event === 'message_stop' && Object.keys(counts).length > 0) usage?.reported(tokensFrom(counts));
        const index = typeof data.index === 'number' ? data.index : undefined;
        if (event === 'content_block_delta') meterDelta(usage, data.delta as BlockDelta | undefined, index);
        else if (event === 'content_block_start' && usage) meterBlock(usage, data.content_block as MessageBlock | undefined, index);
        return sseEvent(event ?? String(data.type), data);
      }
      translated = true;
      meterChunk(usage, item.chunk);
      return serialise(writer.events(item.chunk));
    },
    end: () => (translated ? serialise(writer.finish()) : ''),
    // After the first byte a failure ends the stream with an error event, never message_stop.
    error: (failure, message) => sseEvent('error', { type: 'error', error: { type: anthropicErrorType(failure.status ?? 502), message } }),
  };
}

export function wholeMessage(whole: MessagesWhole, model: string, usage: RequestUsage | undefined, stops: readonly string[] = []): Record<string, unknown> {
  if ('message' in whole) {
    const message = whole.message as unknown as Message;
    if (message.usage) usage?.reported(tokensFrom(message.usage));
    if (usage) for (const [index, block] of (message.content ?? []).entries()) meterBlock(usage, block as MessageBlock, index);
    usage?.answered();
    return whole.message;
  }
  meterCompletion(usage, whole.completion);
  usage?.answered();
  return completionToMessage(whole.completion, model, stops) as unknown as Record<string, unknown>;
}

const shapes: AnswerShapes<MessagesItem, MessagesWhole> = {
  itemsOf: (whole) =>
    'completion' in whole
      ? chunksFromCompletion(whole.completion).map((chunk) => ({ chunk }))
      : eventsOfMessage(whole.message as unknown as Message).map((e) => ({ event: { event: e.type, data: e as unknown as Record<string, unknown> } })),
  wholeOf(items) {
    const first = items[0];
    if (first && 'chunk' in first) return { completion: completionFromChunks(items.map((i) => (i as { chunk: ChatCompletionChunk }).chunk)) };
    return { message: messageOfEvents(items.map((i) => (i as { event: { data: Record<string, unknown> } }).event.data)) };
  },
};

/**
 * A Messages answer's caching. The client's `anthropic-version` and `anthropic-beta` are part of its
 * key: they go on to an Anthropic upstream and change what it answers (interleaved thinking, a
 * structured output, a larger window), so an answer made under one set is not another's.
 */
export function messagesCache(body: Record<string, unknown>, headers: Record<string, string> | undefined, shape: 'stream'): Caching<OpenedStream<MessagesItem>>;
export function messagesCache(body: Record<string, unknown>, headers: Record<string, string> | undefined, shape: 'whole'): Caching<MessagesWhole>;
export function messagesCache(body: Record<string, unknown>, headers: Record<string, string> | undefined, shape: 'stream' | 'whole'): Caching<OpenedStream<MessagesItem>> | Caching<MessagesWhole> {
  const repeatable = body.temperature === 0;
  const caching = shape === 'stream' ? cachedStream(body, repeatable, shapes) : cachedWhole(body, repeatable, shapes);
  // A body always has `model` and `messages`, so its fields never equal this pair.
  return headers ? { ...caching, key: () => ({ body: caching.key(), headers }) } : caching;
}

/** The events a stream of this message would have had: each block whole. */
function eventsOfMessage(message: Message): RawMessageStreamEvent[] {
  const events: RawMessageStreamEvent[] = [{ type: 'message_start', message: { ...message, content: [], stop_reason: null, stop_sequence: null } }];
  message.content.forEach((block, index) => {
    if (block.type === 'text') {
      events.push({ type: 'content_block_start', index, content_block: { ...block, text: '' } });
      events.push({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: block.text } });
    } else if (block.type === 'thinking') {
      events.push({ type: 'content_block_start', index, content_block: { ...block, thinking: '', signature: '' } });
      events.push({ type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: block.thinking } });
      if (block.signature) events.push({ type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: block.signature } });
    } else if (block.type === 'tool_use') {
      events.push({ type: 'content_block_start', index, content_block: { ...block, input: {} } });
      events.push({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input ?? {}) } });
    } else {
      events.push({ type: 'content_block_start', index, content_block: block });
    }
    events.push({ type: 'content_block_stop', index });
  });
  const u = message.usage ?? {};
  events.push({ type: 'message_delta', delta: { stop_reason: message.stop_reason, stop_sequence: message.stop_sequence, stop_details: message.stop_details ?? null, container: message.container ?? null }, usage: { input_tokens: u.input_tokens, output_tokens: u.output_tokens, cache_read_input_tokens: u.cache_read_input_tokens, cache_creation_input_tokens: u.cache_creation_input_tokens, output_tokens_details: u.output_tokens_details ?? null, server_tool_use: u.server_tool_use ?? null } });
  events.push({ type: 'message_stop' });
  return events;
}

/** A message from a stream's events: blocks gathered by index, text and JSON input joined, the last usage. */
function messageOfEvents(events: readonly Record<string, unknown>[]): Record<string, unknown> {
  let message: Record<string, unknown> = {};
  const blocks: Record<string, unknown>[] = [];
  const json = new Map<number, string>();
  for (const data of events) {
    const event = data as unknown as RawMessageStreamEvent;
    if (event.type === 'message_start') message = { ...(event.message as unknown as Record<string, unknown>) };
    else if (event.type === 'content_block_start') blocks[event.index] = { ...(event.content_block as unknown as Record<string, unknown>) };
    else if (event.type === 'content_block_delta') {
      const block = blocks[event.index] ?? {};
      const delta = event.delta;
      if (delta.type === 'text_delta') block.text = String(block.text ?? '') + delta.text;
      else if (delta.type === 'thinking_delta') block.thinking = String(block.thinking ?? '') + delta.thinking;
      else if (delta.type === 'signature_delta') block.signature = delta.signature;
      else if (delta.type === 'input_json_delta') json.set(event.index, (json.get(event.index) ?? '') + delta.partial_json);
      blocks[event.index] = block;
    } else if (event.type === 'message_delta') {
      message = { ...message, ...event.delta, usage: { ...(message.usage as object), ...Object.fromEntries(Object.entries(event.usage ?? {}).filter(([, v]) => v != null)) } };
    }
  }
  for (const [index, text] of json) {
    const block = blocks[index];
    if (block) block.input = text ? JSON.parse(text) : {};
  }
  return { ...message, content: blocks.filter(Boolean) };
}
