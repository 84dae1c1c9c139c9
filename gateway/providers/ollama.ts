/**
 * A local (or remote) Ollama through its native API. Canonical requests are translated
 * (wire/ollama.ts); requests that arrive in Ollama's own API pass through with the deployment's
 * model and defaults. Answers are checked: a stream must end with `done: true`, every line must be
 * JSON (Ollama's own client would skip a bad line and carry on).
 */
import type { CancelSignal } from '../cancel';
import type { ProviderConfig } from '../config/schema';
import type { Secrets } from '../config/secrets';
import { UpstreamError } from '../errors';
import type { ChatCompletionChunk } from '../wire/canonical';
import { newCompletionId } from '../wire/ids';
import {
  createOllamaChunkTranslator,
  fromOllamaChat,
  fromOllamaEmbed,
  nativeBody,
  toOllamaChat,
  toOllamaEmbed,
  type OllamaChatResponse,
  type OllamaEmbedResponse,
} from '../wire/ollama';
import { limiterFor } from './concurrency';
import { DEFAULT_TIMEOUTS, createTransport, type Transport } from './transport';
import type { NativeEndpoint, ProviderAdapter } from './types';
import { ndjsonObjects } from './upstream-streams';

const DONE = { name: 'done: true', isEnd: (line: Record<string, unknown>) => line.done === true };
const PATHS: Record<NativeEndpoint, string> = { 'ollama.chat': '/api/chat', 'ollama.generate': '/api/generate' };

export function createOllamaProvider(config: ProviderConfig, secrets: Secrets): ProviderAdapter {
  const apiKey = config.apiKey ? secrets.resolve(config.apiKey) : undefined;
  const unavailableReason = config.apiKey && !apiKey ? `its API key ${config.apiKey.replace(/^\w+:/, '')} is not set` : undefined;
  const transport = createTransport({
    providerName: config.name,
    baseUrl: config.baseUrl,
    headers: { accept: 'application/json', ...config.headers, ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
    timeouts: { ...DEFAULT_TIMEOUTS.ollama, ...config.timeouts },
    maxResponseBytes: config.maxResponseBytes,
  });
  const finished = (value: Record<string, unknown>, what: string) => {
    if (typeof value !== 'object' || value === null || value.done !== true) throw new UpstreamError('upstream_protocol', `${config.name} answered 200 without a finished ${what} response`);
    return value;
  };

  return {
    config,
    unavailableReason,
    limiter: limiterFor(config),
    speaks: (api) => api === 'ollama',

    async chat(request, { deployment, signal }) {
      const { value } = await transport.json<Record<string, unknown>>({ method: 'POST', path: '/api/chat', body: { ...toOllamaChat(request, deployment), stream: false } }, signal);
      const response = finished(value, 'chat') as unknown as OllamaChatResponse;
      if (!response.message) throw new UpstreamError('upstream_protocol', `${config.name} answered 200 without a chat message`);
      return fromOllamaChat(response, newCompletionId());
    },

    async chatStream(request, { deployment, signal }) {
      const stream = await transport.stream({ method: 'POST', path: '/api/chat', body: { ...toOllamaChat(request, deployment), stream: true } }, signal);
      return translated(lines(ndjsonObjects(stream, DONE), config.name));
    },

    async embed(request, { deployment, signal }) {
      const { value } = await transport.json<OllamaEmbedResponse>({ method: 'POST', path: '/api/embed', body: toOllamaEmbed(request, deployment) }, signal);
      if (!Array.isArray(value?.embeddings)) throw new UpstreamError('upstream_protocol', `${config.name} answered 200 without embeddings`);
      return fromOllamaEmbed(value);
    },

    async nativeJson(endpoint, body, { deployment, signal }) {
      const { value } = await transport.json<Record<string, unknown>>({ method: 'POST', path: PATHS[endpoint], body: { ...nativeBody(body, deployment), stream: false } }, signal);
      return finished(value, endpoint === 'ollama.chat' ? 'chat' : 'generate');
    },

    async nativeStream(endpoint, body, { deployment, signal }) {
      const stream = await transport.stream({ method: 'POST', path: PATHS[endpoint], body: { ...nativeBody(body, deployment), stream: true } }, signal);
      return events(lines(ndjsonObjects(stream, DONE), config.name));
    },

    show: (model, signal) => call(transport, { method: 'POST', path: '/api/show', body: { model } }, signal),

    async probe(signal) {
      const [version, tags, ps] = await Promise.all([
        call(transport, { method: 'GET', path: '/api/version' }, signal),
        call(transport, { method: 'GET', path: '/api/tags' }, signal),
        call(transport, { method: 'GET', path: '/api/ps' }, signal),
      ]);
      const names = (list: unknown) => (Array.isArray(list) ? list.map((m: { name?: unknown }) => String(m?.name)) : []);
      if (!Array.isArray(tags.models)) throw new UpstreamError('upstream_protocol', `${config.name}'s model list has no models array`);
      return { version: String(version.version ?? ''), models: names(tags.models), loaded: names(ps.models) };
    },

    close: () => transport.close(),
  };
}

async function call(transport: Transport, request: Parameters<Transport['json']>[0], signal: CancelSignal): Promise<Record<string, unknown>> {
  return (await transport.json<Record<string, unknown>>(request, signal)).value;
}

/** Ollama reports a failure after the stream began as a line `{"error": "..."}`. */
async function* lines(objects: AsyncIterable<Record<string, unknown>>, providerName: string): AsyncGenerator<Record<string, unknown>> {
  for await (const line of objects) {
    if (typeof line.error === 'string') throw new UpstreamError('upstream_5xx', `${providerName} failed mid-stream: ${line.error}`);
    yield line;
  }
}

async function* translated(lines: AsyncIterable<Record<string, unknown>>): AsyncGenerator<ChatCompletionChunk> {
  const translate = createOllamaChunkTranslator(newCompletionId());
  for await (const line of lines) yield* translate(line as unknown as OllamaChatResponse);
}

async function* events(lines: AsyncIterable<Record<string, unknown>>) {
  for await (const data of lines) yield { data };
}
