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
import type { ClientKeyStore } from './store/client-keys';
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
  usage: UsageRecorder;
  keys: ClientKeyStore;
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
}

export function buildApp(options: AppOptions): FastifyInstance {
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

  registerHealthRoute(app);
  registerOpenAIRoutes(app);
  registerOllamaRoutes(app);
  registerBreakerRoutes(app);
  return app;
}
