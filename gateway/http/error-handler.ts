/**
 * The one place wire error bodies are made. OpenAI-compatible routes (and everything else) answer
 * `{error:{message,type,param,code}}`; Ollama-compatible routes (`/api/...`) answer `{error:"..."}`.
 * Internal details of a 500 go to the log, not to the client.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError, isGatewayError } from '../errors';
import { ExecutionError } from '../routing/execute';

export interface WireError {
  status: number;
  message: string;
  type: string;
  param: string | null;
  code: string | null;
  retryAfterSeconds?: number | undefined;
  details?: Record<string, unknown> | undefined;
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const wire = toWireError(error);
    if (error instanceof ExecutionError) reply.header('x-switchyard-attempts', String(error.attempts.length));
    // Routing failures carry their own failure class; anything else is logged under its wire code.
    request.usage?.failed(error, error instanceof ExecutionError ? undefined : (wire.code ?? undefined));
    if (wire.status >= 500 && !isGatewayError(error)) request.log.error({ err: error }, 'unhandled error');
    sendError(request, reply, wire);
  });
  app.setNotFoundHandler((request, reply) => {
    sendError(request, reply, toWireError(new GatewayError('not_found', `There is no endpoint ${request.method} ${request.url.split('?')[0]}`)));
  });
}

export function toWireError(error: unknown): WireError {
  if (isGatewayError(error)) {
    return {
      status: error.status,
      message: error.message,
      type: error.type,
      param: error.param,
      code: error.wireCode,
      retryAfterSeconds: error.retryAfterSeconds,
      details: error.details,
    };
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const first = fastifyError.validation[0];
    const param = first ? validationParam(first.instancePath, first.params as Record<string, unknown>) : null;
    return {
      status: 400,
      message: `Invalid request body: ${param ?? 'body'} ${first?.message ?? 'is invalid'}`,
      type: 'invalid_request_error',
      param,
      code: 'invalid_request',
    };
  }
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) {
    return { status, message: fastifyError.message, type: 'invalid_request_error', param: null, code: status === 413 ? 'body_too_large' : 'invalid_request' };
  }
  return { status: 500, message: 'Internal error in the gateway; see its log', type: 'api_error', param: null, code: 'internal_error' };
}

function validationParam(instancePath: string, params: Record<string, unknown>): string | null {
  const path = instancePath
    .split('/')
    .slice(1)
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
  const missing = typeof params.missingProperty === 'string' ? params.missingProperty : undefined;
  if (missing) return path ? `${path}.${missing}` : missing;
  return path || null;
}

export function sendError(request: FastifyRequest, reply: FastifyReply, wire: WireError): void {
  if (wire.retryAfterSeconds !== undefined) reply.header('retry-after', String(wire.retryAfterSeconds));
  reply.code(wire.status);
  if (isOllamaSurface(request)) {
    void reply.send({ error: wire.message });
    return;
  }
  void reply.send({ error: openAIError(wire) });
}

export function openAIError(wire: WireError): Record<string, unknown> {
  return { message: wire.message, type: wire.type, param: wire.param, code: wire.code, ...wire.details };
}

function isOllamaSurface(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/');
}

/** The error object that ends a failed SSE stream. */
export function openAIErrorEvent(message: string, failureClass: string): Record<string, unknown> {
  return openAIError({ status: 502, message, type: 'api_error', param: null, code: failureClass });
}
