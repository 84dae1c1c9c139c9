/**
 * Writes a committed stream to the client in the surface's wire format (SSE, NDJSON). The
 * deployment is fixed from the first event on: a later failure ends the stream with the format's
 * error ending, never its success ending, so no client mistakes a cut answer for a whole one.
 */
import type { FastifyReply } from 'fastify';
import type { ServerResponse } from 'node:http';
import { toUpstreamError, type UpstreamError } from '../errors';
import type { OpenedStream } from '../routing/streams';
import type { RequestUsage } from '../usage/recorder';

export interface StreamFormat<E> {
  contentType: string;
  /** Text for one event ('' to send nothing). A format reports the usage it sees to the usage row itself. */
  event(event: E): string;
  /** The ending of a complete stream. */
  end(): string;
  /** The ending of a stream cut by a failure; `message` says so, the same in every format and on the usage row. */
  error(failure: UpstreamError, message: string): string;
}

export async function writeStream<E>(reply: FastifyReply, stream: OpenedStream<E>, format: StreamFormat<E>, providerName: string, usage?: RequestUsage): Promise<void> {
  const raw = reply.raw;
  reply.hijack();
  raw.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string>),
    'content-type': format.contentType,
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
  });
  const write = async (text: string) => {
    if (text && !raw.write(text)) await drained(raw);
  };

  try {
    await write(format.event(stream.first));
    for (;;) {
      if (raw.destroyed) return;
      const next = await stream.rest.next();
      if (next.done) break;
      await write(format.event(next.value));
    }
    const ending = format.end();
    await usage?.commit(200);
    raw.end(ending);
  } catch (error) {
    if (raw.destroyed) return;
    const failure = toUpstreamError(error, providerName);
    const message = `The upstream failed after the stream began: ${failure.message}`;
    usage?.failed(failure, failure.failure, message);
    await usage?.commit(200);
    raw.end(format.error(failure, message));
  } finally {
    if (raw.destroyed) await stream.rest.return?.().catch(() => undefined);
  }
}

/**
 * Resolves when a slow client has taken what was written (or has gone). Both listeners go once
 * either fires: a wait that left its `close` listener behind leaked one per backpressure pause.
 */
function drained(raw: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      raw.off('drain', done);
      raw.off('close', done);
      resolve();
    };
    raw.on('drain', done);
    raw.on('close', done);
  });
}
