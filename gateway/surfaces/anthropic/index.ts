/**
 * The Anthropic Messages front door under `/v1` (`ANTHROPIC_BASE_URL` for Claude Code): messages,
 * JSON and SSE, and token counting. A deployment whose upstream speaks Messages (Anthropic, a recent
 * Ollama) gets the request as sent, with the client's `anthropic-version` and `anthropic-beta`;
 * any other gets a translation. Errors are Anthropic's `{type: "error", error: {type, message}}`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { registerModelSurface, type ModelSurfaceServices } from '../../http/model-surface';
import { routeRequest } from '../../http/route-request';
import { writeStream } from '../../http/stream-writer';
import { routed } from '../../http/usage-row';
import type { DeploymentConfig, ProviderConfig } from '../../config/schema';
import type { ProviderAdapter as Provider } from '../../providers/types';
import type { Router } from '../../routing/router';
import { mapEvents, streaming } from '../../routing/streams';
import type { ChatRequest } from '../../wire/canonical';
import { messagesCache, messagesFormat, messagesPreamble, wholeMessage, type MessagesItem, type MessagesWhole } from './answers';
import { withoutBillingHeader } from '../../wire/billing-header';
import { messagesToChat, takesAsSent, type MessagesBody } from './codec';
import { countOn } from './count';
import { anthropicErrorBody } from './output';
import { CountTokensBodySchema, MessagesBodySchema } from './schemas';
import { withStream } from '../../wire/copy-with';

export interface AnthropicSurfaceOptions {
  router: Router;
  services: ModelSurfaceServices;
}

/** Client headers that belong to Anthropic's API and go on to an Anthropic upstream unchanged. */
function anthropicHeaders(request: FastifyRequest): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const name of ['anthropic-version', 'anthropic-beta']) {
    const value = request.headers[name];
    if (typeof value === 'string' && value) out[name] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Anthropic's beta for a 1M-token window (`context-1m-2025-08-07`), which Claude Code sends for its `[1m]` models. */
const LONG_CONTEXT = /(?:^|,)\s*context-1m-/;

/**
 * `[1m]` after a model's name is Claude Code's own selector of a 1M-token window (`sonnet[1m]`,
 * `ANTHROPIC_MODEL=default[1m]`), not part of any model's name: Claude Code takes it off before it
 * asks, but some of its requests (auto mode's safety check) leak it, and a route asked for as
 * `default[1m]` was no route here. It is read as the name before it (also doubled, in any case).
 */
function withoutWindowSuffix<T extends { model: string }>(body: T): T {
  const model = body.model.replace(/(?:\[1m\])+$/i, '');
  return model === body.model || model === '' ? body : { ...body, model };
}

export async function anthropicSurface(app: FastifyInstance, options: AnthropicSurfaceOptions): Promise<void> {
  const { router } = options;
  // Anthropic's name for the id, which its SDK gives as an error's `requestID` and an answer's `_request_id`
  // (set first, so a refusal by the guard or the client keys carries it too).
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('request-id', request.id);
    done();
  });
  await registerModelSurface(app, options.services, anthropicErrorBody, 'anthropic');

  app.post('/messages', { schema: { body: MessagesBodySchema }, config: { usage: 'anthropic.messages' } }, async (request, reply) => {
    const body = withoutWindowSuffix(request.body as MessagesBody & Record<string, unknown>);
    const headers = anthropicHeaders(request);
    const route = routeRequest(request, reply, { model: body.model, type: 'chat', api: 'anthropic.messages', longContext: LONG_CONTEXT.test(headers?.['anthropic-beta'] ?? '') });
    const translations = new Map<ProviderConfig['kind'], ChatRequest>();
    const translated = (kind: ProviderConfig['kind']) => translations.get(kind) ?? translations.set(kind, messagesToChat(body, kind)).get(kind) as ChatRequest;
    const asSent = (provider: Provider, deployment: DeploymentConfig) => takesAsSent(body, provider.speaks('messages', deployment), provider.config.kind);
    if (body.stream === true) {
      const { attempt, track, discard } = streaming<MessagesItem>(async (provider, deployment, signal) =>
        asSent(provider, deployment)
          ? mapEvents(await provider.nativeStream('messages', body, { deployment, signal, headers, via: route.via }), (event) => ({ event }))
          : mapEvents(await provider.chatStream(withStream(translated(provider.config.kind), true), { deployment, signal, via: route.via }), (chunk) => ({ chunk })),
        messagesPreamble,
      );
      const execution = await router.run(route, attempt, { track, discard, cache: messagesCache(withoutBillingHeader(body), headers, 'stream') });
      await writeStream(reply, routed(request, reply, execution), messagesFormat(body.model, request.usage, body.stop_sequences, route.traits?.promptTokens), execution.deployment.provider, request.usage);
      return reply;
    }
    const execution = await router.run<MessagesWhole>(
      route,
      async (provider, deployment, signal) =>
        asSent(provider, deployment)
          ? { message: await provider.nativeJson('messages', withStream(body, false), { deployment, signal, headers, via: route.via }) }
          : { completion: await provider.chat(withStream(translated(provider.config.kind), false), { deployment, signal, via: route.via }) },
      { cache: messagesCache(withoutBillingHeader(body), headers, 'whole') },
    );
    return wholeMessage(routed(request, reply, execution), body.model, request.usage, body.stop_sequences);
  });

  /** Token counts (count.ts): exact from an Anthropic deployment, else (or where it cannot count) an estimate. */
  app.post('/messages/count_tokens', { schema: { body: CountTokensBodySchema } }, async (request, reply) => {
    const body = withoutWindowSuffix(request.body as MessagesBody & Record<string, unknown>);
    const headers = anthropicHeaders(request);
    const route = routeRequest(request, reply, { model: body.model, type: 'chat', api: 'anthropic.count_tokens' });
    const execution = await router.run(route, (provider, deployment, signal) => countOn(provider, deployment, body, { signal, headers, via: route.via }));
    return routed(request, reply, execution);
  });
}

