/**
 * A failure an upstream reports inside an answer it began with a 200, classed as the HTTP status it
 * would have come with: OpenAI-compatible servers' `{"error": {...}}` event (llama.cpp and
 * OpenRouter give that status as a numeric `code`; OpenAI's codes name it), Anthropic's `error`
 * event (its type names it), a Response's `error` event and `response.failed` (their code),
 * Ollama's `{"error": "..."}` line, Google's `[{"error": {...}}]` (its code the status). One that
 * names no status is the deployment's 5xx.
 */
import { errorBodyFrom } from '../error-bodies';
import { UpstreamError, failureForStatus } from '../errors';

/** Anthropic's error types and OpenAI's error codes, each with the status it comes with over HTTP. */
const WORD_STATUS = new Map<string, number>([
  ['invalid_request_error', 400],
  ['authentication_error', 401],
  ['billing_error', 402],
  ['permission_error', 403],
  ['not_found_error', 404],
  ['request_too_large', 413],
  ['rate_limit_error', 429],
  ['api_error', 500],
  ['overloaded_error', 529],
  ['context_length_exceeded', 400],
  ['invalid_prompt', 400],
  ['rate_limit_exceeded', 429],
  ['insufficient_quota', 429],
  ['server_error', 500],
  ['server_is_overloaded', 503],
]);

/** Whether an event or line of an answer reports a failure rather than a part of the answer. */
export function reportsFailure(payload: unknown): boolean {
  return Boolean((unlisted(payload) as { error?: unknown } | null)?.error);
}

/** `payload` is the event or line as sent: `{error: {...}}`, `{error: "..."}`, `{type: "error", error: {...}}`, or a list of one. */
export function failureInAnswer(providerName: string, listed: unknown, words = 'failed mid-stream'): UpstreamError {
  const payload = unlisted(listed);
  const body = errorBodyFrom(payload, 'unknown error');
  const status = statusCode(payload) ?? WORD_STATUS.get(body.code ?? '') ?? WORD_STATUS.get(body.type ?? '');
  const failure = status === undefined ? 'upstream_5xx' : failureForStatus(status, body);
  // The status goes with it, so a client of the upstream's own API is told the same (an overload stays an overload).
  return new UpstreamError(failure, `${providerName} ${words}: ${body.message}`, { status, upstreamError: body });
}

const unlisted = (payload: unknown): unknown => (Array.isArray(payload) ? payload[0] : payload);

/** A status given as the error's `code` (llama.cpp's `{"code": 400, ...}`, OpenRouter's). */
function statusCode(payload: unknown): number | undefined {
  const error = (payload as { error?: unknown } | null)?.error;
  const code = error && typeof error === 'object' ? Number((error as { code?: unknown }).code) : NaN;
  return Number.isInteger(code) && code >= 400 && code < 600 ? code : undefined;
}
