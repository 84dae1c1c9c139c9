/**
 * The Ollama-compatible surface under `/api`, so tools set up for Ollama get fallback by changing
 * the port. Requests are routed like every other (same router, fallback, windows, breakers); an
 * Ollama deployment gets the request as the client sent it (pass-through: templates, raw mode,
 * fill-in-the-middle, think and options stay Ollama's own), any other is sent a translation. Answers
 * stream as NDJSON by default, as Ollama does when `stream` is absent. Errors are Ollama's
 * `{"error": "..."}`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { linkedCancellation, type CancelSignal } from '../../cancel';
import { GatewayError } from '../../errors';
import { clientAbortSignal } from '../../http/client-abort';
import { registerModelSurface, sendError, type ModelSurfaceServices } from '../../http/model-surface';
import { noEndpointMessage } from '../../http/not-found';
import { routeRequest } from '../../http/route-request';
import { writeStream } from '../../http/stream-writer';
import { routed } from '../../http/usage-row';
import { toWireError } from '../../http/wire-errors';
import { keyFields } from '../../routing/cache-policy';
import { namesEmbeddings, targetOf, type Catalog } from '../../routing/catalog';
import type { Router } from '../../routing/router';
import { tokensOf, type ChatRequest, type EmbeddingRequest } from '../../wire/canonical';
import type { OllamaEmbedResponse, OllamaGenerateBody } from '../../wire/ollama';
import { canonicalEmbedInput, fromOllamaEmbed, fromOllamaEmbedding, unitVectors, type EmbeddingAnswer, type OllamaEmbeddingResponse } from '../../wire/ollama-embed';
import type { DeploymentConfig } from '../../config/schema';
import { cutInputs, withinNamedWindow } from '../../providers/embedding-cut';
import type { ProviderAdapter } from '../../providers/types';
import { chatFromGenerate, chatFromOllama, completionsFromGenerate, ollamaEmbedResponse, type OllamaChatIn } from './codec';
import { isLoadOnly } from './load-requests';
import { ndjsonFormat, wholeAnswer } from './answers';
import { ollamaStream, ollamaWhole, type Alternative, type OllamaEndpoint } from './run';
import { running, show, tags, type UpstreamKnowledge } from './models';
import { OllamaChatSchema, OllamaEmbeddingsSchema, OllamaEmbedSchema, OllamaGenerateSchema, OllamaShowSchema, withoutGoZeroValues } from './schemas';

/**
 * The Ollama whose API the gateway serves whole at its base URL (the Responses API came in 0.13.3,
 * Anthropic's Messages in 0.14.0); reported by `/api/version` for clients that check features before
 * they use one (Codex's `--oss` wants 0.13.4 or later, VS Code Copilot 0.6.4).
 */
const OLLAMA_API_VERSION = '0.14.0';

/** The body of an embed request (`/api/embed`'s or `/api/embeddings`'), passed to an Ollama as it came. */
type OllamaEmbedBody = { model: string } & Record<string, unknown>;

export interface OllamaSurfaceOptions {
  router: Router;
  catalog: () => Catalog;
  configAppliedAt: () => number;
  /** What the router and the health probes know of the upstreams, for /api/show. */
  known?: UpstreamKnowledge;
  services: ModelSurfaceServices;
}

export const ollamaErrorBody = (wire: { message: string }) => ({ error: wire.message });

export async function ollamaSurface(app: FastifyInstance, options: OllamaSurfaceOptions): Promise<void> {
  const { router, catalog } = options;
  // Before the surface's own hooks: the client-key check reads the model from the body too.
  app.addHook('preValidation', async (request) => withoutGoZeroValues(request.body));
  // /api/show takes `name` as well as `model`, and every route takes NAME:latest for NAME.
  await registerModelSurface(app, options.services, ollamaErrorBody, 'ollama', (body) => {
    const name = body.model ?? body.name;
    return typeof name === 'string' ? ollamaName(catalog(), name) : name;
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, toWireError(new GatewayError('not_found', noEndpointMessage(app, request, undefined, options.services.served))), ollamaErrorBody),
  );

  app.get('/version', async () => ({ version: OLLAMA_API_VERSION }));

  app.get('/tags', async (request) => tags(catalog(), options.configAppliedAt(), request.clientKey?.allowedRoutes, options.known?.learned));

  app.get('/ps', async (_request, reply) => withTimeout(reply, 3_000, (signal) => running(catalog(), signal, options.known?.down)));

  app.post('/show', { schema: { body: OllamaShowSchema } }, async (request, reply) => {
    const body = request.body as { model?: string; name?: string };
    const name = body.model ?? body.name;
    if (!name) throw new GatewayError('invalid_request', 'model is required', { param: 'model' });
    return withTimeout(reply, 5_000, (signal) => show(catalog(), ollamaName(catalog(), name), signal, request.clientKey?.allowedRoutes, options.known));
  });

  /** Chat and generate alike: NDJSON unless `"stream": false`, then the whole answer in Ollama's shape. */
  const answer = async (request: FastifyRequest, reply: FastifyReply, endpoint: OllamaEndpoint, toCanonical: () => ChatRequest, alternative: Alternative = {}) => {
    const body = request.body as { model: string; stream?: boolean; options?: { num_ctx?: number } } & Record<string, unknown>;
    const kind = endpoint === 'ollama.chat' ? 'chat' : 'generate';
    const stream = body.stream !== false;
    request.usage?.streams(stream);
    const model = ollamaName(catalog(), body.model);
    // A load request may name an embedding model (`ollama stop` does, for one /api/ps lists): it loads or unloads it.
    const type = isLoadOnly(kind, body) && namesEmbeddings(catalog(), model) ? 'embedding' : 'chat';
    const route = routeRequest(request, reply, { model, type, api: endpoint, numCtx: body.options?.num_ctx });
    const started = process.hrtime.bigint();
    if (stream) {
      const execution = await ollamaStream(router, route, endpoint, body, toCanonical, alternative);
      await writeStream(reply, routed(request, reply, execution), ndjsonFormat(kind, body.model, started, request.usage), execution.deployment.provider, request.usage);
      return reply;
    }
    const execution = await ollamaWhole(router, route, endpoint, body, toCanonical, alternative);
    return wholeAnswer(kind, body.model, routed(request, reply, execution), Number(process.hrtime.bigint() - started), request.usage);
  };

  app.post('/chat', { schema: { body: OllamaChatSchema }, config: { usage: 'ollama.chat' } }, (request, reply) =>
    answer(request, reply, 'ollama.chat', () => chatFromOllama(request.body as OllamaChatIn)),
  );

  app.post('/generate', { schema: { body: OllamaGenerateSchema }, config: { usage: 'ollama.generate' } }, (request, reply) => {
    const body = request.body as OllamaGenerateBody;
    const completions = completionsFromGenerate(body);
    return answer(request, reply, 'ollama.generate', () => chatFromGenerate(body), completions ? { completions } : {});
  });

  /**
   * An embed request in Ollama's words: an Ollama deployment gets it as sent (with the client's
   * `options`, such as the `num_ctx` a long document needs, `keep_alive` and `truncate`), any other
   * the canonical request. The deprecated `/api/embeddings` goes to an Ollama as itself, as its answer
   * differs: the model's vector as it is, where `/api/embed` scales each to length 1. With nothing to
   * embed (`embedding` undefined) the request only loads the model: an Ollama does that each time (no
   * cached answer stands in), any other deployment has nothing to load and is answered here.
   */
  const embed = async (request: FastifyRequest, reply: FastifyReply, endpoint: 'ollama.embed' | 'ollama.embeddings', native: OllamaEmbedBody, embedding: EmbeddingRequest | undefined) => {
    const numCtx = (native.options as { num_ctx?: number } | undefined)?.num_ctx;
    // Ollama cuts an input past the window unless told `truncate: false`.
    const cutToFit = native.truncate !== false;
    const route = routeRequest(request, reply, { model: ollamaName(catalog(), native.model), type: 'embedding', api: endpoint, numCtx, cutToFit });
    const attempt = async (provider: ProviderAdapter, deployment: DeploymentConfig, signal: CancelSignal): Promise<EmbeddingAnswer> => {
      const context = { deployment, signal, via: route.via };
      if (!provider.speaks('ollama')) {
        if (!embedding) return { object: 'list', model: deployment.model, data: [] };
        // The client lets the input be cut to fit, which this server would refuse instead: cut to the window the plan gave it, or the one the server names.
        const send = (request: EmbeddingRequest) => provider.embed(request, context);
        const fitted = cutToFit && deployment.contextWindow !== undefined ? await cutInputs(embedding, deployment.contextWindow, deployment.model) : embedding;
        const answer = cutToFit ? await withinNamedWindow(fitted, deployment.model, send) : await send(fitted);
        return endpoint === 'ollama.embed' ? unitVectors(answer) : answer;
      }
      const answer = await provider.nativeJson(endpoint, native, context);
      return endpoint === 'ollama.embed' ? fromOllamaEmbed(answer as unknown as OllamaEmbedResponse) : fromOllamaEmbedding(answer as unknown as OllamaEmbeddingResponse, deployment.model);
    };
    const cache = {
      key: () => keyFields(native),
      repeatable: true,
      restore: (payload: unknown) => payload as EmbeddingAnswer,
      keep: (value: EmbeddingAnswer, store: (value: EmbeddingAnswer) => void) => {
        store(value);
        return value;
      },
    };
    const execution = await router.run(route, attempt, embedding ? { cache } : {});
    const result = routed(request, reply, execution);
    const tokens = tokensOf(result.usage);
    if (tokens) request.usage?.reported(tokens);
    request.usage?.answered();
    return result;
  };

  app.post('/embed', { schema: { body: OllamaEmbedSchema }, config: { usage: 'ollama.embed' } }, async (request, reply) => {
    const body = request.body as OllamaEmbedBody & { input?: string | string[]; dimensions?: number };
    const started = process.hrtime.bigint();
    const nothing = body.input === undefined || body.input.length === 0;
    const result = await embed(request, reply, 'ollama.embed', body, nothing ? undefined : { model: body.model, input: canonicalEmbedInput(body.input as string | string[]), ...(body.dimensions ? { dimensions: body.dimensions } : {}) });
    return ollamaEmbedResponse(result, body.model, Number(process.hrtime.bigint() - started));
  });

  app.post('/embeddings', { schema: { body: OllamaEmbeddingsSchema }, config: { usage: 'ollama.embeddings' } }, async (request, reply) => {
    const body = request.body as OllamaEmbedBody & { prompt?: string };
    const result = await embed(request, reply, 'ollama.embeddings', body, body.prompt ? { model: body.model, input: body.prompt } : undefined);
    return { embedding: result.data[0]?.embedding ?? [] };
  });

  const manage = async (request: FastifyRequest) => {
    const action = request.routeOptions.url?.split('/').pop() ?? 'manage';
    const own = action === 'pull' ? ', or pull a deployment\'s model from Switchyard\'s dashboard (Routes & deployments) or with "switchyard pull DEPLOYMENT"' : '';
    throw new GatewayError(
      'not_implemented',
      `Switchyard does not ${action} models for its clients: manage models in Ollama itself (for example "ollama pull llama3.2"), then add them as deployments in Switchyard${own}`,
    );
  };
  for (const path of ['/pull', '/push', '/create', '/copy']) app.post(path, manage);
  app.delete('/delete', manage);
}


/** As in Ollama, `NAME:latest` is `NAME`: clients and people add the tag to names /api/tags lists without one. */
function ollamaName(catalog: Catalog, name: string): string {
  if (!name.endsWith(':latest') || targetOf(catalog, name) !== undefined) return name;
  const bare = name.slice(0, -':latest'.length);
  return targetOf(catalog, bare) === undefined ? name : bare;
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
