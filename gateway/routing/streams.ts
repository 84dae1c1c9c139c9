/**
 * Streamed answers, whatever their wire format: a stream is committed to its deployment once its
 * first event with something of the answer arrives (until then the request may still fall back),
 * holds its concurrency slot and breaker permit until it ends, and is kept in the cache only when it
 * ended cleanly. Which events carry nothing of the answer yet (a preamble: Anthropic's
 * `message_start`, a Response's `response.created`, a chunk with only the role) each surface says;
 * they are held back, so a failure right after them (Anthropic's overloaded error, a Response that
 * fails at once) still falls back instead of ending the client's stream.
 */
import { UpstreamError } from '../errors';
import type { AttemptFn, Discard, Track } from './execute';
import type { ProviderAdapter } from '../providers/types';
import type { DeploymentConfig } from '../config/schema';
import type { CancelSignal } from '../cancel';

/** A stream whose first event has arrived: from here on the deployment is committed. */
export interface OpenedStream<E> {
  first: E;
  rest: AsyncIterator<E>;
}

/** Preamble events held back at most: a stream that sends more commits anyway (pings while a model thinks unseen). */
const MAX_PREAMBLE = 8;

/** An attempt that opens a stream, and how the router keeps its deployment's permit until the stream ends. */
export function streaming<E>(
  open: (provider: ProviderAdapter, deployment: DeploymentConfig, signal: CancelSignal) => Promise<AsyncIterable<E>>,
  preamble: (event: E) => boolean = () => false,
): {
  attempt: AttemptFn<OpenedStream<E>>;
  track: Track<OpenedStream<E>>;
  discard: Discard<OpenedStream<E>>;
} {
  return {
    attempt: async (provider, deployment, signal) => firstOf(await open(provider, deployment, signal), provider.config.name, preamble),
    track: settleWhenDone,
    discard: (opened) => void opened.rest.return?.().catch(() => undefined),
  };
}

/** Waits for a stream's first event with something of the answer, holding the preamble before it: until then the request may still fall back. */
async function firstOf<E>(stream: AsyncIterable<E>, providerName: string, preamble: (event: E) => boolean): Promise<OpenedStream<E>> {
  const rest = stream[Symbol.asyncIterator]();
  const held: E[] = [];
  for (;;) {
    const next = await rest.next();
    if (next.done) break;
    held.push(next.value);
    if (!preamble(next.value) || held.length >= MAX_PREAMBLE) break;
  }
  if (held.length === 0) throw new UpstreamError('upstream_protocol', `${providerName}'s stream ended before its first event`);
  const [first, ...before] = held as [E, ...E[]];
  return { first, rest: before.length === 0 ? rest : heldFirst(before, rest) };
}

/** The held events, then the rest of the stream. */
function heldFirst<E>(held: E[], rest: AsyncIterator<E>): AsyncIterator<E> {
  let i = 0;
  return {
    next: () => (i < held.length ? Promise.resolve({ done: false, value: held[i++] as E }) : rest.next()),
    return: (value?: unknown) => rest.return?.(value) ?? Promise.resolve({ done: true, value: undefined }),
  };
}

/** A committed stream holds its concurrency slot and breaker permit until it ends, however it ends. */
function settleWhenDone<E>(opened: OpenedStream<E>, settle: (error?: unknown) => void): OpenedStream<E> {
  const inner = opened.rest;
  let settled = false;
  const finish = (error?: unknown) => {
    if (settled) return;
    settled = true;
    settle(error);
  };
  return {
    first: opened.first,
    rest: {
      async next() {
        try {
          const next = await inner.next();
          if (next.done) finish();
          return next;
        } catch (error) {
          finish(error);
          throw error;
        }
      },
      async return(value?: unknown) {
        finish(new UpstreamError('client_closed', 'the stream was abandoned'));
        return (await inner.return?.(value)) ?? { done: true, value: undefined };
      },
    },
  };
}

/** Any iterable served as an opened stream (a cached answer replayed event by event). */
export function replay<E>(events: readonly E[]): OpenedStream<E> {
  const [first, ...rest] = events;
  const iterator = rest[Symbol.iterator]();
  return {
    first: first as E,
    rest: {
      next: async () => iterator.next(),
      return: async () => ({ done: true, value: undefined }),
    },
  };
}

/** Passes a stream through and hands over all its events once it ended cleanly; a cut stream is never kept. */
export function recordWhole<E>(opened: OpenedStream<E>, onComplete: (events: E[]) => void): OpenedStream<E> {
  const events = [opened.first];
  const inner = opened.rest;
  return {
    first: opened.first,
    rest: {
      async next() {
        const next = await inner.next();
        if (next.done) onComplete(events);
        else events.push(next.value);
        return next;
      },
      return: async (value?: unknown) => (await inner.return?.(value)) ?? { done: true, value: undefined },
    },
  };
}

/** Every event of a stream, mapped (a surface telling an upstream's own events from translated ones). */
export async function* mapEvents<T, U>(events: AsyncIterable<T>, map: (event: T) => U): AsyncGenerator<U> {
  for await (const event of events) yield map(event);
}
