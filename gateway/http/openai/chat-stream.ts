/**
 * Writes a committed chat stream to the client as SSE. The deployment is fixed from the first
 * chunk on: a later failure ends the stream with an error event in OpenAI's error shape and never
 * with `[DONE]`, so no client mistakes a cut answer for a whole one.
 */
import type { FastifyReply } from 'fastify';
import { once } from 'node:events';
import type { OpenedStream } from '../../routing/router';
import { toUpstreamError } from '../../providers/upstream-http';
import { SSE_DONE, isUsageOnlyChunk, sseData, type ChatCompletionChunk } from '../../wire/openai';
import { openAIError } from '../error-handler';

export async function writeChatStream(reply: FastifyReply, stream: OpenedStream, includeUsage: boolean, providerName: string): Promise<void> {
  const raw = reply.raw;
  reply.hijack();
  raw.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string>),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
  });
  const write = async (text: string) => {
    if (!raw.write(text)) await Promise.race([once(raw, 'drain'), once(raw, 'close')]);
  };
  const forward = (chunk: ChatCompletionChunk) => includeUsage || !isUsageOnlyChunk(chunk);

  try {
    if (forward(stream.first)) await write(sseData(stream.first));
    for (;;) {
      if (raw.destroyed) return;
      const next = await stream.rest.next();
      if (next.done) break;
      if (forward(next.value)) await write(sseData(next.value));
    }
    raw.end(SSE_DONE);
  } catch (error) {
    if (raw.destroyed) return;
    const failure = toUpstreamError(error, providerName);
    const body = { error: openAIError({ status: 502, message: `The upstream failed after the stream began: ${failure.message}`, type: 'api_error', param: null, code: failure.failure }) };
    raw.end(sseData(body));
  } finally {
    if (raw.destroyed) await stream.rest.return?.().catch(() => undefined);
  }
}
