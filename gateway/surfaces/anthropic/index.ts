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
import type { ProviderConfig } from '../../config/schema';
import { isUpstreamError } from '../../errors';
import type { Router } from '../../routing/router';
import { mapEvents, streaming } from '../../routing/streams';
import { estimateTokens, promptText } from '../../usage/tokens';
import type { ChatRequest } from '../../wire/canonical';
import { messagesCache, messagesFormat, messagesPreamble, wholeMessage, type MessagesItem, type MessagesWhole } from './answers';
import { messagesToChat, type MessagesBody } from './codec';
import { anthropicErrorBody } from './output';
import { CountTokensBodySchema, MessagesBodySchema } from './schemas';

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

export async function anthropicSurface(app: FastifyInstance, options: AnthropicSurfaceOptions): Promise<void> {
  const { router } = options;
  await registerModelSurface(app, options.services, anthropicErrorBody, 'anthropic');

  app.post('/messages', { schema: { body: MessagesBodySchema }, config: { usage: 'anthropic.messages' } }, async (request, reply) => {
    const body = request.body as MessagesBody & Record<string, unknown>;
    const headers = anthropicHeaders(request);
    const route = routeRequest(request, reply, { model: body.model, type: 'chat', api: 'anthropic.messages' });
    const translations = new Map<ProviderConfig['kind'], ChatRequest>();
    const translated = (kind: ProviderConfig['kind']) => translations.get(kind) ?? translations.set(kind, messagesToChat(body, kind)).get(kind) as ChatRequest;
    if (body.stream === true) {
      const { attempt, track, discard } = streaming<MessagesItem>(async (provider, deployment, signal) =>
        provider.speaks('messages', deployment)
          ? mapEvents(await provider.nativeStream('messages', body, { deployment, signal, headers, via: route.via }), (event) => ({ event }))
          : mapEvents(await provider.chatStream({ ...translated(provider.config.kind), stream: true }, { deployment, signal, via: route.via }), (chunk) => ({ chunk })),
        messagesPreamble,
      );
      const execution = await router.run(route, attempt, { track, discard, cache: messagesCache(body, 'stream') });
      await writeStream(reply, routed(request, reply, execution), messagesFormat(body.model, request.usage), execution.deployment.provider, request.usage);
      return reply;
    }
    const execution = await router.run<MessagesWhole>(
      route,
      async (provider, deployment, signal) =>
        provider.speaks('messages', deployment)
          ? { message: await provider.nativeJson('messages', { ...body, stream: false }, { deployment, signal, headers, via: route.via }) }
          : { completion: await provider.chat({ ...translated(provider.config.kind), stream: false }, { deployment, signal, via: route.via }) },
      { cache: messagesCache(body, 'whole') },
    );
    return wholeMessage(routed(request, reply, execution), body.model, request.usage);
  });

  /**
   * Exact from an Anthropic deployment; from any other, an estimate that costs time linear in the
   * request (the tokenizer for short text, a calibrated count beyond). A count is advice, not an
   * answer: when the upstream cannot give one (Anthropic-compatible APIs without the endpoint say
   * 404, its own limits 429) the estimate stands in, and the failure says nothing to the breaker
   * about the deployment's messages (a 404 here had blocked it as "model missing" for 30 minutes).
   * A request the upstream refuses as such (a 400) is still the client's to see.
   */
  app.post('/messages/count_tokens', { schema: { body: CountTokensBodySchema } }, async (request, reply) => {
    const body = request.body as MessagesBody & Record<string, unknown>;
    const headers = anthropicHeaders(request);
    const route = routeRequest(request, reply, { model: body.model, type: 'chat', api: 'anthropic.count_tokens' });
    const estimate = () => ({ input_tokens: estimateTokens(promptText(body)) + (body.tools ? estimateTokens(JSON.stringify(body.tools)) : 0) });
    const execution = await router.run(route, async (provider, deployment, signal) => {
      if (provider.config.kind !== 'anthropic' || !provider.speaks('messages', deployment)) return estimate();
      try {
        return await provider.nativeJson('messages.count_tokens', body, { deployment, signal, headers, via: route.via });
      } catch (error) {
        if (isUpstreamError(error) && error.failure !== 'client_closed' && error.failure !== 'upstream_4xx') return estimate();
        throw error;
      }
    });
    return routed(request, reply, execution);
  });
}

