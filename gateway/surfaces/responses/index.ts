/**
 * The OpenAI Responses front door under `/v1` (Codex's `wire_api = "responses"`): responses, JSON
 * and SSE, compaction, and the stored ones by id (read, listed, deleted and cancelled). A deployment whose upstream speaks Responses (OpenAI, a recent
 * Ollama) gets the request as sent; any other gets a translation. `previous_response_id` is resolved
 * here, from responses this gateway kept, so a conversation can move between upstreams: each
 * upstream sees the whole history inline.
 */
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors';
import { registerModelSurface, type ModelSurfaceServices } from '../../http/model-surface';
import { routeRequest } from '../../http/route-request';
import { writeStream } from '../../http/stream-writer';
import { routed } from '../../http/usage-row';
import { openAIError, type WireError } from '../../http/wire-errors';
import type { DeploymentConfig, ProviderConfig } from '../../config/schema';
import type { ProviderAdapter as Provider } from '../../providers/types';
import type { Router } from '../../routing/router';
import { mapEvents, streaming } from '../../routing/streams';
import type { ResponsesStore } from '../../store/responses-store';
import type { RequestUsage } from '../../usage/recorder';
import type { ChatRequest } from '../../wire/canonical';
import { responsesCache, responsesFormat, responsesPreamble, wholeResponse, type ResponsesItem, type ResponsesWhole, type Turn } from './answers';
import { compacted, compactOn } from './compact';
import { inputItems, responsesToChat, takesAsSent, type ResponsesBody } from './codec';
import { history, keptTurn, notFound, resolveReferences } from './kept';
import { inputTokensOn } from './count';
import { responseShell } from './output';
import { inputItemList } from './input-items';
import { InputItemsQuerySchema, ResponseParamsSchema, ResponsesBodySchema } from './schemas';
import { createToolRefusals, partsWhenAsked } from './tool-refusals';
import { offeredTools } from './tools';
import { withStream } from '../../wire/copy-with';

export interface ResponsesSurfaceOptions {
  router: Router;
  services: ModelSurfaceServices;
  /** Kept responses (pruned with the usage log, by settings.responses.retentionDays). */
  store: ResponsesStore;
  now: () => number;
}

const errorBody = (wire: WireError) => ({ error: openAIError(wire) });

export async function responsesSurface(app: FastifyInstance, options: ResponsesSurfaceOptions): Promise<void> {
  const { router, store, now } = options;
  const toolRefusals = createToolRefusals();
  await registerModelSurface(app, options.services, errorBody, 'responses');
  // Kept with the other answers of this turn of the event loop (one commit); the usage row, and so the last byte, waits for it.
  const keep = (body: ResponsesBody, input: unknown[], owner: string | null, usage: RequestUsage | undefined) => (response: Record<string, unknown>) => {
    const turn = keptTurn(body, input, response, owner);
    if (turn) usage?.waitFor(store.save(turn, now()));
  };

  // `background` is not passed on: the upstream would answer "queued" and keep the answer for a GET
  // of its own id, which clients never see; run here, the answer is whole when it comes back. (Copied
  // only when there is something to take out: a body copied without two keys costs a request about 0.25 us.)
  const inline = (body: ResponsesBody & Record<string, unknown>, items: ReturnType<typeof history>) => {
    const { previous_response_id: _previous, background: _background, ...rest } = body;
    return { ...rest, input: items };
  };

  /**
   * The conversation a request continues, whole: a kept response is the client key's that made it
   * (another key cannot read or continue it), and upstreams never see our response ids (the history
   * and the kept items go inline, in `native`).
   */
  const conversation = (body: ResponsesBody & Record<string, unknown>, owner: string | null) => {
    const sent = inputItems(body);
    const input = resolveReferences(store, sent, owner);
    const items = [...history(store, body.previous_response_id, owner), ...input];
    const native = body.previous_response_id || input !== sent || body.background != null ? inline(body, items) : body;
    return { input, items, native };
  };

  app.post('/responses', { schema: { body: ResponsesBodySchema }, config: { usage: 'responses' } }, async (request, reply) => {
    const body = request.body as ResponsesBody & Record<string, unknown>;
    const owner = request.clientKey?.name ?? null;
    const { input, items, native } = conversation(body, owner);
    if (native !== body) request.usage?.reads(native);
    const tools = offeredTools(body.tools, items);
    const turn: Turn = { body, shell: responseShell(body), tools, done: keep(body, input, owner, request.usage) };
    const route = routeRequest(request, reply, { model: body.model, type: 'chat', api: 'responses', whole: native === body ? undefined : native });
    const translations = new Map<ProviderConfig['kind'], ChatRequest>();
    const translated = (kind: ProviderConfig['kind']) => translations.get(kind) ?? translations.set(kind, responsesToChat(body, items, kind, tools)).get(kind) as ChatRequest;
    const parts = partsWhenAsked(body.tools, items);
    /** As sent where the deployment takes it so, translated where it does not or refuses a part of it (tool-refusals.ts). */
    const either = <T>(provider: Provider, deployment: DeploymentConfig, asSent: () => Promise<T>, asChat: () => Promise<T>): Promise<T> =>
      toolRefusals.attempt(provider, deployment, parts, takesAsSent(body, items, provider.speaks('responses', deployment), provider.config.kind) ? asSent : undefined, asChat);
    if (body.stream === true) {
      const { attempt, track, discard } = streaming<ResponsesItem>(
        (provider, deployment, signal) =>
          either<AsyncIterable<ResponsesItem>>(
            provider,
            deployment,
            async () => mapEvents(await provider.nativeStream('responses', native, { deployment, signal, via: route.via }), (event) => ({ event })),
            async () => mapEvents(await provider.chatStream(withStream(translated(provider.config.kind), true), { deployment, signal, via: route.via }), (chunk) => ({ chunk })),
          ),
        responsesPreamble,
      );
      const execution = await router.run(route, attempt, { track, discard, cache: responsesCache(body, 'stream') });
      await writeStream(reply, routed(request, reply, execution), responsesFormat(turn, request.usage), execution.deployment.provider, request.usage);
      return reply;
    }
    const execution = await router.run<ResponsesWhole>(
      route,
      (provider, deployment, signal) =>
        either<ResponsesWhole>(
          provider,
          deployment,
          async () => ({ response: await provider.nativeJson('responses', withStream(native, false), { deployment, signal, via: route.via }) }),
          async () => ({ completion: await provider.chat(withStream(translated(provider.config.kind), false), { deployment, signal, via: route.via }) }),
        ),
      { cache: responsesCache(body, 'whole') },
    );
    return wholeResponse(routed(request, reply, execution), turn, request.usage);
  });

  /** Compaction (compact.ts): passed through where the upstream speaks Responses, else a summary the model writes. */
  app.post('/responses/compact', { schema: { body: ResponsesBodySchema }, config: { usage: 'responses.compact' } }, async (request, reply) => {
    const body = request.body as ResponsesBody & Record<string, unknown>;
    if (body.stream === true) throw new GatewayError('invalid_request', 'A compaction is answered whole: /v1/responses/compact takes no stream', { param: 'stream' });
    const { items, native } = conversation(body, request.clientKey?.name ?? null);
    if (native !== body) request.usage?.reads(native);
    const route = routeRequest(request, reply, { model: body.model, type: 'chat', api: 'responses', whole: native === body ? undefined : native });
    const execution = await router.run(route, (provider, deployment, signal) => compactOn(provider, deployment, { body, items, native }, { signal, via: route.via }));
    return compacted(routed(request, reply, execution), items, request.usage);
  });

  /** Token counts (count.ts): exact from OpenAI's own API, else an estimate; the kept history a `previous_response_id` names counts too. */
  app.post('/responses/input_tokens', { schema: { body: ResponsesBodySchema } }, async (request, reply) => {
    const body = request.body as ResponsesBody & Record<string, unknown>;
    const { items, native } = conversation(body, request.clientKey?.name ?? null);
    const route = routeRequest(request, reply, { model: body.model, type: 'chat', api: 'responses.input_tokens', whole: native === body ? undefined : native });
    const execution = await router.run(route, (provider, deployment, signal) => inputTokensOn(provider, deployment, { body, items, native }, { signal, via: route.via }));
    return routed(request, reply, execution);
  });

  // Codex (0.142 on, its OpenAI provider pointed here) asks for the Responses API over a WebSocket
  // first. Only a 426 sends it to HTTP at once; a 404 it retries for seconds before falling back.
  app.get('/responses', async (request, reply) => {
    if (String(request.headers.upgrade ?? '').toLowerCase() !== 'websocket') throw new GatewayError('not_found', 'There is no endpoint GET /v1/responses');
    reply.header('connection', 'close');
    throw new GatewayError('websocket_not_supported', 'The Responses API is served over HTTP here: POST /v1/responses (a stream with "stream": true)');
  });

  app.get('/responses/:id', { schema: { params: ResponseParamsSchema } }, async (request) => {
    const { id } = request.params as { id: string };
    const response = store.get(id, request.clientKey?.name ?? null);
    if (!response) throw notFound(id);
    return response;
  });

  app.get('/responses/:id/input_items', { schema: { params: ResponseParamsSchema, querystring: InputItemsQuerySchema } }, async (request) => {
    const { id } = request.params as { id: string };
    const input = store.input(id, request.clientKey?.name ?? null);
    if (!input) throw notFound(id);
    const { limit, order, after } = request.query as { limit?: string; order?: 'asc' | 'desc'; after?: string };
    return inputItemList(id, input, { limit: limit === undefined ? undefined : Number(limit), order, after });
  });

  // Only a background response can be cancelled, and it is run here before it is answered: every
  // kept response has finished, and a cancel answers what a cancel of a finished one does, the response.
  app.post('/responses/:id/cancel', { schema: { params: ResponseParamsSchema } }, async (request) => {
    const { id } = request.params as { id: string };
    const response = store.get(id, request.clientKey?.name ?? null);
    if (!response) throw notFound(id);
    return response;
  });

  app.delete('/responses/:id', { schema: { params: ResponseParamsSchema } }, async (request) => {
    const { id } = request.params as { id: string };
    if (!store.delete(id, request.clientKey?.name ?? null)) throw notFound(id);
    return { id, object: 'response', deleted: true };
  });
}
