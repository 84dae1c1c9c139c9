/**
 * OpenAI and every OpenAI-compatible server (Together, Groq, OpenRouter, Mistral, DeepSeek, LM
 * Studio, vLLM, llama.cpp). The canonical chat shape is this API's own, so a chat request goes out
 * as the client sent it with the deployment's model; answers are checked (a stream must end with
 * `[DONE]`, every event must be a chunk) and normalised so they validate against the spec.
 */
import type { NativeApiName, ProviderConfig } from '../config/schema';
import type { Secrets } from '../config/secrets';
import { GatewayError, UpstreamError } from '../errors';
import { decodeEmbedding, normalizeChunk, normalizeCompletion, type ChatCompletion, type ChatCompletionChunk, type CreateEmbeddingResponse } from '../wire/canonical';
import { limiterFor } from './concurrency';
import { DEFAULT_TIMEOUTS, createTransport } from './transport';
import { nativeJson, nativeStream } from './native';
import type { NativeEndpoint, ProviderAdapter } from './types';
import { sseEvents, type SseEvent } from './upstream-streams';

const DONE = { name: '[DONE]', isEnd: (event: SseEvent) => event.data === '[DONE]' };
/** Paths under the provider's base URL (which ends in /v1). */
const PATHS: Partial<Record<NativeEndpoint, string>> = { responses: '/responses', messages: '/messages', 'messages.count_tokens': '/messages/count_tokens' };

/** What an OpenAI-compatible server serves itself, unless its config says: OpenAI's own API has Responses too. */
function servedApis(config: ProviderConfig): NativeApiName[] {
  if (config.apis) return config.apis;
  try {
    return new URL(config.baseUrl).hostname === 'api.openai.com' ? ['chat', 'responses'] : ['chat'];
  } catch {
    return ['chat'];
  }
}

export function createOpenAIProvider(config: ProviderConfig, secrets: Secrets): ProviderAdapter {
  const apiKey = config.apiKey ? secrets.resolve(config.apiKey) : undefined;
  const unavailableReason = config.apiKey && !apiKey ? `its API key ${config.apiKey.replace(/^\w+:/, '')} is not set` : undefined;
  // A keyless local server (LM Studio, vLLM) gets no Authorization header at all.
  const transport = createTransport({
    providerName: config.name,
    baseUrl: config.baseUrl,
    headers: { accept: 'application/json', ...config.headers, ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
    timeouts: { ...DEFAULT_TIMEOUTS.openai, ...config.timeouts },
    maxResponseBytes: config.maxResponseBytes,
  });

  const apis = servedApis(config);
  const pathOf = (endpoint: NativeEndpoint) => {
    const path = PATHS[endpoint];
    if (!path) throw notNative(config.name);
    return path;
  };

  return {
    config,
    unavailableReason,
    limiter: limiterFor(config),
    speaks: (api) => api !== 'ollama' && apis.includes(api),

    async chat(request, { deployment, signal }) {
      const { value } = await transport.json<ChatCompletion>({ method: 'POST', path: '/chat/completions', body: { ...request, model: deployment.model, stream: false } }, signal);
      if (!isCompletion(value)) throw new UpstreamError('upstream_protocol', `${config.name} answered 200 without a chat completion`);
      return normalizeCompletion(value);
    },

    async chatStream(request, { deployment, signal }) {
      const body = { ...request, model: deployment.model, stream: true, stream_options: { ...request.stream_options, include_usage: true } };
      const stream = await transport.stream({ method: 'POST', path: '/chat/completions', body, headers: { accept: 'text/event-stream' } }, signal);
      return chunksOf(sseEvents(stream, DONE), config.name);
    },

    async embed(request, { deployment, signal }) {
      // Always floats upstream; the surface encodes base64 for clients that ask for it.
      const { value } = await transport.json<CreateEmbeddingResponse>({ method: 'POST', path: '/embeddings', body: { ...request, model: deployment.model, encoding_format: 'float' } }, signal);
      if (!Array.isArray(value?.data)) throw new UpstreamError('upstream_protocol', `${config.name} answered 200 without embeddings`);
      for (const item of value.data) item.embedding = decodeEmbedding(item.embedding as number[] | string);
      return value;
    },

    nativeJson: async (endpoint, body, context) => nativeJson(transport, endpoint, pathOf(endpoint), { ...body, model: context.deployment.model }, context),
    nativeStream: async (endpoint, body, context) => nativeStream(transport, endpoint, pathOf(endpoint), { ...body, model: context.deployment.model, stream: true }, context),

    async probe(signal) {
      const { value } = await transport.json<{ data?: { id?: unknown }[] }>({ method: 'GET', path: '/models' }, signal);
      if (!Array.isArray(value?.data)) throw new UpstreamError('upstream_protocol', `${config.name}'s models list has no data array`);
      return { models: value.data.map((m) => String(m.id)) };
    },

    close: () => transport.close(),
  };
}

function notNative(providerName: string): GatewayError {
  return new GatewayError('internal_error', `${providerName} was asked to pass a request through in an API it does not speak`);
}

function isCompletion(value: unknown): value is ChatCompletion {
  return typeof value === 'object' && value !== null && Array.isArray((value as ChatCompletion).choices);
}

async function* chunksOf(events: AsyncIterable<SseEvent>, providerName: string): AsyncGenerator<ChatCompletionChunk> {
  for await (const event of events) {
    if (event.data === '[DONE]') return;
    let payload: unknown;
    try {
      payload = JSON.parse(event.data);
    } catch {
      throw new UpstreamError('upstream_protocol', `${providerName} sent a stream event that is not JSON`);
    }
    const error = (payload as { error?: { message?: string } }).error;
    if (error) throw new UpstreamError('upstream_5xx', `${providerName} failed mid-stream: ${error.message ?? 'unknown error'}`);
    if (!Array.isArray((payload as ChatCompletionChunk).choices)) throw new UpstreamError('upstream_protocol', `${providerName} sent a stream event that is not a chat completion chunk`);
    yield normalizeChunk(payload as ChatCompletionChunk);
  }
}
