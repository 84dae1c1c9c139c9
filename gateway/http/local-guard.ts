/**
 * DNS-rebinding and CSRF protection for a server on localhost. A web page can make a browser send
 * requests here: with a rebound DNS name (caught by the exact Host check) or cross-origin from its
 * own origin (caught by the Origin check). Both run in onRequest, before any body is read.
 *
 * Registered at the root, for every request of every surface and for unknown paths alike: it
 * reads only the Host and Origin headers, never the URL, so no spelling of a path escapes it.
 */
import { networkInterfaces } from 'node:os';
import fp from 'fastify-plugin';
import { GatewayError } from '../errors';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export interface GuardOptions {
  /** The address the server is bound to (`127.0.0.1`, `0.0.0.0`, a LAN address...). */
  host: string;
  /** The port actually bound; read per request because tests bind port 0. */
  port: () => number;
}

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_NAMES.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export const localGuardPlugin = fp<GuardOptions>(async (app, options) => {
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

  app.addHook('onRequest', async (request) => {
    if (!hostAllowed(request.headers.host)) {
      throw new GatewayError('host_not_allowed', `Host "${request.headers.host ?? ''}" is not this gateway's address; use http://127.0.0.1:${options.port()}`);
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !originAllowed(origin)) {
      throw new GatewayError('origin_not_allowed', `Requests from the web origin "${origin}" are refused`);
    }
  });

  function originAllowed(origin: string): boolean {
    try {
      const url = new URL(origin);
      return url.protocol === 'http:' && hostAllowed(url.host);
    } catch {
      return false;
    }
  }
}, { name: 'switchyard-local-guard' });
