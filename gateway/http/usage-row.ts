/**
 * Ties each model request to its usage row: begun on arrival, told the body, and committed just
 * before the response is written (onSend), so a row exists for every answer a client received.
 * Streams commit in the stream writer before their last bytes; a client that leaves early commits
 * as client_closed, once its routing has said what it tried. Only routes that name a usage
 * `endpoint` in their config get rows.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { routeHeader } from '../routing/decision';
import type { Execution } from '../routing/execute';
import type { RequestUsage, UsageRecorder } from '../usage/recorder';
import { chunkWriting, completionWriting, tokensOf, type ChatCompletion, type ChatCompletionChunk } from '../wire/canonical';
import { toolOf } from './client-tool';
import { sessionOf } from './session';

declare module 'fastify' {
  interface FastifyRequest {
    usage?: RequestUsage;
  }
  interface FastifyContextConfig {
    /** Marks a model endpoint: its requests get usage rows, under this endpoint name. */
    usage?: string;
  }
}

/** Register before the surface's other plugins: the row must exist before a client-key check can refuse. */
export const usageRowPlugin = fp<{ recorder: UsageRecorder; api: string | null }>(
  async (app, { recorder, api }) => {
    app.addHook('onRequest', async (request, reply) => {
      const endpoint = request.routeOptions.config.usage;
      if (!endpoint) return;
      const usage = recorder.begin(request.id, endpoint, api);
      request.usage = usage;
      usage.tool = toolOf(request.headers);
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) usage.clientLeft();
      });
    });
    app.addHook('preValidation', async (request) => {
      if (!request.usage) return;
      request.usage.request(request.body);
      request.usage.session = sessionOf(request) ?? null;
    });
    app.addHook('onSend', async (request, reply, payload) => {
      await request.usage?.commit(reply.statusCode);
      return payload;
    });
  },
  { name: 'switchyard-usage-row' },
);

/** Response headers and usage for a routed request; returns what the handler sends. */
export function routed<T>(request: FastifyRequest, reply: FastifyReply, execution: Execution<T>): T {
  reply.header('x-switchyard-deployment', execution.deployment.name);
  reply.header('x-switchyard-attempts', String(execution.attempts.length));
  reply.header('x-switchyard-cache', execution.cache ?? 'bypass');
  reply.header('x-switchyard-route', routeHeader(execution.decision));
  if (execution.budgets?.length) reply.header('x-switchyard-budget', budgetHeader(execution.budgets));
  request.usage?.served(execution);
  return execution.value;
}

type AppliedBudgets = readonly { name: string; remainingUsd: number }[];

// A verdict's budgets are one array, never changed, for every request until spend changes the
// verdict (budgets.ts keeps verdicts): its header is written once, not with toFixed each request (0.2 to 0.4 us).
const budgetHeaders = new WeakMap<AppliedBudgets, string>();

/** `daily=4.2100, team=120.0000`: what remains (USD) of each budget that applied. */
function budgetHeader(budgets: AppliedBudgets): string {
  let header = budgetHeaders.get(budgets);
  if (header === undefined) {
    header = budgets.map((b) => `${b.name}=${Math.max(0, b.remainingUsd).toFixed(4)}`).join(', ');
    budgetHeaders.set(budgets, header);
  }
  return header;
}

/** What a canonical chunk tells the usage row: the upstream's counts, and what the model wrote. */
export function meterChunk(usage: RequestUsage | undefined, chunk: ChatCompletionChunk): void {
  if (!usage) return;
  reportedIn(usage, chunk.usage);
  chunkWriting(chunk, usage);
}

/** What a whole canonical completion tells the usage row (a whole answer also calls `answered`). */
export function meterCompletion(usage: RequestUsage | undefined, completion: ChatCompletion): void {
  if (!usage) return;
  reportedIn(usage, completion.usage);
  completionWriting(completion, usage);
}

function reportedIn(usage: RequestUsage, counts: Parameters<typeof tokensOf>[0]): void {
  const tokens = tokensOf(counts);
  if (tokens) usage.reported(tokens);
}
