/**
 * The playground: a chat request through the real router, with "simulate failure of deployment X"
 * toggles (those deployments fail for this request only, without being called, and without
 * touching their breakers), answered with the attempt-by-attempt trace. Streams are SSE events
 * `{type:"chunk"}` then one `{type:"trace"}`.
 */
import type { FastifyInstance } from 'fastify';
import type { Execution } from '../../routing/execute';
import { cost, priceOf } from '../../usage/pricing';
import { sseData, type ChatCompletionChunk, type ChatRequest } from '../../wire/openai';
import { routeOptions } from '../route-options';
import { writeStream } from '../stream-writer';
import { routed } from '../usage-hooks';
import { GatewayError } from '../../errors';

export function registerPlayground(app: FastifyInstance): void {
  app.post('/admin/api/playground', { config: { usage: 'playground' } }, async (request, reply) => {
    const body = request.body as (ChatRequest & { simulateFailures?: unknown }) | undefined;
    if (!body || typeof body.model !== 'string' || !Array.isArray(body.messages) || body.messages.length === 0) {
      throw new GatewayError('invalid_request', 'Pick a route or deployment and write a message', { param: body?.model ? 'messages' : 'model' });
    }
    const { simulateFailures, ...chat } = body;
    const simulated = new Set(Array.isArray(simulateFailures) ? (simulateFailures as string[]) : []);
    if (request.usage) request.usage.clientKey = 'playground';
    const options = routeOptions(request, reply, { simulateFailures: simulated });
    const started = performance.now();
    if (chat.stream) {
      const execution = await app.switchyard.router.chatStream(chat as ChatRequest, options);
      let usage: ChatCompletionChunk['usage'];
      let firstTokenMs: number | null = null;
      await writeStream(
        reply,
        routed(request, reply, execution),
        {
          contentType: 'text/event-stream; charset=utf-8',
          chunk: (chunk) => {
            if (chunk.usage) usage = chunk.usage;
            if (firstTokenMs === null && chunk.choices[0]?.delta?.content) firstTokenMs = performance.now() - started;
            return sseData({ type: 'chunk', chunk });
          },
          end: () => sseData({ type: 'trace', ...trace(execution, usage, performance.now() - started, firstTokenMs) }),
          error: (message) => sseData({ type: 'error', message, ...trace(execution, usage, performance.now() - started, firstTokenMs) }),
        },
        execution.deployment.provider,
        request.usage,
      );
      return reply;
    }
    const execution = await app.switchyard.router.chat(chat as ChatRequest, options);
    const completion = routed(request, reply, execution);
    request.usage?.answered(completion);
    return { completion, ...trace(execution, completion.usage, performance.now() - started, null) };
  });

  function trace(execution: Execution<unknown>, usage: { prompt_tokens: number; completion_tokens: number } | null | undefined, totalMs: number, firstTokenMs: number | null) {
    const catalog = app.switchyard.catalog();
    const provider = catalog.providers.get(execution.deployment.provider)?.config;
    const price = priceOf(execution.deployment, provider);
    return {
      deployment: execution.deployment.name,
      provider: execution.deployment.provider,
      cache: execution.cache ?? 'bypass',
      attempts: execution.attempts,
      skipped: execution.skipped,
      tokens: usage ? { input: usage.prompt_tokens, output: usage.completion_tokens } : null,
      cost: usage && execution.cache !== 'hit' ? cost(price, usage.prompt_tokens, usage.completion_tokens) : 0,
      totalMs: Math.round(totalMs),
      firstTokenMs: firstTokenMs === null ? null : Math.round(firstTokenMs),
    };
  }
}
