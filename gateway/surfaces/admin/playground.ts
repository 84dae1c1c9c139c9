/**
 * The playground: a chat request through the real router, with "simulate failure of deployment X"
 * toggles (those deployments fail for this request only, without being called, and without
 * touching their breakers), answered with the attempt-by-attempt trace. Streams are SSE events
 * `{type:"chunk"}` then one `{type:"trace"}`. An admin route: the session is its authorisation;
 * client keys do not apply.
 */
import type { FastifyInstance } from 'fastify';
import { routeRequest } from '../../http/route-request';
import { writeStream } from '../../http/stream-writer';
import { routed } from '../../http/usage-row';
import type { Catalog } from '../../routing/catalog';
import type { Execution } from '../../routing/execute';
import type { Router } from '../../routing/router';
import { cost, priceOf } from '../../usage/pricing';
import { completionText, tokensOf, type ChatCompletionChunk, type ChatRequest } from '../../wire/canonical';
import { chatStream, chatWhole } from '../openai/chat';
import { meterChunk, sseData } from '../openai/codec';
import { PlaygroundAnswerSchema, PlaygroundInputSchema, type Trace } from './schemas';
import type Type from 'typebox';

type PlaygroundInput = Type.Static<typeof PlaygroundInputSchema>;

export function playground(app: FastifyInstance, { router, catalog }: { router: Router; catalog: () => Catalog }): void {
  const schema = { body: PlaygroundInputSchema, response: { 200: PlaygroundAnswerSchema } };
  app.post<{ Body: PlaygroundInput }>('/playground', { schema, config: { usage: 'playground' } }, async (request, reply) => {
    const { simulateFailures, ...chat } = request.body;
    const simulated = new Set(simulateFailures ?? []);
    if (request.usage) request.usage.clientKey = 'playground';
    const route = routeRequest(request, reply, { model: chat.model, type: 'chat', api: 'openai.chat' }, { simulateFailures: simulated });
    const started = performance.now();
    if (chat.stream) {
      const execution = await chatStream(router, route, chat as ChatRequest);
      let usage: ChatCompletionChunk['usage'];
      let firstTokenMs: number | null = null;
      await writeStream(
        reply,
        routed(request, reply, execution),
        {
          contentType: 'text/event-stream; charset=utf-8',
          event: (chunk) => {
            meterChunk(request.usage, chunk);
            if (chunk.usage) usage = chunk.usage;
            if (firstTokenMs === null && chunk.choices[0]?.delta?.content) firstTokenMs = performance.now() - started;
            return sseData({ type: 'chunk', chunk });
          },
          end: () => sseData({ type: 'trace', ...trace(execution, usage, performance.now() - started, firstTokenMs) }),
          error: (failure) => sseData({ type: 'error', message: failure.message, ...trace(execution, usage, performance.now() - started, firstTokenMs) }),
        },
        execution.deployment.provider,
        request.usage,
      );
      return reply;
    }
    const execution = await chatWhole(router, route, chat as ChatRequest);
    const completion = routed(request, reply, execution);
    const tokens = tokensOf(completion.usage);
    if (tokens) request.usage?.reported(tokens);
    request.usage?.delivered(completionText(completion));
    request.usage?.answered();
    return { completion, ...trace(execution, completion.usage, performance.now() - started, null) };
  });

  function trace(execution: Execution<unknown>, usage: { prompt_tokens: number; completion_tokens: number } | null | undefined, totalMs: number, firstTokenMs: number | null): Trace {
    const provider = catalog().providers.get(execution.deployment.provider)?.config;
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
