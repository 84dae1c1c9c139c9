/**
 * OpenAI and every OpenAI-compatible server. The official `openai` client defines each request
 * (URL, auth, its headers) and each error (its APIError classes), but its per-call path costs
 * about 140 us here (measured in bench: request building, eager debug-log formatting), more than
 * the gateway's whole latency budget. So the client builds each endpoint's request once, and each
 * call goes straight out on the provider's pooled connections. Streams are parsed here, so a
 * stream that ends without `[DONE]` is caught (the SDK's iterator accepts that silently).
 */
import OpenAI from 'openai';
import { createParser } from 'eventsource-parser';
import type { ProviderConfig } from '../config/schema';
import type { Secrets } from '../config/secrets';
import { asAbortSignal, type CancelSignal } from '../cancel';
import { UpstreamError } from '../errors';
import { normalizeChunk, normalizeCompletion, type ChatCompletion, type ChatCompletionChunk, type CreateEmbeddingResponse } from '../wire/openai';
import { LightHeaders } from './light-fetch';
import type { ProviderAdapter } from './types';
import { limiterFor } from './concurrency';
import { discard, requestWhole, tooLarge } from './bodies';
import { DEFAULT_TIMEOUTS, createUpstreamHttp, toUpstreamError, type AttemptSignal } from './upstream-http';
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';

interface PreparedEndpoint {
  origin: string;
  path: string;
  headers: Record<string, string>;
}

export function createOpenAIProvider(config: ProviderConfig, secrets: Secrets): ProviderAdapter {
  const timeouts = { ...DEFAULT_TIMEOUTS.openai, ...config.timeouts };
  const http = createUpstreamHttp(config.name, timeouts, config.maxResponseBytes);
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

  const endpoints = new Map<string, Promise<PreparedEndpoint>>();
  const endpoint = (path: string, method: 'get' | 'post' = 'post') => {
    const key = `${method} ${path}`;
    let prepared = endpoints.get(key);
    if (!prepared) {
      prepared = prepare(client, method, path);
      endpoints.set(key, prepared);
    }
    return prepared;
  };

  /** Sends one request and reads the whole answer: JSON on 2xx, the SDK's error class otherwise. */
  async function call(method: 'get' | 'post', path: string, body: unknown, signal: CancelSignal | undefined): Promise<unknown> {
    const target = await endpoint(path, method);
    const attempt = http.attempt(signal);
    try {
      const options = { origin: target.origin, path: target.path, method: method === 'post' ? 'POST' : 'GET', headers: target.headers } as const;
      const response = await requestWhole(http.dispatcher, body === undefined ? options : { ...options, body: JSON.stringify(body) }, attempt.signal, http.maxResponseBytes, config.name);
      if (response.statusCode >= 300) throw statusError(response.statusCode, response.headers, response.body.toString('utf8'), config.name);
      const type = String(response.headers['content-type'] ?? '');
      if (!type.includes('json')) throw new UpstreamError('upstream_protocol', `${config.name} answered ${response.statusCode} with content type "${type}" instead of JSON`);
      return JSON.parse(response.body.toString('utf8'));
    } catch (error) {
      throw toUpstreamError(error, config.name);
    } finally {
      attempt.end();
    }
  }

  /** Opens a stream; the caller must end() the attempt once the stream is over. */
  async function openStream(path: string, body: unknown, signal: CancelSignal): Promise<{ response: Dispatcher.ResponseData; attempt: AttemptSignal }> {
    const target = await endpoint(path);
    const attempt = http.attempt(signal);
    try {
      const response = await http.dispatcher.request({
        origin: target.origin,
        path: target.path,
        method: 'POST',
        headers: target.headers,
        body: JSON.stringify(body),
        signal: asAbortSignal(attempt.signal),
      });
      if (response.statusCode >= 300) {
        const text = await response.body.text().catch(() => '');
        throw statusError(response.statusCode, response.headers, text, config.name);
      }
      return { response, attempt };
    } catch (error) {
      attempt.end();
      throw toUpstreamError(error, config.name);
    }
  }

  return {
    config,
    unavailableReason,
    limiter: limiterFor(config),

    async chat(request, { deployment, signal }) {
      const completion = await call('post', '/chat/completions', { ...request, model: deployment.model, stream: false }, signal);
      if (!isCompletion(completion)) throw new UpstreamError('upstream_protocol', `${config.name} answered 200 without a chat completion`);
      return normalizeCompletion(completion);
    },

    async chatStream(request, { deployment, signal }) {
      const body = { ...request, model: deployment.model, stream: true, stream_options: { ...request.stream_options, include_usage: true } };
      const { response, attempt } = await openStream('/chat/completions', body, signal);
      const type = String(response.headers['content-type'] ?? '');
      if (!type.includes('text/event-stream')) {
        discard(response.body);
        attempt.end();
        throw new UpstreamError('upstream_protocol', `${config.name} answered a stream request with content type "${type}"`);
      }
      return readChunks(response.body, { providerName: config.name, maxBytes: http.maxResponseBytes, end: attempt.end });
    },

    async embed(request, { deployment, signal }) {
      // Always floats upstream; the HTTP layer encodes base64 for clients that ask for it.
      const result = await call('post', '/embeddings', { ...request, model: deployment.model, encoding_format: 'float' }, signal);
      if (!Array.isArray((result as { data?: unknown }).data)) throw new UpstreamError('upstream_protocol', `${config.name} answered 200 without embeddings`);
      return result as CreateEmbeddingResponse;
    },

    async probe(signal) {
      const list = (await call('get', '/models', undefined, signal)) as { data?: { id?: unknown }[] };
      if (!Array.isArray(list.data)) throw new UpstreamError('upstream_protocol', `${config.name}'s models list has no data array`);
      return { models: list.data.map((m) => String(m.id)) };
    },

    close: () => http.close(),
  };
}

/** The SDK's own request for an endpoint: URL, auth and headers, minus what differs per call. */
async function prepare(client: OpenAI, method: 'get' | 'post', path: string): Promise<PreparedEndpoint> {
  const { url, req } = await client.buildRequest(method === 'post' ? { method, path, body: {} } : { method, path });
  const headers: Record<string, string> = {};
  new Headers(req.headers as HeadersInit).forEach((value, key) => {
    if (key !== 'content-length' && key !== 'idempotency-key') headers[key] = value;
  });
  const parsed = new URL(url);
  return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}`, headers };
}

/** A non-2xx answer, as the SDK's own error class for that status. */
function statusError(status: number, responseHeaders: IncomingHttpHeaders, text: string, providerName: string): UpstreamError {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const headers = new LightHeaders(responseHeaders) as unknown as Headers;
  const error = OpenAI.APIError.generate(status, json as object | undefined, json ? undefined : text.slice(0, 500) || undefined, headers);
  return toUpstreamError(error, providerName, headers);
}

/**
 * After `[DONE]` only the end of the response should remain: read it so the keep-alive connection
 * goes back to the pool. Anything else (left early, or an upstream that keeps talking) is cut.
 */
async function release(iterator: AsyncIterator<Uint8Array>, finished: boolean): Promise<void> {
  try {
    for (let extra = 0; finished && extra < 4; extra++) if ((await iterator.next()).done) return;
  } catch {
    // the connection is gone either way
  }
  await iterator.return?.().catch(() => undefined);
}

function isCompletion(value: unknown): value is ChatCompletion {
  return typeof value === 'object' && value !== null && Array.isArray((value as ChatCompletion).choices);
}

interface StreamOptions {
  providerName: string;
  maxBytes: number;
  /** Called once the stream is over, however it ended. */
  end(): void;
}

async function* readChunks(body: AsyncIterable<Uint8Array>, { providerName, maxBytes, end }: StreamOptions): AsyncGenerator<ChatCompletionChunk> {
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
  const iterator = body[Symbol.asyncIterator]();
  let size = 0;
  try {
    while (!done) {
      const next = await iterator.next();
      if (next.done) break;
      size += next.value.byteLength;
      if (size > maxBytes) throw tooLarge(providerName, maxBytes);
      parser.feed(decoder.decode(next.value, { stream: true }));
      while (pending.length > 0) yield pending.shift() as ChatCompletionChunk;
      if (failure) throw failure;
    }
  } catch (error) {
    throw toUpstreamError(error, providerName);
  } finally {
    await release(iterator, done);
    end();
  }
  if (!done) throw new UpstreamError('upstream_protocol', `${providerName}'s stream ended without [DONE]`);
}
