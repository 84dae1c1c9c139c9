/**
 * The Ollama-compatible surface, so tools set up for Ollama get fallback by changing the port.
 * Requests are routed exactly like `/v1/chat/completions` (same router, fallback, windows,
 * breakers); answers stream as NDJSON by default, as Ollama does when `stream` is absent.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { linkedCancellation, type CancelSignal } from '../../cancel';
import type { Execution } from '../../routing/execute';
import type { OpenedStream } from '../../routing/router';
import type { ChatCompletion } from '../../wire/openai';
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
import { routeOptions } from '../route-options';
import { writeStream, type StreamFormat } from '../stream-writer';
import { routed } from '../usage-hooks';
import { running, show, tags } from './models';
import { OllamaChatSchema, OllamaEmbeddingsSchema, OllamaEmbedSchema, OllamaGenerateSchema, OllamaShowSchema } from './schemas';

/** The Ollama version this API follows; reported by `/api/version` for clients that check features. */
export const OLLAMA_API_VERSION = '0.12.6';

export function registerOllamaRoutes(app: FastifyInstance): void {
  app.get('/api/version', async () => ({ version: OLLAMA_API_VERSION }));

  app.get('/api/tags', async () => tags(app.switchyard.catalog(), app.switchyard.configAppliedAt()));

  app.get('/api/ps', async (_request, reply) => withTimeout(reply, 3_000, (signal) => running(app.switchyard.catalog(), signal)));

  app.post('/api/show', { schema: { body: OllamaShowSchema } }, async (request, reply) => {
    const body = request.body as { model?: string; name?: string };
    const name = body.model ?? body.name;
    if (!name) throw new GatewayError('invalid_request', 'model is required', { param: 'model' });
    return withTimeout(reply, 5_000, (signal) => show(app.switchyard.catalog(), name, signal));
  });

  app.post('/api/chat', { schema: { body: OllamaChatSchema }, config: { usage: 'ollama.chat' } }, async (request, reply) => {
    const body = request.body as OllamaChatIn;
    const { request: chat, native } = chatFromOllama(body);
    const options = routeOptions(request, reply, { native });
    return answer(request, reply, body, 'chat', {
      stream: () => app.switchyard.router.chatStream(chat, options),
      whole: () => app.switchyard.router.chat(chat, options),
      shape: ollamaChatResponse,
    });
  });

  app.post('/api/generate', { schema: { body: OllamaGenerateSchema }, config: { usage: 'ollama.generate' } }, async (request, reply) => {
    const body = request.body as OllamaGenerateBody;
    const options = routeOptions(request, reply);
    return answer(request, reply, body, 'generate', {
      stream: () => app.switchyard.router.generateStream(body, options),
      whole: () => app.switchyard.router.generate(body, options),
      shape: ollamaGenerateResponse,
    });
  });

  app.post('/api/embed', { schema: { body: OllamaEmbedSchema }, config: { usage: 'ollama.embed' } }, async (request, reply) => {
    const body = request.body as { model: string; input: string | string[]; dimensions?: number };
    const started = process.hrtime.bigint();
    const embedding = { model: body.model, input: body.input, ...(body.dimensions ? { dimensions: body.dimensions } : {}) };
    const result = routed(request, reply, await app.switchyard.router.embed(embedding, routeOptions(request, reply)));
    request.usage?.answered(result);
    return ollamaEmbedResponse(result, body.model, elapsedNs(started));
  });

  app.post('/api/embeddings', { schema: { body: OllamaEmbeddingsSchema }, config: { usage: 'ollama.embed' } }, async (request, reply) => {
    const body = request.body as { model: string; prompt: string };
    const result = routed(request, reply, await app.switchyard.router.embed({ model: body.model, input: body.prompt }, routeOptions(request, reply)));
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

interface Answering {
  stream(): Promise<Execution<OpenedStream>>;
  whole(): Promise<Execution<ChatCompletion>>;
  shape(completion: ChatCompletion, model: string, elapsedNs: number): object;
}

/** Chat and generate alike: NDJSON unless `"stream": false`, then the whole answer in Ollama's shape. */
async function answer(request: FastifyRequest, reply: FastifyReply, body: { model: string; stream?: boolean }, kind: 'chat' | 'generate', how: Answering) {
  const started = process.hrtime.bigint();
  if (body.stream !== false) {
    const execution = await how.stream();
    await writeStream(reply, routed(request, reply, execution), ndjson(kind, body.model, started), execution.deployment.provider, request.usage);
    return reply;
  }
  const completion = routed(request, reply, await how.whole());
  request.usage?.answered(completion);
  return how.shape(completion, body.model, elapsedNs(started));
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

/** Upstream lookups behind /api/ps and /api/show: cancelled when the client leaves, and bounded. */
async function withTimeout<T>(reply: FastifyReply, ms: number, work: (signal: CancelSignal) => Promise<T>): Promise<T> {
  const call = linkedCancellation(clientAbortSignal(reply), ms, () => new DOMException(`no answer within ${ms} ms`, 'TimeoutError'));
  try {
    return await work(call.signal);
  } finally {
    call.end();
  }
}
