/**
 * The playground: a request through the real router, with "simulate failure of deployment X"
 * toggles (those deployments fail for this request only, without being called, and without
 * touching their breakers), answered with the attempt-by-attempt trace and every request that went
 * upstream, as translated. `/playground` is a chat request whose stream arrives live (SSE events
 * `{type:"chunk"}` then one `{type:"trace"}`); `/playground/wire` sends a request in any front
 * door's API (chat, or embeddings as OpenAI's or Ollama's) through that front door, in process, and answers with what the client would have got.
 * Admin routes: the session is their authorisation; client keys do not apply.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { inPlaygroundRun, type PlaygroundRun } from '../../playground-run';
import { didYouMean } from '../../config/nearest';
import { TOOL } from '../../config/tool-names';
import { GatewayError } from '../../errors';
import type { UsageLog } from '../../store/usage-log';
import { routeRequest } from '../../http/route-request';
import { clientAbortSignal } from '../../http/client-abort';
import { writeStream } from '../../http/stream-writer';
import { meterChunk, meterCompletion, routed } from '../../http/usage-row';
import type { Catalog } from '../../routing/catalog';
import type { Execution } from '../../routing/execute';
import type { Router } from '../../routing/router';
import { isLocalDeployment } from '../../providers/locality';
import { answerCost, priceOf } from '../../usage/pricing';
import { chunkWriting, tokensOf, type ChatCompletionChunk, type ChatRequest, type Writing } from '../../wire/canonical';
import { chatStream, chatWhole } from '../openai/chat';
import { sseData } from '../openai/codec';
import { PlaygroundAnswerSchema, PlaygroundInputSchema, PlaygroundWireAnswerSchema, PlaygroundWireInputSchema, type PlaygroundWireInput, type Trace } from './schemas';
import type Type from 'typebox';

type PlaygroundInput = Type.Static<typeof PlaygroundInputSchema>;

export interface PlaygroundServices {
  router: Router;
  catalog: () => Catalog;
  usageLog: Pick<UsageLog, 'row'>;
  port: () => number;
}

/** Where each API's requests go in, as a client would send them: four for chat, two for embeddings. */
const FRONT_DOORS = {
  openai: '/v1/chat/completions',
  anthropic: '/v1/messages',
  responses: '/v1/responses',
  ollama: '/api/chat',
  embeddings: '/v1/embeddings',
  'ollama-embed': '/api/embed',
} as const;

/** The tool the playground's requests are logged as. */
export const PLAYGROUND = TOOL.playground;

export function playground(app: FastifyInstance, { router, catalog, usageLog, port }: PlaygroundServices): void {
  const schema = { body: PlaygroundInputSchema, response: { 200: PlaygroundAnswerSchema } };
  app.post<{ Body: PlaygroundInput }>('/playground', { schema, config: { usage: 'playground' } }, async (request, reply) => {
    const { simulateFailures, ...chat } = request.body;
    const run: PlaygroundRun = { simulateFailures: simulatable(simulateFailures), upstream: [] };
    return inPlaygroundRun(run, () => chatRun(request, reply, chat, run));
  });

  app.post<{ Body: PlaygroundWireInput }>('/playground/wire', { schema: { body: PlaygroundWireInputSchema, response: { 200: PlaygroundWireAnswerSchema } } }, async (request, reply) => {
    const { api, body, simulateFailures } = request.body;
    const run: PlaygroundRun = { simulateFailures: simulatable(simulateFailures), upstream: [], signal: clientAbortSignal(reply) };
    const started = performance.now();
    // Started inside the run (`.then` starts it): an inject only awaited would start later, outside the run.
    const answer = await inPlaygroundRun(run, () =>
      app
        .inject({
          method: 'POST',
          url: FRONT_DOORS[api],
          // Named as a tool names itself to the front doors (http/client-tool.ts), so its rows say where they came from.
          headers: { host: `127.0.0.1:${port()}`, 'content-type': 'application/json', 'x-title': PLAYGROUND, ...(api === 'anthropic' ? { 'anthropic-version': '2023-06-01' } : {}) },
          payload: body,
        })
        .then((response) => response),
    );
    const contentType = String(answer.headers['content-type'] ?? '');
    const requestId = String(answer.headers['x-request-id'] ?? '');
    const row = usageLog.row(requestId);
    return {
      status: answer.statusCode,
      contentType,
      // NDJSON (Ollama's stream) is text, a JSON object per line.
      answer: contentType.startsWith('application/json') ? answer.json() : answer.body,
      requestId,
      deployment: row?.deployment ?? null,
      provider: row?.provider ?? null,
      cache: String(answer.headers['x-switchyard-cache'] ?? 'bypass'),
      attempts: row?.attempts ?? [],
      tokens: row && row.inputTokens !== null ? { input: row.inputTokens, output: row.outputTokens ?? 0 } : null,
      cost: row?.cost ?? 0,
      totalMs: Math.round(performance.now() - started),
      firstTokenMs: row?.ttftMs == null ? null : Math.round(row.ttftMs),
      decision: row?.decision ?? null,
      upstream: run.upstream,
    };
  });

  /** A name that is no deployment would simulate nothing, and the run would seem to show a fallback that never came. */
  function simulatable(names: readonly string[] = []): Set<string> {
    const { deployments } = catalog();
    const unknown = names.find((name) => !deployments.has(name));
    if (unknown !== undefined) throw new GatewayError('invalid_request', `There is no deployment named ${JSON.stringify(unknown)} to simulate the failure of${didYouMean(unknown, deployments.keys())}`, { param: 'simulateFailures' });
    return new Set(names);
  }

  async function chatRun(request: FastifyRequest, reply: FastifyReply, chat: Omit<PlaygroundInput, 'simulateFailures'>, run: PlaygroundRun) {
    if (request.usage) {
      request.usage.clientKey = 'playground';
      request.usage.tool = PLAYGROUND;
    }
    const route = routeRequest(request, reply, { model: chat.model, type: 'chat', api: 'openai.chat' });
    const started = performance.now();
    if (chat.stream) {
      const execution = await chatStream(router, route, chat as ChatRequest);
      let usage: ChatCompletionChunk['usage'];
      let firstTokenMs: number | null = null;
      // Its first token may be reasoning or a tool call, as the usage row's is.
      const mark = (text: string | undefined) => {
        if (firstTokenMs === null && text) firstTokenMs = performance.now() - started;
      };
      const written: Writing = { thought: mark, delivered: mark, called: (name, input) => mark(name || input) };
      await writeStream(
        reply,
        routed(request, reply, execution),
        {
          contentType: 'text/event-stream; charset=utf-8',
          event: (chunk) => {
            meterChunk(request.usage, chunk);
            if (chunk.usage) usage = chunk.usage;
            if (firstTokenMs === null) chunkWriting(chunk, written);
            return sseData({ type: 'chunk', chunk });
          },
          end: () => sseData({ type: 'trace', ...trace(execution, usage, performance.now() - started, firstTokenMs), upstream: run.upstream }),
          error: (failure) => sseData({ type: 'error', message: failure.message, ...trace(execution, usage, performance.now() - started, firstTokenMs), upstream: run.upstream }),
        },
        execution.deployment.provider,
        request.usage,
      );
      return reply;
    }
    const execution = await chatWhole(router, route, chat as ChatRequest);
    const completion = routed(request, reply, execution);
    meterCompletion(request.usage, completion);
    request.usage?.answered();
    return { completion, ...trace(execution, completion.usage, performance.now() - started, null), upstream: run.upstream };
  }

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
      cost: usage && execution.cache !== 'hit' ? answerCost(price, tokensOf(usage) ?? { input: usage.prompt_tokens, output: usage.completion_tokens }, isLocalDeployment(execution.deployment, provider)) : 0,
      totalMs: Math.round(totalMs),
      firstTokenMs: firstTokenMs === null ? null : Math.round(firstTokenMs),
      decision: execution.decision,
    };
  }
}
