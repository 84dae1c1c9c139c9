/**
 * Reading streamed upstream answers: Server-Sent Events (OpenAI, Anthropic, Responses; parsed by
 * eventsource-parser) and NDJSON (Ollama). Both check the protocol as they go: a stream must end
 * with its wire's end marker (a stream cut short is a failure, never a short answer), and every
 * NDJSON line must be JSON. The answer is whole at its end marker; the rest of the response is read
 * after it, without anyone waiting, so the keep-alive connection goes back to the pool.
 *
 * Lines are cut before anything parses them, and a partial line is kept as pieces joined once when
 * its newline arrives: a parser that re-joins its buffer with every chunk spends time quadratic in
 * the length of one long event (a 30 MiB event pinned the CPU for minutes).
 */
import { createParser } from 'eventsource-parser';
import { UpstreamError, toUpstreamError } from '../errors';
import { looksLikeEvents, type OpenStream } from './transport';

const DRAIN_MS = 1_000;

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
  /** True when a stream that closes now is whole although its end marker never came. */
  wholeAtClose?(): boolean;
}

export async function* sseEvents(sent: OpenStream, end: EndMarker<SseEvent>): AsyncGenerator<SseEvent> {
  const stream = await sniffed(sent);
  if (!stream.contentType.includes('text/event-stream')) {
    stream.end();
    throw new UpstreamError('upstream_protocol', `${stream.providerName} answered a stream request with content type "${stream.contentType}"`);
  }
  const pending: SseEvent[] = [];
  const parser = createParser({ onEvent: (event) => pending.push({ event: event.event, data: event.data }) });
  const lines = completeLines();
  yield* read(stream, end, (text) => {
    const complete = lines.add(text);
    if (complete) parser.feed(complete);
    return pending.splice(0);
  }, () => {
    const rest = lines.rest();
    if (rest) parser.feed(`${rest}\n\n`);
    return pending.splice(0);
  });
}

/** The whole body of an answer that came unstreamed (capped in size as every body is). */
export async function wholeText(stream: OpenStream): Promise<string> {
  const decoder = new TextDecoder();
  const parts: string[] = [];
  try {
    for await (const bytes of stream.body) parts.push(decoder.decode(bytes, { stream: true }));
    parts.push(decoder.decode());
  } catch (error) {
    throw toUpstreamError(error, stream.providerName);
  } finally {
    stream.end();
  }
  return parts.join('');
}

/** Bytes read, at most, to find how a mislabelled body opens. */
const SNIFF_BYTES = 4_096;

/**
 * The stream, labelled an event stream where its label says otherwise (JSON, plain text, none) but
 * its first bytes are one: relays (Codex's, OpenRouter's error answers) send SSE so, and a whole,
 * healthy answer was refused for its label or parsed as JSON. A label of an event stream or NDJSON
 * is taken as it is; what was read to tell goes out first.
 */
export async function sniffed(stream: OpenStream): Promise<OpenStream> {
  if (/event-stream|ndjson/.test(stream.contentType)) return stream;
  const iterator = stream.body[Symbol.asyncIterator]();
  const decoder = new TextDecoder();
  const read: Uint8Array[] = [];
  let text = '';
  let size = 0;
  let done = false;
  try {
    // Leading whitespace is dropped as it comes, so each chunk costs its own length (a server sending a byte at a time included).
    while (text.length < 8 && size < SNIFF_BYTES) {
      const next = await iterator.next();
      if (next.done) {
        done = true;
        break;
      }
      read.push(next.value);
      size += next.value.byteLength;
      text = (text + decoder.decode(next.value, { stream: true })).trimStart();
    }
  } catch (error) {
    stream.end();
    throw toUpstreamError(error, stream.providerName);
  }
  async function* body(): AsyncGenerator<Uint8Array> {
    yield* read;
    for (let next = done ? undefined : await iterator.next(); next && !next.done; next = await iterator.next()) yield next.value;
  }
  return { ...stream, contentType: looksLikeEvents(text) ? 'text/event-stream' : stream.contentType, body: body() };
}

/** The events of a whole event-stream text (a server that streamed what was asked whole). */
export function sseEventsIn(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = createParser({ onEvent: (event) => events.push({ event: event.event, data: event.data }) });
  parser.feed(`${text}\n\n`);
  return events;
}

export async function* ndjsonObjects(stream: OpenStream, end: EndMarker<Record<string, unknown>>): AsyncGenerator<Record<string, unknown>> {
  const parse = (line: string): Record<string, unknown> | undefined => {
    if (line.trim() === '') return undefined;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new UpstreamError('upstream_protocol', `${stream.providerName} sent a stream line that is not JSON`);
    }
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    throw new UpstreamError('upstream_protocol', `${stream.providerName} sent a stream line that is not a JSON object`);
  };
  const parseAll = (text: string) => {
    const out: Record<string, unknown>[] = [];
    for (const line of text.split('\n')) {
      const value = parse(line);
      if (value) out.push(value);
    }
    return out;
  };
  const lines = completeLines();
  yield* read(stream, end, (text) => {
    const complete = lines.add(text);
    return complete ? parseAll(complete) : [];
  }, () => parseAll(lines.rest()));
}

/** Splits text into complete lines and a partial last line, keeping the partial line as pieces. */
function completeLines() {
  let pieces: string[] = [];
  return {
    /** All complete lines so far (ending in a newline), or '' while the line is still open. */
    add(text: string): string {
      const newline = text.lastIndexOf('\n');
      if (newline < 0) {
        if (text) pieces.push(text);
        return '';
      }
      const head = text.slice(0, newline + 1);
      const complete = pieces.length > 0 ? pieces.join('') + head : head;
      pieces = newline + 1 < text.length ? [text.slice(newline + 1)] : [];
      return complete;
    },
    rest(): string {
      const rest = pieces.join('');
      pieces = [];
      return rest;
    },
  };
}

async function* read<T>(stream: OpenStream, end: EndMarker<T>, decode: (text: string) => T[], flush: () => T[]): AsyncGenerator<T> {
  const iterator = stream.body[Symbol.asyncIterator]();
  const decoder = new TextDecoder();
  let ended = false;
  try {
    while (!ended) {
      const next = await iterator.next();
      const items = next.done ? [...decode(decoder.decode()), ...flush()] : decode(decoder.decode(next.value, { stream: true }));
      for (const item of items) {
        if (ended) break;
        ended = end.isEnd(item);
        yield item;
      }
      if (next.done) break;
    }
  } catch (error) {
    throw toUpstreamError(error, stream.providerName);
  } finally {
    if (ended) void drain(iterator, stream);
    else stream.end();
  }
  if (!ended && !end.wholeAtClose?.()) throw new UpstreamError('upstream_protocol', `${stream.providerName}'s stream ended without ${end.name}`);
}

/**
 * After the end marker only the end of the response should remain: a few reads at most, so the
 * connection goes back to the pool. The answer is whole already, so nobody waits for this, and a
 * server that leaves the response open after its end marker has its connection cut after a second.
 */
async function drain(iterator: AsyncIterator<Uint8Array>, stream: OpenStream): Promise<void> {
  // Unref'd: a connection still draining never keeps a stopping process alive.
  const cut = setTimeout(() => stream.end(), DRAIN_MS).unref();
  try {
    for (let extra = 0; extra < 4; extra++) if ((await iterator.next()).done) break;
  } catch {
    // the connection is gone either way
  } finally {
    clearTimeout(cut);
    stream.end();
  }
}
