/**
 * OpenAI and every OpenAI-compatible server, through the official `openai` client with its own
 * retries off (the router is the only retry loop). Streams are read from the raw response so a
 * stream that ends without `[DONE]` is caught: the SDK's own iterator accepts that silently.
 */
import OpenAI from 'openai';
import { createParser } from 'eventsource-parser';
import type { ProviderConfig } from '../config/schema';
import type { Secrets } from '../config/secrets';
import { UpstreamError } from '../errors';
import { normalizeChunk, normalizeCompletion, type ChatCompletion, type ChatCompletionChunk } from '../wire/openai';
import type { ProviderAdapter } from './types';
import { DEFAULT_TIMEOUTS, createUpstreamHttp, toUpstreamError } from './upstream-http';

export function createOpenAIProvider(config: ProviderConfig, secrets: Secrets): ProviderAdapter {
  const timeouts = { ...DEFAULT_TIMEOUTS.openai, ...config.timeouts };
  const http = createUpstreamHttp(timeouts);
  const apiKey = config.apiKey ? secrets.resolve(config.apiKey) : undefined;
  const unavailableReason = config.apiKey && !apiKey ? `its API key ${config.apiKey.slice(4)} is not set` : undefined;
  const client = new OpenAI({
    apiKey: apiKey ?? 'unused',
    baseURL: config.baseUrl.replace(/\/+$/, ''),
    maxRetries: 0,
    timeout: timeouts.totalMs,
    fetch: http.fetch,
    // A keyless local server (LM Studio, vLLM) gets no Authorization header at all.
    defaultHeaders: { ...config.headers, ...(apiKey ? {} : { Authorization: null }) } as Record<string, string>,
  });

  return {
    config,
    unavailableReason,

    async chat(request, { deployment, signal }) {
      try {
        const body = { ...request, model: deployment.model, stream: false } as const;
        const completion: unknown = await client.chat.completions.create(body as never, { signal });
        if (!isCompletion(completion)) {
          throw new UpstreamError('upstream_protocol', `${config.name} answered 200 without a chat completion (wrong content type or shape)`);
        }
        return normalizeCompletion(completion);
      } catch (error) {
        throw toUpstreamError(error, config.name);
      }
    },

    async chatStream(request, { deployment, signal }) {
      let response: Response;
      try {
        const body = { ...request, model: deployment.model, stream: true, stream_options: { include_usage: true } } as const;
        response = await client.chat.completions.create(body as never, { signal }).asResponse();
      } catch (error) {
        throw toUpstreamError(error, config.name);
      }
      const type = response.headers.get('content-type') ?? '';
      if (!type.includes('text/event-stream')) {
        await response.body?.cancel().catch(() => undefined);
        throw new UpstreamError('upstream_protocol', `${config.name} answered a stream request with content type "${type}"`);
      }
      return readChunks(response, config.name);
    },

    async embed(request, { deployment, signal }) {
      try {
        // Ask for floats: the SDK would otherwise ask for base64 and decode it itself.
        const body = { ...request, model: deployment.model, encoding_format: 'float' } as const;
        const result: unknown = await client.embeddings.create(body, { signal });
        const data = (result as { data?: unknown }).data;
        if (!Array.isArray(data)) throw new UpstreamError('upstream_protocol', `${config.name} answered 200 without embeddings`);
        return result as Awaited<ReturnType<ProviderAdapter['embed']>>;
      } catch (error) {
        throw toUpstreamError(error, config.name);
      }
    },

    close: () => http.close(),
  };
}

function isCompletion(value: unknown): value is ChatCompletion {
  return typeof value === 'object' && value !== null && Array.isArray((value as ChatCompletion).choices);
}

async function* readChunks(response: Response, providerName: string): AsyncGenerator<ChatCompletionChunk> {
  const pending: ChatCompletionChunk[] = [];
  let done = false;
  let failure: UpstreamError | undefined;
  const parser = createParser({
    onEvent(event) {
      if (done || failure) return;
      if (event.data === '[DONE]') {
        done = true;
        return;
      }
      let payload: unknown;
      try {
        payload = JSON.parse(event.data);
      } catch {
        failure = new UpstreamError('upstream_protocol', `${providerName} sent a stream event that is not JSON`);
        return;
      }
      const error = (payload as { error?: { message?: string } }).error;
      if (error) {
        failure = new UpstreamError('upstream_5xx', `${providerName} failed mid-stream: ${error.message ?? 'unknown error'}`);
        return;
      }
      if (!Array.isArray((payload as ChatCompletionChunk).choices)) {
        failure = new UpstreamError('upstream_protocol', `${providerName} sent a stream event that is not a chat completion chunk`);
        return;
      }
      pending.push(normalizeChunk(payload as ChatCompletionChunk));
    },
  });
  const decoder = new TextDecoder();
  try {
    for await (const bytes of response.body as unknown as AsyncIterable<Uint8Array>) {
      parser.feed(decoder.decode(bytes, { stream: true }));
      while (pending.length > 0) yield pending.shift() as ChatCompletionChunk;
      if (failure) throw failure;
      if (done) break;
    }
  } catch (error) {
    throw toUpstreamError(error, providerName);
  } finally {
    // On early exit (client gone, failure) release the connection instead of leaving it half-read.
    if (!done) await response.body?.cancel().catch(() => undefined);
  }
  if (!done) throw new UpstreamError('upstream_protocol', `${providerName}'s stream ended without [DONE]`);
}
