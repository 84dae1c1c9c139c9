/**
 * Ties each model request to its usage row: begun on arrival, told the body, and committed just
 * before the response is written (onSend), so a row exists for every answer a client received.
 * Streams commit in the stream writer before their last bytes; a client that leaves early commits
 * as client_closed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Execution } from '../routing/execute';
import type { RequestUsage } from '../usage/recorder';
import { addModelRouteHooks } from './model-route-hooks';

declare module 'fastify' {
  interface FastifyRequest {
    usage?: RequestUsage;
  }
  interface FastifyContextConfig {
    /** Marks a model endpoint: its requests get usage rows and client-key checks. */
    usage?: string;
  }
}

export function registerUsageHooks(app: FastifyInstance): void {
  addModelRouteHooks(app, (endpoint) => ({
    onRequest: usageBegin(app, endpoint),
    preValidation: async (request) => {
      request.usage?.request(request.body);
    },
    onSend: async (request, reply, payload) => {
      await request.usage?.commit(reply.statusCode);
      return payload;
    },
  }));
}

function usageBegin(app: FastifyInstance, endpoint: string) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const usage = app.switchyard.usage.begin(request.id, endpoint);
    request.usage = usage;
    reply.raw.once('close', () => {
      if (reply.raw.writableFinished) return;
      usage.failed(undefined, 'client_closed');
      void usage.commit(499);
    });
  };
}

/** Response headers and usage for a routed request; returns what the handler sends. */
export function routed<T>(request: FastifyRequest, reply: FastifyReply, execution: Execution<T>): T {
  reply.header('x-switchyard-deployment', execution.deployment.name);
  reply.header('x-switchyard-attempts', String(execution.attempts.length));
  reply.header('x-switchyard-cache', execution.cache ?? 'bypass');
  request.usage?.served(execution);
  return execution.value;
}
