/**
 * The model APIs for web pages and apps' web views of other origins (an Obsidian plugin, a web UI
 * on another port, a browser extension) that the config allows (`settings.allowedOrigins`; the root
 * guard refuses the rest): every answer carries the CORS headers a browser needs to hand it over,
 * and every route of the surface answers the browser's preflight. Registered on each model surface
 * before its other hooks, so a preflight (which carries no key and is no request for a model) is
 * answered before the client-key check and leaves no usage row.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { GatewayAddress } from './local-guard';

export interface CrossOriginOptions {
  address: GatewayAddress;
  allowedOrigin: (origin: string) => boolean;
}

/** What a page may read of an answer besides the basics: the request id (and Anthropic's name for it, which its SDK reads), the route taken, rate limits. */
const EXPOSED = 'x-request-id, request-id, x-switchyard-route, x-switchyard-attempts, retry-after, x-should-retry';
/** A list of requested headers longer than this is not echoed (browsers send a few dozen bytes). */
const MAX_REQUESTED_HEADERS = 2_048;

export const crossOriginPlugin = fp<CrossOriginOptions>(async (app: FastifyInstance, { address, allowedOrigin }) => {
  // A preflight twin for each route this surface has: OPTIONS reaches no route otherwise.
  const paths = new Set<string>();
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.some((method) => method === 'OPTIONS' || method === 'HEAD') || paths.has(route.url)) return;
    paths.add(route.url);
    app.route({ method: 'OPTIONS', url: route.routePath, handler: notPreflight });
  });

  // A callback hook, not an async one: it runs for every model request and almost always has nothing to do.
  app.addHook('onRequest', (request, reply, done) => {
    const origin = request.headers.origin;
    if (origin === undefined || address.isOwnOrigin(origin) || !allowedOrigin(origin)) return done();
    readableBy(reply, origin);
    reply.header('access-control-expose-headers', EXPOSED);
    if (request.method !== 'OPTIONS' || request.headers['access-control-request-method'] === undefined) return done();
    reply.header('access-control-allow-methods', 'GET, HEAD, POST');
    const asked = request.headers['access-control-request-headers'];
    if (typeof asked === 'string' && asked.length <= MAX_REQUESTED_HEADERS) reply.header('access-control-allow-headers', asked);
    // Chrome asks before a public site's page may reach a loopback server (Private Network Access).
    if (request.headers['access-control-request-private-network'] === 'true') reply.header('access-control-allow-private-network', 'true');
    reply.header('access-control-max-age', '600');
    // Answered here, so no later hook (the client key, the usage row) runs for it.
    reply.code(204).send();
  });
}, { name: 'switchyard-cross-origin' });

/** The headers that let a page of an allowed `origin` read an answer. */
export function readableBy(reply: FastifyReply, origin: string): void {
  reply.header('access-control-allow-origin', origin);
  reply.header('vary', 'Origin');
}

/** An OPTIONS request that is no allowed preflight: as if the route did not take it. */
function notPreflight(_request: FastifyRequest, reply: FastifyReply): void {
  reply.callNotFound();
}
