/**
 * Every error the gateway produces itself, in one table, and the classification of every failure
 * an upstream attempt can end in. Wire shapes are made from these by each surface's error handler;
 * domain code throws `GatewayError` or `UpstreamError` and never builds response bodies.
 */
import { errorBodyOf, retryAfterMs, type RawHeaders, type UpstreamErrorBody } from './error-bodies';

export type { RawHeaders, UpstreamErrorBody } from './error-bodies';

const ERROR_CODES = {
  invalid_request: { status: 400, type: 'invalid_request_error' },
  /** Content only an upstream that speaks the front door's own API can take (a document, a server tool's result). */
  needs_native_api: { status: 400, type: 'invalid_request_error' },
  body_too_deep: { status: 400, type: 'invalid_request_error' },
  body_too_large: { status: 413, type: 'invalid_request_error' },
  path_too_long: { status: 414, type: 'invalid_request_error' },
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
  /** A WebSocket asked of an endpoint served over HTTP alone: 426 is what sends Codex to HTTP at once. */
  websocket_not_supported: { status: 426, type: 'invalid_request_error' },
  context_length_exceeded: { status: 400, type: 'invalid_request_error' },
  /** Every deployment of the route lacks what the request uses (images, tools): the request's own problem, like a prompt too long for all. */
  capability_missing: { status: 400, type: 'invalid_request_error' },
  budget_exceeded: { status: 429, type: 'insufficient_quota' },
  shutting_down: { status: 503, type: 'api_error' },
  restart_required: { status: 503, type: 'api_error' },
  /** A request this gateway sent upstream came back to it: a provider points at the gateway itself. */
  loop_detected: { status: 508, type: 'api_error' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface GatewayErrorOptions {
  param?: string | null;
  /** Seconds, for the `Retry-After` header. */
  retryAfterSeconds?: number;
  /**
   * False when sending the request again cannot help until someone changes something (a route whose
   * every deployment is disabled, local only, outside its windows for good): said as `x-should-retry:
   * false`, which the OpenAI and Anthropic SDKs obey, where they would retry any other 5xx by themselves.
   */
  retryable?: boolean;
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
  readonly retryable: boolean | undefined;
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
    this.retryable = options.retryable;
    this.details = options.details;
  }
}

export function isGatewayError(error: unknown): error is GatewayError {
  return error instanceof GatewayError;
}

/**
 * Why one upstream attempt failed. These names are shared with the usage log and the
 * route's `fallbackOn` list, so they are part of the config surface: do not rename.
 *
 * Deployment problems (another deployment may well succeed): connect, timeout, upstream_5xx,
 * rate_limited, upstream_protocol, auth (401/403: the key or its permissions), model_missing (404:
 * the model, or the endpoint, is not there), quota (402, or a 429 about quota or credit),
 * context_length (the prompt does not fit the model), unsupported (the model cannot do what the
 * request asks: tools, thinking, images, fill-in-the-middle). Request problems (any deployment would
 * say the same): upstream_4xx (other 400s and 422s). client_closed: the client left.
 */
export const FAILURE_CLASSES = ['connect', 'timeout', 'upstream_5xx', 'rate_limited', 'upstream_4xx', 'upstream_protocol', 'client_closed', 'auth', 'model_missing', 'quota', 'context_length', 'unsupported'] as const;

export type FailureClass = (typeof FAILURE_CLASSES)[number];

/** A deployment unfit for this request only: trying it again cannot help, and it is as healthy as it was. */
export const UNFIT: ReadonlySet<string> = new Set<FailureClass>(['context_length', 'unsupported']);

/** A failed attempt at one deployment: thrown by provider adapters, judged by the router. */
export class UpstreamError extends Error {
  readonly failure: FailureClass;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly upstreamError: UpstreamErrorBody | undefined;

  constructor(
    failure: FailureClass,
    message: string,
    options: { status?: number | undefined; retryAfterMs?: number | undefined; upstreamError?: UpstreamErrorBody | undefined; cause?: unknown } = {},
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

/**
 * How each kind of upstream words "the prompt is too long": OpenAI's `context_length_exceeded`,
 * Anthropic's "prompt is too long" (and "input length and `max_tokens` exceed context limit" when
 * the prompt fits but not with the answer limit), Ollama's and llama.cpp's "exceeds the available context size"
 * or "input length exceeds the context length", vLLM's "maximum context length", Google's "The input
 * token count (134123) exceeds the maximum number of tokens allowed (131072)", xAI's "This model's
 * maximum prompt length is 131072 but the request contains 136973 tokens", DashScope's "Range of input
 * length should be [1, 983616]", vLLM's engine's "The decoder prompt (length 163270) is longer than
 * the maximum model length of 128000" (its images' tokens are counted there, past the server's
 * check), and the like.
 * llama.cpp's server says an embedding input past its batch with a 500 ("input (992 tokens) is too
 * large to process. increase the physical batch size"): a request it cannot take, not a server down.
 */
const CONTEXT_LENGTH = /context_length_exceeded|prompt is too long|maximum context length|context (?:length|window|size)|too many (?:input )?tokens|reduce the length of the (?:messages|prompt)|must have less than \d{1,9} tokens|is too large to process|too big compared to KV size|exceeds the maximum number of tokens allowed|maximum prompt length is|exceed context limit|Range of input length should be|longer than the maximum model length/i;
/**
 * An answer limit over what the model writes (a model the bundled table does not know): OpenAI's
 * "max_tokens is too large: 32000. This model supports at most 16384 completion tokens", Anthropic's
 * "max_tokens: 64000 > 32000, which is the maximum allowed number of output tokens", DeepSeek's
 * "the valid range of max_tokens is [1, 8192]", Ollama's cloud models' "max_tokens (384000) exceeds
 * model's maximum output tokens (65536) for model deepseek-v4-flash:0731", Alibaba's DashScope's
 * "Range of max_tokens should be [1, 8192]", Volcengine Ark's "The parameter max_tokens specified in
 * the request is not valid: integer above maximum value, expected a value <= 32768, but got 64000
 * instead" (Claude Code asks 64,000). The request does not fit this model: the next may take it.
 */
export const OUTPUT_LIMIT = /max_(?:completion_|output_)?tokens\W{1,2}is too large|maximum allowed number of output tokens|supports at most \d+ (?:completion|output) tokens|valid range of max_(?:completion_)?tokens|max_(?:completion_)?tokens\W{0,2}(?:for \S{1,200} )?must be less than or equal to|exceeds model's maximum output tokens|Range of max_tokens should be|max_tokens specified in the request is not valid: integer above maximum value/i;
/**
 * A model without what the request uses: Ollama's "<model> does not support tools" (thinking,
 * insert, images, chat, generate, embeddings), OpenAI-compatible servers' "tools are not supported
 * by this model" and "model does not support images", OpenAI's "Invalid 'tools': array too long" (128 at
 * most; Claude Code's MCP tools may be more), vLLM's server started without a tool parser ("\"auto\"
 * tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set"), OpenRouter's "No
 * endpoints found that support tool use" (and "... the provided 'tool_choice' value", "... image
 * input", said with a 404: the model is there, for requests without them), a thinking model whose
 * API wants its reasoning back on every call of the history (Moonshot's "thinking is enabled but
 * reasoning_content is missing in assistant tool call message at index 2", DeepSeek's "The
 * `reasoning_content` in the thinking mode must be passed back to the API": a session that began
 * on another model), a forced tool choice to a model that is thinking (Qwen's and DeepSeek's "The
 * tool_choice parameter does not support being set to required or object in thinking mode"),
 * Gemini's "Function calling with a response mime type: 'application/json' is unsupported" (tools
 * beside a JSON answer) and "Please ensure that function call turn comes immediately after a user
 * turn or after a function response turn" (a history its turns cannot hold), and the like. Also a model another of the
 * provider's APIs serves, said with a 404 ("This model is only supported in v1/responses", "This is
 * not a chat model and thus not supported in the v1/chat/completions endpoint"): its other APIs still work.
 */
const UNSUPPORTED = /does not support (?:tools|thinking|insert|images?|vision|chat|generate|completions?|embeddings?|function calling|tool (?:use|calling)|system (?:prompts?|messages?))|(?:tools?|tool use|tool calling|function calling|images?|vision|thinking|reasoning) (?:is|are) not supported|not supported (?:for|with|by) this model|only supported in v1\/\w{1,40}|not supported in the v1\/[\w/]{1,40} endpoint|'tools': array too long|requires --enable-auto-tool-choice|No endpoints found that support|reasoning_content is missing|reasoning_content` in the thinking mode must be passed back|tool_choice parameter does not support being set to required|Function calling with a response mime type|function call turn comes immediately after/i;
/**
 * A request the model cannot take, as local servers say it whatever the status: llama.cpp's server
 * says most with a 500. Its chat template refused to render it: "Jinja Exception: After the optional
 * system message, conversation roles must alternate user and assistant roles" (raised by Mistral's
 * and Gemma's templates; vLLM says it with a 400), "tools param requires --jinja flag", "Failed to
 * parse tool call arguments as JSON" (a history's call cut short), "Failed to parse tools", and
 * Qwen's "System message must be at the beginning" (vLLM says it alone, with a 400); LM Studio says
 * each with a 400 of its own, "Error rendering prompt with jinja template: ..." (Gemma 4's template on
 * any request with tools: "Cannot call something that is not a function"). A thinking model asked
 * to continue an answer ("Assistant response prefill is incompatible with enable_thinking", a 400).
 * A model started without its projector, sent an image or audio ("image input is not supported -
 * hint: if this is unexpected, you may need to provide the mmproj"; "... by this server" before
 * May 2025). Another model may take it, and the server is as healthy as it was.
 */
const LOCAL_REFUSAL = /Jinja Exception|Error rendering prompt with jinja template|raise_exception|roles must alternate|System message must be at the beginning|prefill is incompatible with enable_thinking|tools param requires --jinja|Failed to parse tool call arguments|Failed to parse tools|(?:image|audio) input is not supported/i;
/**
 * OpenAI's `insufficient_quota`, and the words other providers use for an empty account. A coding
 * plan's allowance spent comes as a 429 without Retry-After, for hours: Ollama's cloud models' "you
 * (name) have reached your session usage limit, upgrade for higher limits" (weekly, hourly), Z.ai's
 * "Usage limit reached for 5 hour. Your limit will reset at ...".
 */
const QUOTA = /insufficient_quota|exceeded your (?:current )?quota|quota (?:exceeded|exhausted)|out of credits|credit balance|insufficient (?:balance|credits?|funds)|payment required|usage[ _]limit/i;
/**
 * A quota that refills within minutes: Google says "You exceeded your current quota" of a per-minute
 * limit too (its free tier's requests or tokens per minute), naming when to retry. That is a rate
 * limit to wait out, not an empty account to keep out for half an hour.
 */
const REFILLING = /per ?minute|please retry in \d/i;

/** A model the server does not have, said with a 400: llama.cpp's server in router mode (several models, `--models-dir`) says "model not found" (llama.cpp#17968). */
const MODEL_MISSING_400 = /\bmodel not found\b|\bmodel_not_found\b/i;

/** A key refused with a 400, as Google says it ("API key not valid", API_KEY_INVALID, "API key expired"), or a region it does not serve. */
const AUTH_400 = /API key (?:not valid|expired)|API_KEY_INVALID|User location is not supported/i;

/** The failure class an HTTP status (and what the upstream said with it) belongs to. */
export function failureForStatus(status: number, body?: UpstreamErrorBody): FailureClass {
  if (status >= 300 && status < 400) return 'upstream_protocol';
  // Error texts are read only so far: enough for every wording above, and linear in a bounded length.
  const said = body ? `${body.code ?? ''} ${body.type ?? ''} ${body.message}`.slice(0, 2_000) : '';
  if (status === 402) return 'quota';
  if (status === 429) return QUOTA.test(said) && body?.retryDelayMs === undefined && !REFILLING.test(said) ? 'quota' : 'rate_limited';
  if (status === 401 || status === 403 || (status === 400 && AUTH_400.test(said))) return QUOTA.test(said) ? 'quota' : 'auth';
  if (status === 404) return UNSUPPORTED.test(said) ? 'unsupported' : 'model_missing';
  if (status === 400 && MODEL_MISSING_400.test(said)) return 'model_missing';
  if (status === 413 || CONTEXT_LENGTH.test(said) || (status < 500 && OUTPUT_LIMIT.test(said))) return 'context_length';
  if ((status < 500 && UNSUPPORTED.test(said)) || LOCAL_REFUSAL.test(said)) return 'unsupported';
  // Anthropic says an empty account with a 400.
  if (status < 500 && QUOTA.test(said)) return 'quota';
  if (status >= 500) return 'upstream_5xx';
  return 'upstream_4xx';
}

/** A non-2xx answer from an upstream, classified (its body read in every wire's error shape: error-bodies.ts). */
export function upstreamStatusError(providerName: string, status: number, headers: RawHeaders, text: string, now = Date.now()): UpstreamError {
  const body = errorBodyOf(text, status);
  const failure = failureForStatus(status, body);
  const message = status >= 300 && status < 400 ? `${providerName} redirected (HTTP ${status}); redirects are not followed` : `${status} ${body.message}`;
  return new UpstreamError(failure, message, { status, retryAfterMs: retryAfterMs(headers, body, now), upstreamError: body });
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
/** Of those, the upstream hanging up a connection it had taken, often mid-answer: "connection failed" would send one looking for a server that is up. */
const HUNG_UP_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
const TIMEOUT_MESSAGES: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
  UND_ERR_HEADERS_TIMEOUT: 'no response headers before the first-byte timeout',
  UND_ERR_BODY_TIMEOUT: 'the response stalled past the idle timeout',
  ETIMEDOUT: 'request timed out',
  ABORT_ERR: 'request timed out',
};

/**
 * An attempt that failed in the gateway, not the upstream: a translation that refused the request
 * (a GatewayError), or the gateway's own code failing (a TypeError, RangeError or ReferenceError).
 * The same input fails on every deployment, so it must not count against any of them: a malformed
 * request sent a few times would otherwise open every breaker in turn and refuse everyone.
 */
export function isGatewayFault(error: unknown): boolean {
  const cause = error instanceof UpstreamError ? error.cause : error;
  return isGatewayError(cause) || cause instanceof TypeError || cause instanceof RangeError || cause instanceof ReferenceError;
}

/**
 * Classifies anything an upstream call threw: an UpstreamError stays as it is; transport errors
 * (undici's codes, aborts, timeouts) become connect or timeout; malformed JSON is a protocol failure.
 */
export function toUpstreamError(error: unknown, providerName: string): UpstreamError {
  if (error instanceof UpstreamError) return error;
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof UpstreamError) return e;
    const code = (e as { code?: string }).code;
    const name = (e as { name?: string }).name;
    if (name === 'TimeoutError' || (code && code in TIMEOUT_MESSAGES)) {
      const detail = (code && TIMEOUT_MESSAGES[code]) || (e as Error).message || 'request timed out';
      return new UpstreamError('timeout', `${providerName}: ${detail}`, { cause: error });
    }
    if (name === 'AbortError') return new UpstreamError('timeout', `${providerName}: request aborted`, { cause: error });
    if (code && CONNECT_CODES.has(code)) return new UpstreamError('connect', `${providerName}: ${HUNG_UP_CODES.has(code) ? 'the connection closed before the answer ended' : 'connection failed'} (${code})`, { cause: error });
  }
  if (error instanceof SyntaxError) return new UpstreamError('upstream_protocol', `${providerName} sent malformed JSON: ${error.message}`, { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new UpstreamError('upstream_protocol', `${providerName}: ${message}`, { cause: error });
}
