/**
 * A local (or remote) Ollama through the official `ollama` client and its native API. The client
 * has no per-request abort for non-streamed calls, so each call gets a light client instance whose
 * fetch carries that call's signal; the connection pool underneath is shared.
 */
import { Ollama } from 'ollama';
import { asAbortSignal, type CancelSignal } from '../cancel';
import type { ProviderConfig } from '../config/schema';
import type { Secrets } from '../config/secrets';
import { UpstreamError } from '../errors';
import { newCompletionId } from '../wire/ids';
import {
  createOllamaChunkTranslator,
  fromOllamaChat,
  fromOllamaEmbed,
  generateAsChat,
  toOllamaChat,
  toOllamaEmbed,
  toOllamaGenerate,
  type OllamaChatResponse,
} from '../wire/ollama';
import type { ProviderAdapter } from './types';
import { limiterFor } from './concurrency';
import { DEFAULT_TIMEOUTS, createUpstreamHttp, toUpstreamError } from './upstream-http';

export function createOllamaProvider(config: ProviderConfig, secrets: Secrets): ProviderAdapter {
  const http = createUpstreamHttp(config.name, { ...DEFAULT_TIMEOUTS.ollama, ...config.timeouts }, config.maxResponseBytes);
  const apiKey = config.apiKey ? secrets.resolve(config.apiKey) : undefined;
  const unavailableReason = config.apiKey && !apiKey ? `its API key ${config.apiKey.slice(4)} is not set` : undefined;
  const headers = { ...config.headers, ...(apiKey ? { Authorization: `Bearer ${apiKey}` } : {}) };

  /**
   * A client for one call. Its fetch carries the call's signal and keeps the response headers,
   * which the `ollama` client's errors drop (Retry-After lives there).
   */
  const clientFor = (signal: CancelSignal) => {
    const call: { headers?: Headers } = {};
    const client = new Ollama({
      host: config.baseUrl,
      headers,
      fetch: (async (input: string, init: RequestInit = {}) => {
        // The call's signal replaces the client's own: the client aborts only through .abort(), which the gateway never calls.
        const response = await http.fetch(input, { ...init, signal: asAbortSignal(signal) ?? null });
        call.headers = response.headers;
        return response;
      }) as typeof fetch,
    });
    return { client, fail: (error: unknown) => toUpstreamError(error, config.name, call.headers) };
  };

  return {
    config,
    unavailableReason,
    limiter: limiterFor(config),

    async chat(request, { deployment, signal, native }) {
      const body = toOllamaChat(request, deployment, native);
      const { client, fail } = clientFor(signal);
      try {
        const response = await client.chat({ ...body, stream: false });
        if (typeof response !== 'object' || response === null || !response.message || response.done !== true) {
          throw new UpstreamError('upstream_protocol', `${config.name} answered 200 without a finished chat response`);
        }
        return fromOllamaChat(response, newCompletionId());
      } catch (error) {
        throw fail(error);
      }
    },

    async chatStream(request, { deployment, signal, native }) {
      const body = toOllamaChat(request, deployment, native);
      const { client, fail } = clientFor(signal);
      let events: AsyncIterable<OllamaChatResponse>;
      try {
        events = await client.chat({ ...body, stream: true });
      } catch (error) {
        throw fail(error);
      }
      return translateStream(events, config.name);
    },

    async embed(request, { deployment, signal }) {
      const body = toOllamaEmbed(request, deployment);
      const { client, fail } = clientFor(signal);
      try {
        const response = await client.embed(body);
        if (!Array.isArray(response?.embeddings)) throw new UpstreamError('upstream_protocol', `${config.name} answered 200 without embeddings`);
        return fromOllamaEmbed(response);
      } catch (error) {
        throw fail(error);
      }
    },

    async generate(request, { deployment, signal }) {
      const { client, fail } = clientFor(signal);
      try {
        const body = { ...toOllamaGenerate(request, deployment), stream: false as const };
        const response = await client.generate(body as Parameters<Ollama['generate']>[0] & { stream: false });
        if (typeof response !== 'object' || response === null || response.done !== true) {
          throw new UpstreamError('upstream_protocol', `${config.name} answered 200 without a finished generate response`);
        }
        return fromOllamaChat(generateAsChat(response as never), newCompletionId());
      } catch (error) {
        throw fail(error);
      }
    },

    async generateStream(request, { deployment, signal }) {
      const { client, fail } = clientFor(signal);
      let events: AsyncIterable<unknown>;
      try {
        const body = { ...toOllamaGenerate(request, deployment), stream: true as const };
        events = await client.generate(body as Parameters<Ollama['generate']>[0] & { stream: true });
      } catch (error) {
        throw fail(error);
      }
      return translateStream(mapEvents(events, (e) => generateAsChat(e as never)), config.name);
    },

    async show(model, signal) {
      const { client, fail } = clientFor(signal);
      try {
        return (await client.show({ model })) as unknown as Record<string, unknown>;
      } catch (error) {
        throw fail(error);
      }
    },

    async probe(signal) {
      const { client, fail } = clientFor(signal);
      try {
        const [version, tags, ps] = await Promise.all([client.version(), client.list(), client.ps()]);
        return { version: version.version, models: tags.models.map((m) => m.name), loaded: ps.models.map((m) => m.name) };
      } catch (error) {
        throw fail(error);
      }
    },

    close: () => http.close(),
  };
}

async function* translateStream(events: AsyncIterable<OllamaChatResponse>, providerName: string) {
  const translate = createOllamaChunkTranslator(newCompletionId());
  let done = false;
  try {
    for await (const event of events) {
      yield* translate(event);
      if (event.done) {
        done = true;
        break;
      }
    }
  } catch (error) {
    throw toUpstreamError(error, providerName);
  }
  if (!done) throw new UpstreamError('upstream_protocol', `${providerName}'s stream ended without done: true`);
}

async function* mapEvents<T, U>(events: AsyncIterable<T>, map: (event: T) => U): AsyncGenerator<U> {
  for await (const event of events) yield map(event);
}
