/** What every model endpoint hands the router from its request: abort signal, preference, cache directive. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RouteOptions } from '../routing/router';
import { clientAbortSignal } from './client-abort';

export function routeOptions(request: FastifyRequest, reply: FastifyReply, extra: Partial<RouteOptions> = {}): RouteOptions {
  const prefer = request.headers['x-switchyard-prefer'];
  return {
    signal: clientAbortSignal(reply),
    prefer: Array.isArray(prefer) ? prefer[0] : prefer,
    cacheControl: request.headers['cache-control'],
    ...extra,
  };
}
