/**
 * buildApp: the Fastify instance with every plugin registered in the order requests meet them.
 * It never listens; gateway.ts (and tests) do.
 */
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { HealthMonitor } from './health/monitor';
import type { TrafficStats } from './health/traffic';
import { registerBreakerRoutes } from './http/admin/breakers';
import { registerClientAuth } from './http/client-auth';
import { registerUsageHooks } from './http/usage-hooks';
import type { Config } from './config/schema';
import type { Secrets } from './config/secrets';
import type { ValidationResult } from './config/validate';
import { registerConfigRoutes } from './http/admin/config-routes';
import { registerPlayground } from './http/admin/playground';
import { registerProviderTools } from './http/admin/provider-tools';
import { registerAdminSession } from './http/admin/session';
import { registerUsageRoutes } from './http/admin/usage-routes';
import { registerUi } from './http/ui';
import type { AdminSessions } from './store/admin-sessions';
import type { HealthHistory } from './store/health-history';
import type { ClientKeyStore } from './store/client-keys';
import type { ResponseCache } from './store/response-cache';
import type { UsageLog } from './store/usage-log';
import type { UsageRecorder } from './usage/recorder';
import { registerErrorHandler } from './http/error-handler';
import { registerHealthRoute } from './http/health';
import { MAX_BODY_BYTES, registerJsonBody } from './http/json-body';
import { isLoopbackHost, registerLocalGuard } from './http/local-guard';
import { registerOllamaRoutes } from './http/ollama/routes';
import { registerOpenAIRoutes } from './http/openai/routes';
import type { BreakerBoard } from './routing/breaker-board';
import type { Catalog } from './routing/catalog';
import type { Router } from './routing/router';

export interface AppServices {
  router: Router;
  catalog: () => Catalog;
  configAppliedAt: () => number;
  traffic: TrafficStats;
  breakers: BreakerBoard;
  health: HealthMonitor;
  healthHistory: HealthHistory;
  usage: UsageRecorder;
  usageLog: UsageLog;
  cache: ResponseCache;
  keys: ClientKeyStore;
  sessions: AdminSessions;
  secrets: Secrets;
  config: { current(): Config; apply(next: unknown, source: string): ValidationResult };
  /** Where the gateway listens, for the UI's settings page and snippets. */
  server(): { host: string; port: number; exposed: boolean };
  storeOk: () => boolean;
  version: string;
  startedAt: number;
  now: () => number;
}

declare module 'fastify' {
  interface FastifyInstance {
    switchyard: AppServices;
  }
}

export interface AppOptions {
  services: AppServices;
  host: string;
  /** The bound port, known only after listen. */
  port: () => number;
  logger?: FastifyServerOptions['logger'];
  /** The built UI (out/renderer); the gateway serves it at its root. */
  uiDir?: string | undefined;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const idPrefix = `req_${randomBytes(6).toString('hex')}`;
  let counter = 0;
  const app = Fastify({
    logger: options.logger ?? false,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: MAX_BODY_BYTES,
    genReqId: () => `${idPrefix}${(++counter).toString(36).padStart(6, '0')}`,
    // Validation must not quietly change what the client sent.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false } },
    forceCloseConnections: true,
  });
  app.decorate('switchyard', options.services);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    reply.header('x-switchyard-deployment', 'none');
    reply.header('x-switchyard-attempts', '0');
  });
  registerLocalGuard(app, { host: options.host, port: options.port });
  registerUsageHooks(app);
  registerClientAuth(app, { exposed: !isLoopbackHost(options.host), now: options.services.now });
  registerJsonBody(app);
  registerErrorHandler(app);

  registerAdminSession(app, options.port);

  registerHealthRoute(app);
  registerOpenAIRoutes(app);
  registerOllamaRoutes(app);
  registerBreakerRoutes(app);
  registerConfigRoutes(app);
  registerProviderTools(app);
  registerUsageRoutes(app);
  registerPlayground(app);
  await registerUi(app, { uiDir: options.uiDir, port: options.port });
  return app;
}
