/**
 * buildApp: the Fastify instance with every plugin registered in the order requests meet them.
 * Root level: the JSON body parser and the Host/Origin guard (both read no URL). Then one
 * encapsulated plugin per surface, each handed only the services it uses. It never listens;
 * server.ts (and tests) do.
 */
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { Config } from './config/schema';
import type { Secrets } from './config/secrets';
import type { Places } from './connect/connect';
import { probedWindow } from './connect/context-window';
import type { ValidationResult } from './config/validate';
import { GatewayError } from './errors';
import { clientErrorHandler, expectationRefusal } from './http/client-errors';
import { drainPlugin } from './http/close';
import { compilersFactory } from './http/compilers';
import { MAX_BODY_BYTES, registerJsonBody } from './http/json-body';
import { addAccessLog } from './http/access-log';
import { noEndpointMessage, watchServed } from './http/not-found';
import { MAX_PATH_NAME_CHARS, unreadablePathHandler } from './http/unreadable-paths';
import { gatewayAddress, localGuardPlugin } from './http/local-guard';
import { isLoopbackHost } from './providers/hosts';
import { clientKeyOf } from './http/client-keys';
import { clientKeysRequired } from './config/for-clients';
import { currentOriginMatcher } from './config/origins';
import { errorHandler, sendError, type ModelSurfaceServices } from './http/model-surface';
import { openAIError, toWireError } from './http/wire-errors';
import type { RoutingState } from './routing/state';
import { targetOf, type Catalog } from './routing/catalog';
import type { Router } from './routing/router';
import type { AdminSessions } from './store/admin-sessions';
import type { ClientKeyStore } from './store/client-keys';
import type { ConfigHistory } from './store/config-store';
import type { KeyBindings } from './config/key-binding';
import type { HealthHistory } from './store/health-history';
import type { ResponseCache } from './store/response-cache';
import type { ResponsesStore } from './store/responses-store';
import type { UsageLog } from './store/usage-log';
import { adminSurface } from './surfaces/admin';
import { anthropicSurface } from './surfaces/anthropic';
import { claudeCodeExtras } from './surfaces/anthropic/claude-code';
import { anthropicErrorBody } from './surfaces/anthropic/output';
import { healthSurface } from './surfaces/health';
import type { HealthSources } from './surfaces/health/report';
import { ollamaErrorBody, ollamaSurface } from './surfaces/ollama';
import { openaiSurface } from './surfaces/openai';
import { responsesSurface } from './surfaces/responses';
import { uiSurface } from './surfaces/ui';
import type { UsageRecorder } from './usage/recorder';
import type { MetricsTally } from './metrics/tally';
import type { Pulls } from './models/pulls';
import type { WebhookChannel } from './notices/webhook-channel';
import { noticesView } from './surfaces/admin/notice-routes';
import { loginLinkHint } from './surfaces/admin/session';
import type { QuirkMemory } from './providers/types';

export interface AppServices {
  router: Router;
  catalog: () => Catalog;
  configAppliedAt: () => number;
  /** What the health report (`/health`, the admin API, the notices) is made from. */
  health: HealthSources;
  healthHistory: HealthHistory;
  recorder: UsageRecorder;
  /** What the requests since start add up to, for /metrics. */
  metrics: MetricsTally;
  /** Models being pulled to an Ollama from the dashboard. */
  pulls: Pulls;
  /** What each provider's server was found to refuse. */
  quirks: QuirkMemory;
  usageLog: UsageLog;
  cache: ResponseCache;
  responses: ResponsesStore;
  routingState: RoutingState;
  keys: ClientKeyStore;
  sessions: AdminSessions;
  secrets: Secrets;
  /** Where `connect` finds tools' config files and keeps what it needs to undo. */
  connectPlaces: Places;
  /** The data dir (and as one word of a command line), its database's size now, and whether it is the default one (Settings and the sign-in page). */
  data: () => { dir: string; argument: string; bytes: number; isDefault: boolean };
  /** Whether the desktop app shows the notices, and the webhook they are posted to. */
  notices: { desktop: boolean; webhook: WebhookChannel };
  /** `file`: the config file applied at each start and reload (`serve --config`), whose config the dashboard's edits last only until then. */
  config: { current(): Config; apply(next: unknown, source: string, renamed?: ReadonlyMap<string, string>): ValidationResult; history: ConfigHistory; keyBindings: KeyBindings; file: string | null };
  /** This gateway's id, sent upstream with every request: a request that comes back with it is a loop. */
  gatewayId: string;
  now: () => number;
}

export interface AppOptions {
  services: AppServices;
  host: string;
  /** The bound port, known only after listen. */
  port: () => number;
  logger?: FastifyServerOptions['logger'];
  /** The built UI (out/renderer); the gateway serves it at its root. */
  uiDir?: string | undefined;
  /** How long a client may take, in ms (tests shorten them). */
  clientTimeouts?: Partial<ClientTimeouts> | undefined;
}

export interface ClientTimeouts {
  /** To send its request headers. */
  headersMs: number;
  /** To send its whole request, body included (not the answer: a long stream is never cut by it). */
  requestMs: number;
  /** Idle between requests on a kept-alive connection. */
  keepAliveMs: number;
}

/** A client that never finishes its headers (or trickles a body) holds a connection for seconds, not minutes. */
const CLIENT_TIMEOUTS: ClientTimeouts = { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 15_000 };

const openAIErrorBody = (wire: Parameters<typeof openAIError>[0]) => ({ error: openAIError(wire) });
/** The error shape for a request no route matched yet: Ollama's under /api/, as its surface's 404s; OpenAI's elsewhere. */
const shapeForPath = (path: string) => (path.startsWith('/api/') ? ollamaErrorBody : openAIErrorBody);

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { services: s, host, port } = options;
  const timeouts = { ...CLIENT_TIMEOUTS, ...options.clientTimeouts };
  const idPrefix = `req_${randomBytes(6).toString('hex')}`;
  let counter = 0;
  const app = Fastify({
    logger: options.logger ?? false,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: MAX_BODY_BYTES,
    genReqId: () => `${idPrefix}${(++counter).toString(36).padStart(6, '0')}`,
    // Closing cuts nothing by itself: the gateway's stop decides how long requests in flight may run (http/close.ts).
    forceCloseConnections: false,
    // A base URL typed with a trailing slash makes many tools send `/v1//chat/completions` or `//api/tags`:
    // the router matches those as the path itself (every hook hangs on the matched route, so none is skipped).
    routerOptions: { maxParamLength: MAX_PATH_NAME_CHARS, ignoreDuplicateSlashes: true, ignoreTrailingSlash: true },
    clientErrorHandler: clientErrorHandler(timeouts, shapeForPath),
    frameworkErrors: unreadablePathHandler(shapeForPath),
    return503OnClosing: false,
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    // Node checks these deadlines every connectionsCheckingInterval (30 s by default): check often.
    http: { headersTimeout: timeouts.headersMs, connectionsCheckingInterval: Math.min(1_000, timeouts.headersMs) },
    schemaController: { compilersFactory },
  });
  app.server.on('checkExpectation', expectationRefusal(shapeForPath));
  const exposed = !isLoopbackHost(host);
  const address = gatewayAddress({ host, port });
  const allowedOrigin = currentOriginMatcher(() => s.config.current().settings?.allowedOrigins);
  const served = watchServed(app);
  const model: ModelSurfaceServices = {
    served,
    origins: { address, allowedOrigin },
    recorder: s.recorder,
    gatewayId: s.gatewayId,
    keys: { keys: s.keys, now: s.now, required: () => clientKeysRequired(exposed, s.config.current().settings), targetOf: (model) => targetOf(s.catalog(), model) },
  };
  registerJsonBody(app);
  addAccessLog(app);
  await app.register(localGuardPlugin, { address, allowedOrigin });
  await app.register(drainPlugin);
  app.setErrorHandler(errorHandler(openAIErrorBody));
  app.setNotFoundHandler((request, reply) => {
    reply.header('x-request-id', request.id);
    // An Anthropic client (every one sends anthropic-version) reads Anthropic's error shape.
    const shape = request.headers['anthropic-version'] !== undefined ? anthropicErrorBody : openAIErrorBody;
    sendError(request, reply, toWireError(new GatewayError('not_found', noEndpointMessage(app, request, undefined, served))), shape);
  });

  await app.register(healthSurface, { sources: s.health, metrics: s.metrics, mayReadAll: (request) => !exposed || clientKeyOf(request, s.keys) !== undefined });
  await app.register(openaiSurface, {
    prefix: '/v1',
    router: s.router,
    catalog: s.catalog,
    configAppliedAt: s.configAppliedAt,
    limits: { window: (d) => probedWindow(s.routingState.facts(d)), maxOutput: (d) => s.routingState.facts(d).maxOutput },
    services: model,
  });
  await app.register(anthropicSurface, { prefix: '/v1', router: s.router, services: model });
  await app.register(claudeCodeExtras, { keys: model.keys });
  await app.register(responsesSurface, { prefix: '/v1', router: s.router, services: model, store: s.responses, now: s.now });
  await app.register(ollamaSurface, { prefix: '/api', router: s.router, catalog: s.catalog, configAppliedAt: s.configAppliedAt, known: { routedWindow: (d) => s.routingState.facts(d).window, down: (p) => s.health.health.latest(p)?.ok === false, learned: (p, m) => s.health.health.modelFacts(p, m) }, services: model });
  await app.register(adminSurface, {
    prefix: '/admin/api',
    sessions: s.sessions,
    loginLink: loginLinkHint(s.data(), exposed),
    port,
    address,
    router: s.router,
    recorder: s.recorder,
    health: s.health,
    healthHistory: s.healthHistory,
    config: { config: s.config, secrets: s.secrets, defaultTimeZone: () => s.catalog().defaultTimeZone, server: () => ({ host, port: port(), exposed, notices: noticesView(s.notices), configFile: s.config.file }), data: s.data, now: s.now },
    usage: { usageLog: s.usageLog, cache: s.cache, keys: s.keys, config: () => s.config.current(), now: s.now, timeZone: () => s.catalog().defaultTimeZone },
    connect: { config: () => s.config.current(), server: () => ({ host, port: port(), exposed }), keys: s.keys, places: s.connectPlaces, windowOf: (d) => probedWindow(s.routingState.facts(d)) },
    gatewayId: s.gatewayId,
    pulls: s.pulls,
    quirks: s.quirks,
    webhook: s.notices.webhook,
  });
  await app.register(uiSurface, { uiDir: options.uiDir, port, sessions: s.sessions, address, allowedOrigin });
  return app;
}
