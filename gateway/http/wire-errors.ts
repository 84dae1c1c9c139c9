/**
 * Any error a request can end in, as the fields every wire's error body is made from. Each surface
 * writes them in its own shape (OpenAI `{error:{message,type,param,code}}`, Ollama `{error:"..."}`,
 * ...); 5xx details stay in the log, never in the body.
 */
import type { FastifyError, FastifyRequest } from 'fastify';
import { describeSchemaErrors, type SchemaError } from '../config/schema-errors';
import { isGatewayError } from '../errors';
import { isBusy, LOCK_HELD } from '../store/busy';
import { MAX_BODY_BYTES } from './json-body';

export interface WireError {
  status: number;
  message: string;
  type: string;
  param: string | null;
  code: string | null;
  retryAfterSeconds?: number | undefined;
  /** False: the client is told not to send it again as it is (`x-should-retry: false`). */
  retryable?: boolean | undefined;
  details?: Record<string, unknown> | undefined;
}

const PARTS: Record<string, string> = { body: 'request body', params: 'path', querystring: 'query string', headers: 'headers' };

/** The part of the request a schema error is about, in the words an error message uses. */
export const validatedPart = (error: FastifyError): string => PARTS[error.validationContext ?? 'body'] ?? 'request';

/** What a schema error's route validated (the body, the path's parameters, ...), so the error can quote the value it refused. */
export function validatedInput(error: FastifyError, request: FastifyRequest): unknown {
  const part = error.validationContext ?? 'body';
  return part === 'querystring' ? request.query : part === 'params' ? request.params : part === 'headers' ? request.headers : request.body;
}

/** A route that needs a body got none (or an empty one, whatever its content type said). */
const EMPTY_BODY = 'The request body is empty; send a JSON object';

/** `request`, when given, lets a schema error quote the value it refused. */
export function toWireError(error: unknown, request?: FastifyRequest): WireError {
  if (isGatewayError(error)) {
    return {
      status: error.status,
      message: error.message,
      type: error.type,
      param: error.param,
      code: error.wireCode,
      retryAfterSeconds: error.retryAfterSeconds,
      retryable: error.retryable,
      details: error.details,
    };
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const part = validatedPart(fastifyError);
    // No body came, or an empty one (the parser takes that as none): the schema's "required" would not say so.
    if (part === 'request body' && request && request.body === undefined) return { status: 400, message: EMPTY_BODY, type: 'invalid_request_error', param: null, code: 'invalid_request' };
    const [first] = describeSchemaErrors(fastifyError.validation as SchemaError[], request && validatedInput(fastifyError, request));
    const param = first?.path || null;
    return { status: 400, message: `Invalid ${part}: ${param ?? part} ${first?.message ?? 'is invalid'}`, type: 'invalid_request_error', param, code: 'invalid_request' };
  }
  const status = fastifyError.statusCode;
  if (status === 413) {
    return { status, message: `Request body is too large: the limit is ${MAX_BODY_BYTES / 1024 / 1024} MiB`, type: 'invalid_request_error', param: null, code: 'body_too_large' };
  }
  if (status && status >= 400 && status < 500) {
    return { status, message: fastifyError.message, type: 'invalid_request_error', param: null, code: 'invalid_request' };
  }
  // The store refused a write: what was asked is not done (every change is one transaction, kept
  // before it is applied). Another program's lock passes (503: try again); a full disk or a
  // read-only volume is a reason the user can act on.
  if (isBusy(error)) {
    return { status: 503, message: `Switchyard's store is busy: ${LOCK_HELD}. Nothing was changed; try again once it is done`, type: 'api_error', param: null, code: 'store_busy', retryAfterSeconds: 1 };
  }
  const sqlite = (error as { code?: unknown }).code;
  if (typeof sqlite === 'string' && /^SQLITE_(FULL|READONLY|IOERR)/.test(sqlite)) {
    return { status: 500, message: `Switchyard's store could not be written (${(error as Error).message}): nothing was changed`, type: 'api_error', param: null, code: 'internal_error' };
  }
  return { status: 500, message: 'Internal error in the gateway; see its log', type: 'api_error', param: null, code: 'internal_error' };
}

/** OpenAI's error object (also the admin API's and the gateway's default). */
export function openAIError(wire: WireError): Record<string, unknown> {
  return { message: wire.message, type: wire.type, param: wire.param, code: wire.code, ...wire.details };
}
