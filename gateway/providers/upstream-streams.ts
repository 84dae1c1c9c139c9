/**
 * Reading streamed upstream answers: Server-Sent Events (OpenAI, Anthropic, Responses; parsed by
 * eventsource-parser) and NDJSON (Ollama). Both check the protocol as they go: a stream must end
 * with its wire's end marker (a stream cut short is a failure, never a short answer), and every
 * NDJSON line must be JSON. After the end marker the rest of the response is read, so the
 * keep-alive connection goes back to the pool instead of being cut.
 */
import { createParser } from 'eventsource-parser';
import { UpstreamError, toUpstreamError } from '../errors';
import type { OpenStream } from './transport';

export interface SseEvent {
  /** The `event:` field, when the wire names its events (Anthropic, Responses). */
  event: string | undefined;
  data: string;
}

export interface EndMarker<T> {
  /** True for the event that completes the stream. */
  isEnd(event: T): boolean;
  /** How the wire names it, for the protocol error. */
  name: string;
}

export async function* sseEvents(stream: OpenStream, end: EndMarker<SseEvent>): AsyncGenerator<SseEvent> {
  const providerName = stream.providerName;
  if (!stream.contentType.includes('text/event-stream')) {
    stream.end();
    throw new UpstreamError('upstream_protocol', `${providerName} answered a stream request with content type "${stream.contentType}"`);
  }
  const pending: SseEvent[] = [];
  const parser = createParser({ onEvent: (event) => pending.push({ event: event.event, data: event.data }) });
  const decoder = new TextDecoder();
  yield* read(stream, end, (bytes) => {
    parser.feed(decoder.decode(bytes, { stream: true }));
    return pending.splice(0);
  });
}

export async function* ndjsonObjects(stream: OpenStream, end: EndMarker<Record<string, unknown>>): AsyncGenerator<Record<string, unknown>> {
  const providerName = stream.providerName;
  const decoder = new TextDecoder();
  let partial = '';
  const parse = (line: string): Record<string, unknown> | undefined => {
    if (line.trim() === '') return undefined;
    try {
      const value: unknown = JSON.parse(line);
      if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
      // reported below
    }
    throw new UpstreamError('upstream_protocol', `${providerName} sent a stream line that is not JSON`);
  };
  yield* read(stream, end, (bytes) => {
    const lines = (partial + decoder.decode(bytes, { stream: true })).split('\n');
    partial = lines.pop() ?? '';
    return lines.map(parse).filter((v): v is Record<string, unknown> => v !== undefined);
  }, () => {
    const last = parse(partial + decoder.decode());
    return last ? [last] : [];
  });
}

async function* read<T>(stream: OpenStream, end: EndMarker<T>, decode: (bytes: Uint8Array) => T[], flush?: () => T[]): AsyncGenerator<T> {
  const providerName = stream.providerName;
  const iterator = stream.body[Symbol.asyncIterator]();
  let ended = false;
  try {
    while (!ended) {
      const next = await iterator.next();
      const items = next.done ? (flush?.() ?? []) : decode(next.value);
      for (const item of items) {
        if (ended) break;
        ended = end.isEnd(item);
        yield item;
      }
      if (next.done) break;
    }
  } catch (error) {
    throw toUpstreamError(error, providerName);
  } finally {
    if (ended) await drain(iterator);
    stream.end();
  }
  if (!ended) throw new UpstreamError('upstream_protocol', `${providerName}'s stream ended without ${end.name}`);
}

/** After the end marker only the end of the response should remain: a few reads at most. */
async function drain(iterator: AsyncIterator<Uint8Array>): Promise<void> {
  try {
    for (let extra = 0; extra < 4; extra++) if ((await iterator.next()).done) return;
  } catch {
    // the connection is gone either way
  }
}
