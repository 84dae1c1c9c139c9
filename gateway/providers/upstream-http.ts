/**
 * The HTTP layer under both SDK clients: one keep-alive connection pool per provider, its
 * timeouts (connect, first byte, idle between bytes, whole request), redirects never followed
 * (an API key must not travel to another origin), and the mapping of transport failures to
 * failure classes.
 */
import { Agent, type Dispatcher } from 'undici';
import { linkedCancellation, type CancelSignal, type LinkedCancellation } from '../cancel';
import type { Timeouts } from '../config/schema';
import { UpstreamError, failureForStatus, type FailureClass } from '../errors';
import { createLightFetch } from './light-fetch';

export const DEFAULT_TIMEOUTS = {
  ollama: { connectMs: 3_000, firstByteMs: 120_000, idleMs: 30_000, totalMs: 600_000 },
  openai: { connectMs: 3_000, firstByteMs: 60_000, idleMs: 30_000, totalMs: 600_000 },
} as const satisfies Record<string, Required<Timeouts>>;

export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** The caller's signal joined with the whole-request timeout; end() it once the response is fully read or abandoned. */
export type AttemptSignal = LinkedCancellation;

export interface UpstreamHttp {
  /** The pooled connections, for adapters that send requests themselves. */
  dispatcher: Dispatcher;
  /** A fetch over the same pool, for SDK clients. */
  fetch: typeof globalThis.fetch;
  /** The caller's signal joined with the provider's whole-request timeout. */
  attempt(parent: CancelSignal | undefined): AttemptSignal;
  maxResponseBytes: number;
  close(): Promise<void>;
}

export function createUpstreamHttp(providerName: string, timeouts: Required<Timeouts>, maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES): UpstreamHttp {
  const agent = new Agent({
    connect: { timeout: timeouts.connectMs },
    headersTimeout: timeouts.firstByteMs,
    bodyTimeout: timeouts.idleMs,
    keepAliveTimeout: 10_000,
  });
  const attempt = (parent: CancelSignal | undefined): AttemptSignal =>
    linkedCancellation(parent, timeouts.totalMs, () => new DOMException(`no complete answer within ${timeouts.totalMs} ms`, 'TimeoutError'));
  return {
    dispatcher: agent,
    fetch: createLightFetch({ dispatcher: agent, attempt, maxResponseBytes, providerName }),
    attempt,
    maxResponseBytes,
    close: () => agent.close(),
  };
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT', 'ABORT_ERR']);

/**
 * Classifies anything an SDK call threw. Keeps an existing UpstreamError as is. `responseHeaders`
 * stand in for clients whose errors do not carry the response's headers.
 */
export function toUpstreamError(error: unknown, providerName: string, responseHeaders?: Headers): UpstreamError {
  if (error instanceof UpstreamError) return error;
  const status = statusOf(error);
  if (status !== undefined) {
    const message = upstreamMessage(error) ?? `HTTP ${status}`;
    const failure = failureForStatus(status);
    return new UpstreamError(failure, status >= 300 && status < 400 ? `redirected (HTTP ${status}); redirects are not followed` : message, {
      status,
      retryAfterMs: retryAfterMs(headersOf(error) ?? responseHeaders),
      upstreamError: upstreamErrorObject(error, message),
      cause: error,
    });
  }
  const failure = transportFailure(error);
  if (failure) return new UpstreamError(failure.failure, `${providerName}: ${failure.message}`, { cause: error });
  if (error instanceof SyntaxError) {
    return new UpstreamError('upstream_protocol', `${providerName} sent malformed JSON: ${error.message}`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new UpstreamError('upstream_protocol', `${providerName}: ${message}`, { cause: error });
}

function transportFailure(error: unknown): { failure: FailureClass; message: string } | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: string }).code;
    const name = (e as { name?: string }).name;
    if (name === 'TimeoutError' || (code && TIMEOUT_CODES.has(code))) return { failure: 'timeout', message: describeTimeout(code) };
    if (name === 'AbortError' || name === 'APIUserAbortError') return { failure: 'timeout', message: 'request aborted' };
    if (name === 'APIConnectionTimeoutError') return { failure: 'timeout', message: 'request timed out' };
    if (code && CONNECT_CODES.has(code)) return { failure: 'connect', message: `connection failed (${code})` };
  }
  const name = (error as { name?: string })?.name;
  if (name === 'APIConnectionError' || (error instanceof TypeError && /fetch failed/.test(error.message))) {
    return { failure: 'connect', message: 'connection failed' };
  }
  return undefined;
}

function describeTimeout(code: string | undefined): string {
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connect timeout';
    case 'UND_ERR_HEADERS_TIMEOUT':
      return 'no response headers before the first-byte timeout';
    case 'UND_ERR_BODY_TIMEOUT':
      return 'the response stalled past the idle timeout';
    default:
      return 'request timed out';
  }
}

function statusOf(error: unknown): number | undefined {
  const e = error as { status?: unknown; status_code?: unknown };
  const status = typeof e?.status === 'number' ? e.status : typeof e?.status_code === 'number' ? e.status_code : undefined;
  return status && status >= 300 ? status : undefined;
}

function headersOf(error: unknown): Headers | undefined {
  // Duck-typed: undici's Headers and the global Headers are different classes.
  const headers = (error as { headers?: { get?: unknown } })?.headers;
  return typeof headers?.get === 'function' ? (headers as Headers) : undefined;
}

function upstreamMessage(error: unknown): string | undefined {
  const e = error as { error?: { message?: unknown }; message?: unknown };
  if (typeof e?.error?.message === 'string') return e.error.message;
  return typeof e?.message === 'string' ? e.message : undefined;
}

function upstreamErrorObject(error: unknown, message: string): UpstreamError['upstreamError'] {
  const body = (error as { error?: Record<string, unknown> })?.error;
  return {
    message,
    type: typeof body?.type === 'string' ? body.type : undefined,
    param: typeof body?.param === 'string' ? body.param : null,
    code: typeof body?.code === 'string' ? body.code : null,
  };
}

/** `retry-after-ms` (OpenAI's), else `Retry-After` as seconds or an HTTP date. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.get('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}
