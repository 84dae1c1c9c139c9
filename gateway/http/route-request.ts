/** What every model endpoint hands the router from its HTTP request: abort signal, preference, cache directive, traits, client key, tool, session. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ModelType } from '../routing/plan';
import type { RouteRequest } from '../routing/router';
import { clientAbortSignal } from './client-abort';
import { traitsOf } from './traits';
import { playgroundRun } from '../playground-run';
import { viaOf } from './loop-guard';
import { sessionOf } from './session';
import { toolOf } from './client-tool';

/**
 * `whole`: the request as its upstreams get it, where that holds more than the client sent (a
 * Responses turn with its kept history inline): its size, images and tools are that body's, whose
 * length in bytes is unknown.
 */
export function routeRequest(request: FastifyRequest, reply: FastifyReply, what: { model: string; type: ModelType; api: string; numCtx?: number | undefined; longContext?: boolean; cutToFit?: boolean; whole?: unknown }): RouteRequest {
  const prefer = request.headers['x-switchyard-prefer'];
  const playground = playgroundRun();
  // One literal of one shape: this runs for every request, and spreading objects of varying shapes here cost microseconds.
  return {
    model: what.model,
    type: what.type,
    api: what.api,
    signal: playground?.signal ?? clientAbortSignal(reply),
    prefer: Array.isArray(prefer) ? prefer[0] : prefer,
    cacheControl: request.headers['cache-control'],
    simulateFailures: playground?.simulateFailures,
    traits: what.whole === undefined ? traitsOf(request.body, request.headers['content-length'], what.numCtx, what.longContext, what.cutToFit, what.type === 'embedding') : traitsOf(what.whole, undefined, what.numCtx),
    clientKey: request.clientKey?.name,
    tool: (request.usage ? request.usage.tool : toolOf(request.headers)) ?? undefined,
    // Read once, when the usage row is told the body; a request without a row (count_tokens) reads it here.
    session: request.usage ? (request.usage.session ?? undefined) : sessionOf(request),
    via: viaOf(request),
  };
}
