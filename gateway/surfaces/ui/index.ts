/**
 * Serves the built UI (out/renderer) from the gateway's own origin, so the browser and the desktop
 * window talk to the admin API without CORS. `/` also redeems a login link, and answers an Ollama
 * client as Ollama does. The UI's own pages serve index.html (client-side routes); anything else is a 404.
 */
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GatewayError } from '../../errors';
import { readableBy } from '../../http/cross-origin';
import { noEndpointMessage } from '../../http/not-found';
import { ownOriginOnly, type GatewayAddress } from '../../http/local-guard';
import { requestIdPlugin } from '../../http/request-id';
import type { AdminSessions } from '../../store/admin-sessions';
import { redeemLoginLink } from '../admin/session';

/** The UI loads only from its own origin; no frames, no plugins, no inline scripts. */
const UI_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route that answers an Ollama client's check of the base URL (as well as the dashboard). */
    ollamaRoot?: boolean;
  }
}

/** What Ollama answers at its root, which clients compare word for word. */
const OLLAMA_ROOT = 'Ollama is running';

function asksForPage(request: FastifyRequest): boolean {
  const query = request.query as { token?: unknown; login?: unknown };
  return String(request.headers.accept ?? '').includes('text/html') || query.token !== undefined || query.login !== undefined;
}

/** The UI's own pages; anything else that is not a file or an API is a 404. */
const UI_PAGES = ['overview', 'routes', 'providers', 'playground', 'connect', 'usage', 'settings'];

export interface UiOptions {
  /** The built UI (out/renderer); absent or unbuilt, pages say how to build it. */
  uiDir: string | undefined;
  port: () => number;
  sessions: AdminSessions;
  /** Its own origin alone may load it, whatever origins the model APIs take. */
  address: GatewayAddress;
  /** Origins the config lets call the model APIs: they may also check the Ollama base URL. */
  allowedOrigin: (origin: string) => boolean;
}

export async function uiSurface(app: FastifyInstance, options: UiOptions): Promise<void> {
  // On the matched route: only `/`'s answer to an Ollama client is for the origins the model APIs take.
  const ollamaCheck = (request: FastifyRequest) => request.routeOptions.config.ollamaRoot === true && !asksForPage(request) && options.allowedOrigin(String(request.headers.origin));
  ownOriginOnly(app, options.address, ollamaCheck);
  await app.register(requestIdPlugin);
  const built = options.uiDir !== undefined && existsSync(join(options.uiDir, 'index.html'));
  if (built) {
    // The root's few files are routed one by one; the hashed bundles under assets/ are looked up
    // when asked for, so a UI rebuilt while the gateway runs is served at the next reload, not a blank page.
    await app.register(fastifyStatic, { root: options.uiDir as string, index: false, wildcard: false, serve: true, cacheControl: true, maxAge: '1h', globIgnore: ['assets/**'] });
    // The build writes each bundle's gzip beside it: sent as it is to a browser that takes gzip.
    await app.register(fastifyStatic, { root: join(options.uiDir as string, 'assets'), prefix: '/assets/', decorateReply: false, index: false, wildcard: true, cacheControl: true, maxAge: '1h', preCompressed: true });
  }
  /** `at`: the page's own path. Asked for under another spelling, it is sent there first: it loads its files by paths relative to itself, which under `/usage/` or `//` would name no file. */
  const page = async (request: FastifyRequest, reply: FastifyReply, at: string) => {
    const [path, query] = request.url.split('?');
    if (path !== at) return reply.redirect(`${at}${query === undefined ? '' : `?${query}`}`, 308);
    if (redeemLoginLink(options.sessions, request, reply, options.port())) return reply;
    reply.header('cache-control', 'no-store');
    reply.header('content-security-policy', UI_CSP);
    reply.header('x-frame-options', 'DENY');
    reply.header('x-content-type-options', 'nosniff');
    // Looked for each time: a rebuild empties the folder for a moment, which is no internal error.
    if (built && existsSync(join(options.uiDir as string, 'index.html'))) return reply.type('text/html').sendFile('index.html');
    return reply
      .type('text/html')
      .send('<!doctype html><meta charset="utf-8"><title>Switchyard</title><p>The Switchyard UI is not built. Run <code>npm run build</code>, then reload.</p>');
  };
  // `/` is also the Ollama base URL: clients check a server by asking it (the Ollama SDKs' users,
  // editors' "detect Ollama", Claude Code's HEAD probe) and many want Ollama's own answer, word for
  // word. A browser, which asks for HTML, and a login link get the dashboard.
  // An origin refused there is told how to allow it: checking the Ollama base URL is a model API's call.
  app.get('/', { config: { ollamaRoot: true, ownOrigin: false } }, (request, reply) => {
    if (asksForPage(request)) return page(request, reply, '/');
    const origin = request.headers.origin;
    // A page of an allowed origin (a browser extension checking for Ollama) may read the answer.
    if (origin !== undefined && !options.address.isOwnOrigin(origin)) readableBy(reply, origin);
    return reply.type('text/plain; charset=utf-8').send(OLLAMA_ROOT);
  });
  // Browsers ask for /favicon.ico whatever the page links; the app icon is a PNG, which they all accept.
  // A build without it answers 404, not an internal error.
  if (built) {
    app.get('/favicon.ico', (_request, reply) => {
      if (!existsSync(join(options.uiDir as string, 'favicon.png'))) throw new GatewayError('not_found', 'This build of the UI has no app icon (favicon.png)');
      return reply.type('image/png').sendFile('favicon.png');
    });
  }
  app.get<{ Params: { page: string } }>('/:page', async (request, reply) => {
    if (!UI_PAGES.includes(request.params.page)) throw new GatewayError('not_found', noEndpointMessage(app, request, 'page or endpoint'));
    return page(request, reply, `/${request.params.page}`);
  });
}
