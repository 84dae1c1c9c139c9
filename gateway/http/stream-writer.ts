/**
 * Writes a committed stream to the client in a wire format (OpenAI SSE or Ollama NDJSON). The
 * deployment is fixed from the first chunk on: a later failure ends the stream with the format's
 * error ending, never its success ending, so no client mistakes a cut answer for a whole one.
 */
import type { FastifyReply } from 'fastify';
import { once } from 'node:events';
import { toUpstreamError } from '../providers/upstream-http';
import type { OpenedStream } from '../routing/router';
import type { ChatCompletionChunk } from '../wire/openai';

export interface StreamFormat {
  contentType: string;
  /** Text for one canonical chunk ('' to send nothing). */
  chunk(chunk: ChatCompletionChunk): string;
  /** The ending of a complete stream. */
  end(): string;
  /** The ending of a stream cut by a failure. */
  error(message: string, failureClass: string): string;
}

/** Sees every chunk and the end, just before the last bytes go out (the usage row is written there). */
export interface StreamObserver {
  chunk(chunk: ChatCompletionChunk): void;
  failed(error: unknown, failureClass?: string): void;
  commit(status: number): Promise<void>;
}

export async function writeStream(reply: FastifyReply, stream: OpenedStream, format: StreamFormat, providerName: string, observer?: StreamObserver): Promise<void> {
  const raw = reply.raw;
  reply.hijack();
  raw.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string>),
    'content-type': format.contentType,
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
  });
  const write = async (text: string) => {
    if (text && !raw.write(text)) await Promise.race([once(raw, 'drain'), once(raw, 'close')]);
  };

  try {
    observer?.chunk(stream.first);
    await write(format.chunk(stream.first));
    for (;;) {
      if (raw.destroyed) return;
      const next = await stream.rest.next();
      if (next.done) break;
      observer?.chunk(next.value);
      await write(format.chunk(next.value));
    }
    const ending = format.end();
    await observer?.commit(200);
    raw.end(ending);
  } catch (error) {
    if (raw.destroyed) return;
    const failure = toUpstreamError(error, providerName);
    observer?.failed(failure, failure.failure);
    await observer?.commit(200);
    raw.end(format.error(`The upstream failed after the stream began: ${failure.message}`, failure.failure));
  } finally {
    if (raw.destroyed) await stream.rest.return?.().catch(() => undefined);
  }
}
