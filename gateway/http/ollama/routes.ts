/**
 * The Ollama-compatible surface, so tools set up for Ollama get fallback by changing the port.
 * Requests are routed exactly like `/v1/chat/completions` (same router, fallback, windows,
 * breakers); answers stream as NDJSON by default, as Ollama does when `stream` is absent.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatewayError } from '../../errors';
import type { OllamaGenerateBody } from '../../wire/ollama';
import {
  chatFromOllama,
  createOllamaLineWriter,
  ollamaChatResponse,
  ollamaEmbedResponse,
  ollamaGenerateResponse,
  type OllamaChatIn,
} from '../../wire/ollama-inbound';
import { clientAbortSignal } from '../client-abort';
import { writeStream, type StreamFormat } from '../stream-writer';
import { routed } from '../usage-hooks';
import { running, show, tags } from './models';
import { OllamaChatSchema, OllamaEmbeddingsSchema, OllamaEmbedSchema, OllamaGenerateSchema, OllamaShowSchema } from './schemas';

/** The Ollama version this API follows; reported by `/api/version` for clients that check features. */
export const OLLAMA_API_VERSION = '0.12.6';

export function registerOllamaRoutes(app: FastifyInstance): void {
  app.get('/api/version', async () => ({ version: OLLAMA_API_VERSION }));

  app.get('/api/tags', async () => tags(app.switchyard.catalog(), app.switchyard.configAppliedAt()));

  app.get('/api/ps', async (request, reply) => running(app.switchyard.catalog(), AbortSignal.any([clientAbortSignal(request, reply), AbortSignal.timeout(3_000)])));

  app.post('/api/show', { schema: { body: OllamaShowSchema } }, async (request, reply) => {
    const body = request.body as { model?: string; name?: string };
    const name = body.model ?? body.name;
    if (!name) throw new GatewayError('invalid_request', 'model is required', { param: 'model' });
    return show(app.switchyard.catalog(), name, AbortSignal.any([clientAbortSignal(request, reply), AbortSignal.timeout(5_000)]));
  });

  app.post('/api/chat', { schema: { body: OllamaChatSchema }, config: { usage: 'ollama.chat' } }, async (request, reply) => {
    const body = request.body as OllamaChatIn;
    const started = process.hrtime.bigint();
    const { request: chat, native } = chatFromOllama(body);
    const options = { signal: clientAbortSignal(request, reply), native, prefer: preferHeader(request), cacheControl: request.headers['cache-control'] };
    if (body.stream !== false) {
      const execution = await app.switchyard.router.chatStream(chat, options);
      await writeStream(reply, routed(request, reply, execution), ndjson('chat', body.model, started), execution.deployment.provider, request.usage);
      return reply;
    }
    const completion = routed(request, reply, await app.switchyard.router.chat(chat, options));
    request.usage?.answered(completion);
    return ollamaChatResponse(completion, body.model, elapsedNs(started));
  });

  app.post('/api/generate', { schema: { body: OllamaGenerateSchema }, config: { usage: 'ollama.generate' } }, async (request, reply) => {
    const body = request.body as OllamaGenerateBody;
    const started = process.hrtime.bigint();
    const options = { signal: clientAbortSignal(request, reply), prefer: preferHeader(request), cacheControl: request.headers['cache-control'] };
    if (body.stream !== false) {
      const execution = await app.switchyard.router.generateStream(body, options);
      await writeStream(reply, routed(request, reply, execution), ndjson('generate', body.model, started), execution.deployment.provider, request.usage);
      return reply;
    }
    const completion = routed(request, reply, await app.switchyard.router.generate(body, options));
    request.usage?.answered(completion);
    return ollamaGenerateResponse(completion, body.model, elapsedNs(started));
  });

  app.post('/api/embed', { schema: { body: OllamaEmbedSchema }, config: { usage: 'ollama.embed' } }, async (request, reply) => {
    const body = request.body as { model: string; input: string | string[]; dimensions?: number };
    const started = process.hrtime.bigint();
    const embedding = { model: body.model, input: body.input, ...(body.dimensions ? { dimensions: body.dimensions } : {}) };
    const result = routed(request, reply, await app.switchyard.router.embed(embedding, { signal: clientAbortSignal(request, reply), prefer: preferHeader(request), cacheControl: request.headers['cache-control'] }));
    request.usage?.answered(result);
    return ollamaEmbedResponse(result, body.model, elapsedNs(started));
  });

  app.post('/api/embeddings', { schema: { body: OllamaEmbeddingsSchema }, config: { usage: 'ollama.embed' } }, async (request, reply) => {
    const body = request.body as { model: string; prompt: string };
    const result = routed(request, reply, await app.switchyard.router.embed({ model: body.model, input: body.prompt }, { signal: clientAbortSignal(request, reply), prefer: preferHeader(request), cacheControl: request.headers['cache-control'] }));
    request.usage?.answered(result);
    return { embedding: result.data[0]?.embedding ?? [] };
  });

  const manage = async (request: FastifyRequest) => {
    const action = request.url.split('/')[2] ?? 'manage';
    throw new GatewayError(
      'not_implemented',
      `Switchyard does not ${action} models: manage models in Ollama itself (for example "ollama pull llama3.2"), then add them as deployments in Switchyard`,
    );
  };
  for (const path of ['/api/pull', '/api/push', '/api/create', '/api/copy']) app.post(path, manage);
  app.delete('/api/delete', manage);
}

/** Ollama's NDJSON: one object per line, and a final `done: true` object only for a complete answer. */
function ndjson(kind: 'chat' | 'generate', model: string, started: bigint): StreamFormat {
  const writer = createOllamaLineWriter(kind, model);
  let firstTokenNs: number | undefined;
  const lines = (objects: object[]) => objects.map((o) => `${JSON.stringify(o)}\n`).join('');
  return {
    contentType: 'application/x-ndjson',
    chunk: (chunk) => {
      const out = writer.lines(chunk);
      if (out.length > 0) firstTokenNs ??= elapsedNs(started);
      return lines(out);
    },
    end: () => lines(writer.finish(elapsedNs(started), firstTokenNs ?? elapsedNs(started))),
    error: (message) => lines([{ error: message }]),
  };
}

function elapsedNs(started: bigint): number {
  return Number(process.hrtime.bigint() - started);
}

function preferHeader(request: FastifyRequest): string | undefined {
  const value = request.headers['x-switchyard-prefer'];
  return Array.isArray(value) ? value[0] : value;
}
