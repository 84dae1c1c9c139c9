/**
 * What an upstream's error answer says, read in every wire's error shape: OpenAI
 * `{error:{message,type,param,code}}`, Anthropic `{type:"error",error:{type,message}}`, Ollama
 * `{error:"..."}`, Google's `[{error:{code,message,status,details}}]` (its OpenAI compatibility layer
 * answers in a list), FastAPI's validation errors `{detail:[{loc,msg}]}` (Mistral's API puts them in
 * `message`), or plain text; and how long it asks the gateway to wait before the next try.
 * errors.ts classifies what is read here.
 */

/** Response headers as undici gives them: lower-case names, a value or a list. */
export type RawHeaders = Record<string, string | string[] | undefined>;

/** The upstream's own error, as far as it said: passed on to the client when the failure is not retried. */
export interface UpstreamErrorBody {
  message: string;
  type?: string | undefined;
  param?: string | null;
  code?: string | null;
  /** When the body itself says when to try again (Google's RetryInfo). */
  retryDelayMs?: number;
}

export function errorBodyOf(text: string, status: number): UpstreamErrorBody {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // An error said as a server-sent event, with its status (Alibaba DashScope's Anthropic API):
    // `event:error` then `data:{"code": "InvalidParameter", "message": "..."}`.
    const data = /^data:[ \t]?(\{.{0,100000}\})[ \t]*$/m.exec(text.slice(0, 100_000))?.[1];
    if (data !== undefined) {
      try {
        return errorBodyFrom(JSON.parse(data), data.slice(0, 500));
      } catch {
        // Not JSON after all: said as it came, below.
      }
    }
    const plain = text.trim().slice(0, 500);
    return { message: plain || `HTTP ${status}`, param: null, code: null };
  }
  return errorBodyFrom(json, text.slice(0, 500) || `HTTP ${status}`);
}

/** An error answer already parsed (an error event of a stream too); `otherwise` is its message where it names none. */
export function errorBodyFrom(json: unknown, otherwise: string): UpstreamErrorBody {
  if (Array.isArray(json)) json = json[0];
  const error = (json as { error?: unknown } | null)?.error;
  if (typeof error === 'string') return { message: error, param: null, code: null };
  if (error && typeof error === 'object') {
    const e = error as Record<string, unknown>;
    const retryDelayMs = googleRetryDelayMs(e.details);
    return {
      message: typeof e.message === 'string' ? e.message : JSON.stringify(error).slice(0, 500),
      type: typeof e.type === 'string' ? e.type : undefined,
      param: typeof e.param === 'string' ? e.param : null,
      // Google's code is the HTTP status; its `status` (RESOURCE_EXHAUSTED) is the word for it.
      code: typeof e.code === 'string' ? e.code : typeof e.status === 'string' ? e.status : null,
      ...(retryDelayMs !== undefined ? { retryDelayMs } : {}),
    };
  }
  const { message, detail, type } = (json ?? {}) as { message?: unknown; detail?: unknown; type?: unknown };
  if (typeof message === 'string') return { message, param: null, code: null };
  const said = detailText((message as { detail?: unknown } | null)?.detail ?? detail);
  return { message: said ?? otherwise, ...(said !== undefined && typeof type === 'string' ? { type } : {}), param: null, code: null };
}

/** The most of a FastAPI error list read: every problem of a request is in it, but a body's worth is enough. */
const MOST_DETAILS = 20;

/**
 * FastAPI's error detail as pydantic words it, a problem a line: `{loc: ["body", "messages", 0,
 * "user", "name"], msg: "Extra inputs are not permitted"}` says "messages.0.user.name: Extra inputs
 * are not permitted" (the field it refused, where refusals.ts looks for it). A plain detail ("Not
 * Found") is itself.
 */
function detailText(detail: unknown): string | undefined {
  if (typeof detail === 'string') return detail;
  if (!Array.isArray(detail)) return undefined;
  const lines = detail.slice(0, MOST_DETAILS).flatMap((item: { loc?: unknown; msg?: unknown } | null) => {
    if (typeof item?.msg !== 'string') return [];
    const loc = Array.isArray(item.loc) ? item.loc.slice(0, 20).filter((part, i) => !(i === 0 && part === 'body')).join('.') : '';
    return [loc ? `${loc}: ${item.msg}` : item.msg];
  });
  return lines.length > 0 ? lines.join('\n') : undefined;
}

/** Google's `RetryInfo` detail: `{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "37s"}`. */
function googleRetryDelayMs(details: unknown): number | undefined {
  if (!Array.isArray(details)) return undefined;
  for (const detail of details.slice(0, 20)) {
    const delay = (detail as { retryDelay?: unknown } | null)?.retryDelay;
    const seconds = typeof delay === 'string' ? /^(\d{1,7}(?:\.\d{1,9})?)s$/.exec(delay)?.[1] : undefined;
    if (seconds !== undefined) return Math.round(Number(seconds) * 1000);
  }
  return undefined;
}

/** `retry-after-ms` (OpenAI's), else `Retry-After` as seconds or an HTTP date, else the delay the body names (Google's). */
export function retryAfterMs(headers: RawHeaders | undefined, body?: UpstreamErrorBody, now = Date.now()): number | undefined {
  const header = (name: string) => {
    const value = headers?.[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const msText = header('retry-after-ms');
  const ms = Number(msText);
  if (msText && Number.isFinite(ms) && ms >= 0) return ms;
  const value = header('retry-after');
  if (!value) return body?.retryDelayMs;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : body?.retryDelayMs;
}
