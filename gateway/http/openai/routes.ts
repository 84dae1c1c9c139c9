/**
 * The OpenAI-compatible surface: `/v1/models`, `/v1/chat/completions`, `/v1/embeddings`. Handlers
 * validate, hand the request to the router, and write what it returns.
 */
import type { FastifyInstance } from 'fastify';
import { SSE_DONE, encodeEmbeddings, isUsageOnlyChunk, sseData, type ChatRequest, type EmbeddingRequest } from '../../wire/openai';
import { openAIErrorEvent } from '../error-handler';
import { writeStream, type StreamFormat } from '../stream-writer';
import { routeOptions } from '../route-options';
import { routed } from '../usage-hooks';
import { ChatBodySchema, EmbeddingBodySchema } from './schemas';

export function registerOpenAIRoutes(app: FastifyInstance): void {
  app.get('/v1/models', async () => {
    const catalog = app.switchyard.catalog();
    const created = Math.floor(app.switchyard.configAppliedAt() / 1000);
    return {
      object: 'list',
      data: [
        ...catalog.config.routes.map((r) => ({ id: r.name, object: 'model', created, owned_by: 'switchyard' })),
        ...catalog.config.deployments.map((d) => ({ id: d.name, object: 'model', created, owned_by: d.provider })),
      ],
    };
  });

  app.post('/v1/chat/completions', { schema: { body: ChatBodySchema }, config: { usage: 'chat.completions' } }, async (request, reply) => {
    const body = request.body as ChatRequest;
    const options = routeOptions(request, reply);
    if (body.stream) {
      const execution = await app.switchyard.router.chatStream(body, options);
      const stream = routed(request, reply, execution);
      await writeStream(reply, stream, sseFormat(body.stream_options?.include_usage === true), execution.deployment.provider, request.usage);
      return reply;
    }
    const completion = routed(request, reply, await app.switchyard.router.chat(body, options));
    request.usage?.answered(completion);
    return completion;
  });

  app.post('/v1/embeddings', { schema: { body: EmbeddingBodySchema }, config: { usage: 'embeddings' } }, async (request, reply) => {
    const body = request.body as EmbeddingRequest;
    const result = routed(request, reply, await app.switchyard.router.embed(body, routeOptions(request, reply)));
    request.usage?.answered(result);
    return encodeEmbeddings(result, body.encoding_format);
  });
}

/** OpenAI's SSE: `data: {chunk}` events, `data: [DONE]` at the end, the usage chunk only when asked for. */
function sseFormat(includeUsage: boolean): StreamFormat {
  return {
    contentType: 'text/event-stream; charset=utf-8',
    chunk: (chunk) => (includeUsage || !isUsageOnlyChunk(chunk) ? sseData(chunk) : ''),
    end: () => SSE_DONE,
    error: (message, failureClass) => sseData({ error: openAIErrorEvent(message, failureClass) }),
  };
}
