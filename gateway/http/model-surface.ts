/**
 * What every model surface (a front door that routes requests to models) registers inside its own
 * encapsulated plugin: web origins the config allows, the usage row, the request id headers, the
 * loop guard, client keys, compressed bodies, and an error handler that writes the surface's own wire error shape. Nothing here is a
 * root hook: a surface's hooks run for its routes and no other's.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isGatewayError } from '../errors';
import { routeHeader } from '../routing/decision';
import { ExecutionError } from '../routing/execute';
import type { UsageRecorder } from '../usage/recorder';
import { bodyEncodingPlugin } from './body-encoding';
import { clientKeysPlugin, type ClientKeysOptions } from './client-keys';
import { crossOriginPlugin, type CrossOriginOptions } from './cross-origin';
import { loopGuardPlugin } from './loop-guard';
import { requestIdPlugin } from './request-id';
import { usageRowPlugin } from './usage-row';
import type { Served } from './not-found';
import { toWireError, type WireError } from './wire-errors';

export interface ModelSurfaceServices {
  recorder: UsageRecorder;
  gatewayId: string;
  keys: ClientKeysOptions;
  origins: CrossOriginOptions;
  /** What each model API serves under its prefix, for a 404's list (not-found.ts). */
  served: Served;
}

/** A wire's error body for an error (the HTTP status and Retry-After are set apart). */
export type ErrorShape = (wire: WireError, request: FastifyRequest) => unknown;

/**
 * `api` names the surface's API on its usage rows (openai, ollama, anthropic, responses); `modelOf`
 * reads the model a body asks for as the surface's routes read it (default: its `model`), for a
 * key limited to some routes.
 */
export async function registerModelSurface(app: FastifyInstance, services: ModelSurfaceServices, shape: ErrorShape, api: string, modelOf?: (body: Record<string, unknown>) => unknown): Promise<void> {
  await app.register(crossOriginPlugin, services.origins);
  await app.register(usageRowPlugin, { recorder: services.recorder, api });
  await app.register(requestIdPlugin);
  await app.register(loopGuardPlugin, { gatewayId: services.gatewayId });
  await app.register(clientKeysPlugin, { ...services.keys, modelOf });
  await app.register(bodyEncodingPlugin);
  app.setErrorHandler(errorHandler(shape));
}

/** Records the failure on the usage row, logs what the client must not see, and answers in `shape`. */
export function errorHandler(shape: ErrorShape) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const wire = toWireError(error, request);
    if (error instanceof ExecutionError) {
      reply.header('x-switchyard-attempts', String(error.attempts.length));
      reply.header('x-switchyard-route', routeHeader(error.decision));
    }
    // Routing failures carry their own failure class; anything else is logged under its wire code.
    request.usage?.failed(error, error instanceof ExecutionError ? undefined : (wire.code ?? undefined), wire.message);
    if (wire.status >= 500 && !isGatewayError(error)) request.log.error({ err: error }, 'unhandled error');
    sendError(request, reply, wire, shape);
  };
}

export function sendError(request: FastifyRequest, reply: FastifyReply, wire: WireError, shape: ErrorShape): FastifyReply {
  if (wire.retryAfterSeconds !== undefined) reply.header('retry-after', String(wire.retryAfterSeconds));
  if (wire.retryable === false) reply.header('x-should-retry', 'false');
  return reply.code(wire.status).send(shape(wire, request));
}
