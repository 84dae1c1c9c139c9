/**
 * Every error the gateway produces itself, in one table. Wire shapes are made from these in
 * http/error-handler.ts; domain code throws `GatewayError` and never builds response bodies.
 */

export const ERROR_CODES = {
  invalid_request: { status: 400, type: 'invalid_request_error' },
  body_too_deep: { status: 400, type: 'invalid_request_error' },
  body_too_large: { status: 413, type: 'invalid_request_error' },
  unsupported_media_type: { status: 415, type: 'invalid_request_error' },
  model_not_found: { status: 404, type: 'invalid_request_error' },
  not_found: { status: 404, type: 'invalid_request_error' },
  wrong_model_type: { status: 400, type: 'invalid_request_error' },
  host_not_allowed: { status: 403, type: 'permission_error' },
  invalid_api_key: { status: 401, type: 'invalid_request_error' },
  admin_session_required: { status: 401, type: 'invalid_request_error' },
  client_rate_limited: { status: 429, type: 'rate_limit_error' },
  model_not_allowed: { status: 403, type: 'permission_error' },
  origin_not_allowed: { status: 403, type: 'permission_error' },
  all_deployments_failed: { status: 503, type: 'api_error' },
  all_deployments_rate_limited: { status: 429, type: 'rate_limit_error' },
  no_deployment_available: { status: 503, type: 'api_error' },
  upstream_error: { status: 502, type: 'api_error' },
  internal_error: { status: 500, type: 'api_error' },
  not_implemented: { status: 501, type: 'invalid_request_error' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface GatewayErrorOptions {
  param?: string | null;
  /** Seconds, for the `Retry-After` header. */
  retryAfterSeconds?: number;
  /** Extra machine-readable detail placed beside `message` in the error body. */
  details?: Record<string, unknown>;
  /** Overrides the table's status (used to pass an upstream 4xx through unchanged). */
  status?: number;
  type?: string;
  /** The wire `code`, when it differs from the table's key (an upstream's own code). */
  wireCode?: string | null;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly wireCode: string | null;
  readonly status: number;
  readonly type: string;
  readonly param: string | null;
  readonly retryAfterSeconds: number | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.wireCode = options.wireCode === undefined ? code : options.wireCode;
    this.status = options.status ?? ERROR_CODES[code].status;
    this.type = options.type ?? ERROR_CODES[code].type;
    this.param = options.param ?? null;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.details = options.details;
  }
}

export function isGatewayError(error: unknown): error is GatewayError {
  return error instanceof GatewayError;
}

/**
 * Why one upstream attempt failed. These names are shared with the usage log and the
 * route's `fallbackOn` list, so they are part of the config surface: do not rename.
 */
export const FAILURE_CLASSES = [
  'connect',
  'timeout',
  'upstream_5xx',
  'rate_limited',
  'upstream_4xx',
  'upstream_protocol',
  'client_closed',
] as const;

export type FailureClass = (typeof FAILURE_CLASSES)[number];

/** A failed attempt at one deployment: thrown by provider adapters, judged by the router. */
export class UpstreamError extends Error {
  readonly failure: FailureClass;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  /** The upstream's own error object, passed to the client when the failure is not retried. */
  readonly upstreamError: { message: string; type?: string; param?: string | null; code?: string | null } | undefined;

  constructor(
    failure: FailureClass,
    message: string,
    options: {
      status?: number;
      retryAfterMs?: number;
      upstreamError?: UpstreamError['upstreamError'];
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'UpstreamError';
    this.failure = failure;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.upstreamError = options.upstreamError;
  }
}

export function isUpstreamError(error: unknown): error is UpstreamError {
  return error instanceof UpstreamError;
}

/** The failure class an HTTP status from an upstream belongs to. */
export function failureForStatus(status: number): FailureClass {
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'upstream_5xx';
  if (status >= 300 && status < 400) return 'upstream_protocol';
  return 'upstream_4xx';
}
