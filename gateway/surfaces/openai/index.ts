/**
 * The OpenAI-compatible surface under `/v1`: models, chat completions (JSON and SSE), text
 * completions (legacy, for editors' autocomplete), embeddings.
 * One encapsulated plugin: its hooks, schemas and OpenAI-shaped errors belong to these routes only.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { registerModelSurface, type ModelSurfaceServices } from '../../http/model-surface';
import { routeRequest } from '../../http/route-request';
import { writeStream } from '../../http/stream-writer';
import { meterCompletion, routed } from '../../http/usage-row';
import { keyFields } from '../../routing/cache-policy';
import type { Catalog } from '../../routing/catalog';
import type { Router } from '../../routing/router';
import { tokensOf, type ChatRequest, type CreateEmbeddingResponse, type EmbeddingRequest } from '../../wire/canonical';
import { chatStream, chatWhole } from './chat';
import { chatAnswer, encodeEmbeddings, openAIErrorBody, sseFormat } from './codec';
import { asksForFunctions, functionCallAnswer, functionsAsTools } from '../../wire/legacy-functions';
import Type from 'typebox';
import { anthropicModel, anthropicModels, type ModelLimits } from '../anthropic/models';
import { anthropicErrorBody } from '../anthropic/output';
import { listedEntries, listedModel, listedNames, type ListedModel } from '../../routing/listing';
import { didYouMean } from '../../config/nearest';
import { GatewayError } from '../../errors';
import { ChatBodySchema, CompletionBodySchema, EmbeddingBodySchema, ModelName } from './schemas';
import { completionSse, generateBody, textCompletion, type CompletionRequest } from './completions';
import { chatFromGenerate } from '../ollama/codec';
import { ollamaStream, ollamaWhole } from '../ollama/run';
import { digitsPattern } from '../../config/patterns';

/**
 * Anthropic's lifecycle filter: its SDK sends `lifecycle[]` once for each stage (one arrives as a
 * string, more as a list). A stage may come twice, so the list's length is not checked; the request
 * line's own limit (Node's 16 KiB of headers) bounds it, and it is read once.
 */
const Stage = Type.Union([Type.Literal('active'), Type.Literal('deprecated'), Type.Literal('retired')]);
const Lifecycles = Type.Optional(Type.Union([Stage, Type.Array(Stage)]));
const ModelPageQuery = Type.Object(
  { limit: Type.Optional(Type.String({ pattern: digitsPattern(4) })), after_id: Type.Optional(ModelName), before_id: Type.Optional(ModelName), 'lifecycle[]': Lifecycles, lifecycle: Lifecycles, client_version: Type.Optional(Type.String()) },
  { additionalProperties: true },
);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A path both OpenAI's and Anthropic's APIs have (`/v1/models`): the `anthropic-version` header says whose answer. */
    sharedWithAnthropic?: boolean;
  }
}

export interface OpenAISurfaceOptions {
  router: Router;
  catalog: () => Catalog;
  /** When the config was applied: the `created` time of listed models. */
  configAppliedAt: () => number;
  /** Each deployment's window and answer limit, for Anthropic's models list. */
  limits: ModelLimits;
  services: ModelSurfaceServices;
}

export async function openaiSurface(app: FastifyInstance, options: OpenAISurfaceOptions): Promise<void> {
  const { router, catalog } = options;
  // On the paths both APIs share, a client that says it speaks Anthropic's (Claude Code asking for
  // models) gets its errors in that shape; an OpenAI endpoint answers in OpenAI's whatever headers came.
  const speaksAnthropic = (request: FastifyRequest) => request.routeOptions.config.sharedWithAnthropic === true && request.headers['anthropic-version'] !== undefined;
  await registerModelSurface(app, options.services, (wire, request) => (speaksAnthropic(request) ? anthropicErrorBody(wire, request) : openAIErrorBody(wire)), 'openai');

  const openAIModel = (model: ListedModel) => {
    const created = Math.floor(options.configAppliedAt() / 1000);
    if (model.kind === 'deployment') return { id: model.deployment.name, object: 'model', created, owned_by: model.deployment.provider };
    return { id: model.kind === 'route' ? model.route.name : model.name, object: 'model', created, owned_by: 'switchyard' };
  };

  // One path, two APIs: Anthropic's clients (Claude Code's model discovery) say which they speak.
  app.get<{ Querystring: Type.Static<typeof ModelPageQuery> }>('/models', { schema: { querystring: ModelPageQuery }, config: { sharedWithAnthropic: true } }, async (request) => {
    const allowed = request.clientKey?.allowedRoutes;
    if (speaksAnthropic(request)) {
      const { limit, after_id: afterId, before_id: beforeId } = request.query;
      const lifecycle = [request.query['lifecycle[]'] ?? request.query.lifecycle ?? []].flat();
      return anthropicModels(catalog(), options.configAppliedAt(), options.limits, { limit: limit === undefined ? undefined : Number(limit), afterId, beforeId, lifecycle: lifecycle.length > 0 ? lifecycle : undefined }, allowed);
    }
    const list = { object: 'list', data: listedEntries(catalog(), allowed).map(openAIModel) };
    // Codex asks with its version and reads `models`, its own catalog, logging an error on every
    // start when that is missing. It merges what comes into the metadata it ships with, so an empty
    // one changes nothing else; each route's context window reaches it through its config (connect).
    return request.query.client_version === undefined ? list : { ...list, models: [] };
  });

  // Model names may hold a slash (`org/model`), so the rest of the path is the name.
  app.get<{ Params: { '*': string } }>('/models/*', { config: { sharedWithAnthropic: true } }, async (request) => {
    const name = request.params['*'];
    const model = listedModel(catalog(), name, request.clientKey?.allowedRoutes);
    const found = speaksAnthropic(request) ? model && anthropicModel(catalog(), model, options.configAppliedAt(), options.limits) : model && openAIModel(model);
    if (!found) {
      const listed = listedNames(catalog(), request.clientKey?.allowedRoutes);
      throw new GatewayError('model_not_found', `The model "${name}" does not exist${didYouMean(name, listed.slice(0, 100))}`, { param: 'model' });
    }
    return found;
  });

  app.post('/chat/completions', { schema: { body: ChatBodySchema }, config: { usage: 'chat.completions' } }, async (request, reply) => {
    const sent = request.body as ChatRequest;
    const legacy = asksForFunctions(sent);
    const body = functionsAsTools(sent);
    const route = routeRequest(request, reply, { model: body.model, type: 'chat', api: 'openai.chat' });
    if (body.stream) {
      const execution = await chatStream(router, route, body);
      const includeUsage = body.stream_options?.include_usage === true;
      await writeStream(reply, routed(request, reply, execution), sseFormat(includeUsage, request.usage, legacy), execution.deployment.provider, request.usage);
      return reply;
    }
    const completion = routed(request, reply, await chatWhole(router, route, body));
    meterCompletion(request.usage, completion);
    request.usage?.answered();
    return chatAnswer(legacy ? functionCallAnswer(completion) : completion);
  });

  app.post('/completions', { schema: { body: CompletionBodySchema }, config: { usage: 'completions' } }, async (request, reply) => {
    const body = request.body as CompletionRequest;
    const generate = generateBody(body);
    const route = routeRequest(request, reply, { model: body.model, type: 'chat', api: 'openai.completions' });
    const translated = () => chatFromGenerate(generate);
    if (body.stream) {
      const execution = await ollamaStream(router, route, 'ollama.generate', generate, translated, { completions: body });
      await writeStream(reply, routed(request, reply, execution), completionSse(body.model, body.stream_options?.include_usage === true, request.usage), execution.deployment.provider, request.usage);
      return reply;
    }
    return textCompletion(routed(request, reply, await ollamaWhole(router, route, 'ollama.generate', generate, translated, { completions: body })), body.model, request.usage);
  });

  app.post('/embeddings', { schema: { body: EmbeddingBodySchema }, config: { usage: 'embeddings' } }, async (request, reply) => {
    const body = request.body as EmbeddingRequest;
    const route = routeRequest(request, reply, { model: body.model, type: 'embedding', api: 'openai.embeddings' });
    const execution = await router.run(route, (provider, deployment, signal) => provider.embed(body, { deployment, signal, via: route.via }), {
      cache: {
        key: () => keyFields({ ...body, encoding_format: undefined }),
        repeatable: true,
        restore: (payload) => payload as CreateEmbeddingResponse,
        keep: (embeddings, store) => {
          store(embeddings);
          return embeddings;
        },
      },
    });
    const result = routed(request, reply, execution);
    const tokens = tokensOf(result.usage);
    if (tokens) request.usage?.reported(tokens);
    request.usage?.answered();
    return encodeEmbeddings(result, body.encoding_format);
  });
}
