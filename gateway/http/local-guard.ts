/**
 * DNS-rebinding and CSRF protection for a server on localhost. A web page can make a browser send
 * requests here: with a rebound DNS name (caught by the exact Host check) or cross-origin from its
 * own origin (caught by the Origin check: only the gateway's own and those the config allows for
 * the model APIs pass). Both run in onRequest, before any body is read.
 *
 * Registered at the root, for every request of every surface and for unknown paths alike: it
 * reads only the Host and Origin headers, never the URL, so no spelling of a path escapes it. The
 * dashboard and admin API narrow it to their own origin with `ownOriginOnly`, on their routes.
 */
import { networkInterfaces } from 'node:os';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { GatewayError } from '../errors';
import { isLoopbackHost } from '../providers/hosts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A route of the dashboard or admin API (marked by `ownOriginOnly`): a refusal there says so, not how to allow an origin. */
    ownOrigin?: boolean;
  }
}

export interface GuardOptions {
  /** The address the server is bound to (`127.0.0.1`, `0.0.0.0`, a LAN address...). */
  host: string;
  /** The port actually bound; read per request because tests bind port 0. */
  port: () => number;
}

/** The names this gateway answers to, and its own web origin. */
export interface GatewayAddress {
  port: () => number;
  hostAllowed(hostHeader: string | undefined): boolean;
  isOwnOrigin(origin: string): boolean;
}

export function gatewayAddress(options: GuardOptions): GatewayAddress {
  const extraNames = new Set<string>();
  if (!isLoopbackHost(options.host)) {
    // Bound beyond loopback: the machine's own addresses are legitimate Host names too.
    if (options.host === '0.0.0.0' || options.host === '::') {
      for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) extraNames.add(a.family === 'IPv6' ? `[${a.address}]` : a.address);
    } else {
      extraNames.add(options.host.includes(':') ? `[${options.host}]` : options.host);
    }
  }
  const hostAllowed = (hostHeader: string | undefined): boolean => {
    if (!hostHeader) return false;
    const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostHeader.toLowerCase());
    if (!match?.[1]) return false;
    const port = match[2] ? Number(match[2]) : 80;
    if (port !== options.port()) return false;
    return isLoopbackHost(match[1]) || extraNames.has(match[1]);
  };
  return {
    port: options.port,
    hostAllowed,
    isOwnOrigin(origin) {
      try {
        const url = new URL(origin);
        return url.protocol === 'http:' && hostAllowed(url.host);
      } catch {
        return false;
      }
    },
  };
}

export interface LocalGuardOptions {
  address: GatewayAddress;
  /** Another origin the config lets call the model APIs (`settings.allowedOrigins`). */
  allowedOrigin: (origin: string) => boolean;
}

export const localGuardPlugin = fp<LocalGuardOptions>(async (app, { address, allowedOrigin }) => {
  app.addHook('onRequest', async (request, reply) => {
    const host = address.hostAllowed(request.headers.host);
    const origin = request.headers.origin;
    const foreign = origin !== undefined && !address.isOwnOrigin(origin) && !allowedOrigin(origin);
    if (host && !foreign) return;
    // Refused before any surface's hooks run: the answer still names its request, as every other does.
    reply.header('x-request-id', request.id);
    if (!host) throw new GatewayError('host_not_allowed', `Host "${request.headers.host ?? ''}" is not this gateway's address; use http://127.0.0.1:${address.port()}`);
    throw request.routeOptions.config?.ownOrigin ? notHere(origin as string) : refused(origin as string);
  });
}, { name: 'switchyard-local-guard' });

/**
 * For the dashboard and the admin API: their own origin only, whatever origins the config lets call
 * the model APIs (a page those may run must not reach the admin API with the user's session). Marks
 * the plugin's routes (unless one says `ownOrigin: false`), so the root's refusal of an origin
 * names the right remedy there: none.
 */
export function ownOriginOnly(app: FastifyInstance, address: GatewayAddress, unless?: (request: FastifyRequest) => boolean): void {
  app.addHook('onRoute', (route) => {
    route.config = { ownOrigin: true, ...route.config };
  });
  app.addHook('onRequest', async (request) => {
    const origin = request.headers.origin;
    if (origin !== undefined && !address.isOwnOrigin(origin) && !unless?.(request)) throw notHere(origin);
  });
}

function notHere(origin: string): GatewayError {
  return new GatewayError('origin_not_allowed', `Requests from the web origin "${origin.slice(0, 300)}" are refused here: only the dashboard's own pages may use it (allowed web origins are for the model APIs)`);
}

function refused(origin: string): GatewayError {
  return new GatewayError('origin_not_allowed', `Requests from the web origin "${origin.slice(0, 300)}" are refused; to let it call the model APIs, add it to the allowed web origins (Settings, or "settings.allowedOrigins" in the config)`);
}
