/**
 * What a 404 for a path says. A tool's base URL is the commonest mistake in its setup: without
 * `/v1` an OpenAI client asks for `/chat/completions`, with it Claude Code asks for
 * `/v1/v1/messages` and an Ollama client for `/v1/api/chat`. Where the path the tool meant is one
 * the gateway serves, the answer names it and what to change; where it is an API the gateway does
 * not pass on (OpenAI's images or audio, say), the answer lists what it serves there.
 */
import type { FastifyInstance, FastifyRequest, HTTPMethods } from 'fastify';
import { nearest } from '../config/nearest';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Served under a model API's prefix without being part of that API (Claude Code's telemetry under `/api`): a 404 there does not list it. */
    unlisted?: boolean;
  }
}

/** The endpoints the model APIs serve under each of their prefixes, as the surfaces add their routes. */
export type Served = (prefix: string) => readonly string[];

const PREFIXED = /^(\/v1|\/api)\/([^:]+?)\/?(?:\/:.*)?$/;

/** Watches routes being added (register it before the surfaces): `chat/completions`, `messages`, ... under `/v1`. */
export function watchServed(app: FastifyInstance): Served {
  const served = new Map<string, string[]>();
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const match = PREFIXED.exec(route.url);
    if (!match || route.config?.unlisted === true || methods.every((m) => m === 'OPTIONS' || m === 'HEAD')) return;
    const [, prefix, path] = match as unknown as [string, string, string];
    const list = served.get(prefix) ?? [];
    // `messages` says `messages/count_tokens` too; `chat/completions` stays whole, as no `chat` is served.
    if (!list.some((p) => path === p || path.startsWith(`${p}/`))) served.set(prefix, [...list.filter((p) => !p.startsWith(`${path}/`)), path]);
  });
  return (prefix) => served.get(prefix) ?? [];
}

const METHODS: readonly HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
// Only a path of these is looked up: the router would read `:`, `*` or `(` as a pattern's parts.
const PLAIN_PATH = /^[\w./-]+$/;

/** `what`: the UI's pages share the root with the APIs, so a GET there may have meant either. `served`: what is listed for a path under a model API's prefix that none of its endpoints is. */
export function noEndpointMessage(app: FastifyInstance, request: FastifyRequest, what = `endpoint ${request.method}`, served?: Served): string {
  const path = request.url.split('?')[0] ?? '';
  const said = `There is no ${what} ${path}`;
  // A long path is no base URL mistake: it is not looked up.
  if (path.length > 200) return said;
  // The admin API's methods are for the UI, which knows them: a caller without a session is told nothing of them.
  const plain = PLAIN_PATH.test(path) && !path.startsWith('/admin/');
  // The methods a path is served with: the request's own alone when it is one of them.
  const takes = (url: string) => {
    if (!plain) return [];
    const methods = METHODS.filter((m) => app.hasRoute({ method: m, url }));
    return methods.includes(request.method as HTTPMethods) ? [request.method] : methods;
  };
  const under = `/v1${path}`;
  const takesUnder = path.startsWith('/v1/') || path.startsWith('/api/') ? [] : takes(under);
  if (takesUnder.length > 0) {
    return `${said}: the gateway serves ${takesUnder.join(' and ')} ${under}; this tool does not add /v1 itself, so its base URL here ends in /v1`;
  }
  const without = path.replace(/^\/v1(?=\/(v1|api)\/)/, '');
  const takesWithout = without === path ? [] : takes(without);
  if (takesWithout.length > 0) {
    return `${said}: the gateway serves ${takesWithout.join(' and ')} ${without}; this tool adds ${without.startsWith('/api/') ? '/api' : '/v1'} itself, so its base URL here has no /v1`;
  }
  const own = takes(path);
  if (own.length > 0) return `${said}: it takes ${own.join(' or ')}`;
  const prefix = /^\/(?:v1|api)(?=\/)/.exec(path)?.[0];
  const there = prefix && served ? served(prefix) : [];
  if (!prefix || there.length === 0) return said;
  const near = nearest(path.slice(prefix.length + 1), there);
  if (near) return `${said} (did you mean ${request.method} ${prefix}/${near}?)`;
  const list = there.length > 1 ? `${there.slice(0, -1).join(', ')} and ${there.at(-1)}` : there[0];
  const elsewhere = prefix === '/v1' ? "whatever else a provider's API has, such as images or audio, is not passed on: call the provider for it" : "the rest of Ollama's API, such as its blobs, is for Ollama itself";
  return `${said}: under ${prefix} the gateway serves ${list} (${elsewhere})`;
}
