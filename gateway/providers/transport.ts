/**
 * The one way the gateway talks to upstreams, for every provider kind: a keep-alive undici pool per
 * provider, its timeouts (connect, first byte, idle between bytes, whole request), a size cap on
 * every answer, and redirects never followed (undici's dispatcher does not follow them), so an API
 * key never travels to an origin it was not entered for.
 *
 * Why undici directly and not each vendor's SDK: the SDKs' per-call path (request building, header
 * objects, WHATWG fetch) cost more than the gateway's whole latency budget here, and a gateway
 * forwarding bodies needs only a handful of endpoints. The SDKs still define the request and
 * response shapes (their types) and are the callers in the tests.
 */
import { playgroundRun } from '../playground-run';
import type { Dispatcher } from 'undici';
import { asAbortSignal, linkedCancellation, type CancelSignal, type LinkedCancellation } from '../cancel';
import type { Timeouts } from '../config/schema';
import { UpstreamError, toUpstreamError, upstreamStatusError, type RawHeaders } from '../errors';
import { discard, requestWhole, tooLarge } from './bodies';
import { upstreamDispatcher, type ProxySettings } from './proxy';
import { VIA_HEADER } from './via';

/**
 * A local model streams its thinking, so 30 s without a byte is a wedged runner. A cloud reasoning
 * model thinks unseen: GPT-5's stream can be silent for minutes before its first event, so a cloud
 * stream waits as long as the clients themselves do (Codex's stream_idle_timeout_ms is 300 s;
 * Claude Code's own watchdog, 90 s, comes first for it) rather than cut a turn and pay for it twice.
 * A server of another kind on this machine (LM Studio, vLLM, an Ollama's own OpenAI and Anthropic
 * APIs) streams its thinking too, and may load its model on the first request as Ollama does (LM
 * Studio's just-in-time loading): `defaultTimeouts` gives it Ollama's idle and first byte. One
 * elsewhere on the local network gets Ollama's first byte (a GPU box loading a model) but a cloud's
 * idle (it may be a proxy to a cloud whose reasoning models think unseen).
 */
export const DEFAULT_TIMEOUTS = {
  ollama: { connectMs: 3_000, firstByteMs: 120_000, idleMs: 30_000, totalMs: 600_000 },
  openai: { connectMs: 3_000, firstByteMs: 60_000, idleMs: 300_000, totalMs: 600_000 },
  anthropic: { connectMs: 3_000, firstByteMs: 60_000, idleMs: 300_000, totalMs: 600_000 },
} as const satisfies Record<string, Required<Timeouts>>;

export function defaultTimeouts(kind: keyof typeof DEFAULT_TIMEOUTS, local: boolean, onLocalNetwork = false): Required<Timeouts> {
  if (local) return { ...DEFAULT_TIMEOUTS[kind], idleMs: DEFAULT_TIMEOUTS.ollama.idleMs, firstByteMs: DEFAULT_TIMEOUTS.ollama.firstByteMs };
  return onLocalNetwork ? { ...DEFAULT_TIMEOUTS[kind], firstByteMs: DEFAULT_TIMEOUTS.ollama.firstByteMs } : DEFAULT_TIMEOUTS[kind];
}

const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

export interface TransportOptions {
  providerName: string;
  /** The provider's base URL; request paths are appended to its path. */
  baseUrl: string;
  /** Sent with every request (auth, the provider's extra headers). */
  headers: Record<string, string>;
  /** The provider kind's defaults, and the provider's own `timeouts` over them. */
  defaults: Required<Timeouts>;
  timeouts: Timeouts | undefined;
  maxResponseBytes?: number | undefined;
  /** Sent as `x-switchyard-via` on every request: this gateway's id, which its front doors refuse to see come back. */
  gatewayId?: string | undefined;
  /** The proxy the environment names (providers on this machine or network never go through it). */
  proxy?: ProxySettings | undefined;
}

export interface UpstreamRequest {
  method: 'GET' | 'POST' | 'HEAD' | 'DELETE';
  /** Relative to the base URL's path, e.g. `/chat/completions` or `/api/chat`. */
  path: string;
  body?: unknown;
  /** Per-request headers on top of the provider's (e.g. `anthropic-beta` passed through). */
  headers?: Record<string, string> | undefined;
  /** The gateways the request came through: sent on with this gateway's id after them. */
  via?: string | undefined;
  /** For a whole request: an answer a server sent as an event stream anyway, made whole (else a protocol failure). */
  orEvents?: (text: string) => unknown;
}

/** An upstream answer being streamed: its headers, its body's bytes (capped), and end() once it is over. */
export interface OpenStream {
  providerName: string;
  status: number;
  headers: RawHeaders;
  contentType: string;
  body: AsyncIterable<Uint8Array>;
  /** Releases the attempt's timer and the connection; call once the stream is over, however it ended. */
  end(): void;
}

export interface Transport {
  readonly providerName: string;
  readonly maxResponseBytes: number;
  /** One request whose whole answer is JSON: parsed on 2xx, an UpstreamError otherwise. */
  json<T = unknown>(request: UpstreamRequest, signal: CancelSignal | undefined): Promise<{ value: T; headers: RawHeaders }>;
  /** One request whose answer streams; non-2xx answers throw before anything is returned. */
  stream(request: UpstreamRequest, signal: CancelSignal): Promise<OpenStream>;
  /**
   * A config change replaced it: its connections go once no request is under way (resolved then).
   * A request still to come (one waiting in its provider's queue, or out its retry's backoff) opens
   * a connection of its own, let go when it ends.
   */
  retire(): Promise<void>;
  close(): Promise<void>;
}

export function createTransport(options: TransportOptions): Transport {
  const { providerName } = options;
  const timeouts = { ...options.defaults, ...options.timeouts };
  // A whole (non-streamed) answer's first byte comes when it is done, after a long generation or a
  // reasoning model's thinking: by default only totalMs bounds it, as in the vendors' SDKs. A
  // firstByteMs set for the provider (for a quick fallback from a stuck server) bounds it too.
  const wholeFirstByteMs = options.timeouts?.firstByteMs ?? 0;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const url = new URL(options.baseUrl);
  const origin = url.origin;
  const basePath = url.pathname.replace(/\/+$/, '');
  // A query the base URL carries goes with every request: Azure OpenAI's `?api-version=...`, which
  // each of its endpoints requires.
  const query = url.search.slice(1);
  const connect = () =>
    upstreamDispatcher(options.baseUrl, options.proxy, {
      connect: { timeout: timeouts.connectMs },
      headersTimeout: timeouts.firstByteMs,
      bodyTimeout: timeouts.idleMs,
      keepAliveTimeout: 10_000,
    });
  let agent: Dispatcher | undefined = connect();
  /** Requests under way (a stream until its end()). */
  let active = 0;
  let retired = false;
  let stopped = false;
  const idle: (() => void)[] = [];
  const letGo = () => {
    const last = agent;
    agent = undefined;
    void last?.close().catch(() => undefined);
    for (const resolve of idle.splice(0)) resolve();
  };
  const dispatcher = (): Dispatcher => {
    if (agent) return agent;
    if (stopped) throw new UpstreamError('connect', `${providerName}: the gateway is stopping`);
    return (agent = connect());
  };
  // Built once: most requests add no headers of their own, and copying a header object per request shows in profiles.
  const getHeaders = { ...options.headers, ...(options.gatewayId ? { [VIA_HEADER]: options.gatewayId } : {}) };
  const jsonHeaders = { ...getHeaders, 'content-type': 'application/json' };
  const paths = new Map<string, string>();
  // A stream that keeps coming is bounded by its idle timeout and size cap alone, as the vendors' SDKs
  // leave it (a long answer from a local model on a CPU runs past 10 min); a totalMs set for the
  // provider bounds it too (a body that trickles and never ends).
  const streamTotalMs = options.timeouts?.totalMs;
  const attempt = (parent: CancelSignal | undefined, totalMs: number | undefined): LinkedCancellation => {
    const call = linkedCancellation(parent, totalMs, () => new DOMException(`no complete answer within ${totalMs} ms`, 'TimeoutError'));
    active++;
    let over = false;
    return {
      signal: call.signal,
      end() {
        call.end();
        if (over) return;
        over = true;
        if (--active === 0 && retired) letGo();
      },
    };
  };
  // One object literal with every option a call sets: on Node 20, `{ ...options, headersTimeout }`
  // cost about a microsecond to make and gave each request's options a hidden class of its own, so
  // undici's Request, which reads sixteen options, took 5.4 us a request where it takes 0.8 (profiled).
  const dispatchOptions = (request: UpstreamRequest, headersTimeout: number | undefined, signal: AbortSignal | undefined): Dispatcher.RequestOptions => {
    const base = request.body === undefined ? getHeaders : jsonHeaders;
    let path = paths.get(request.path);
    if (path === undefined) paths.set(request.path, (path = `${basePath}${request.path}${query ? `${request.path.includes('?') ? '&' : '?'}${query}` : ''}`));
    playgroundRun()?.upstream.push({ provider: providerName, method: request.method, url: `${origin}${path}`, body: request.body });
    return {
      origin,
      path,
      method: request.method,
      headers: request.headers || request.via ? { ...base, ...request.headers, ...(request.via ? { [VIA_HEADER]: options.gatewayId ? `${request.via}, ${options.gatewayId}` : request.via } : {}) } : base,
      body: request.body === undefined ? null : typeof request.body === 'string' ? request.body : JSON.stringify(request.body),
      headersTimeout,
      signal,
    };
  };

  return {
    providerName,
    maxResponseBytes,

    async json<T>(request: UpstreamRequest, signal: CancelSignal | undefined) {
      const call = attempt(signal, timeouts.totalMs);
      try {
        const response = await requestWhole(dispatcher(), dispatchOptions(request, wholeFirstByteMs, undefined), call.signal, maxResponseBytes, providerName);
        const text = response.body.toString('utf8');
        if (response.statusCode >= 300) throw upstreamStatusError(providerName, response.statusCode, response.headers, text);
        const type = String(response.headers['content-type'] ?? '');
        // Relays send events under another label (JSON, plain text, none): the body says what it is.
        if (request.orEvents && (type.includes('text/event-stream') || looksLikeEvents(text))) return { value: request.orEvents(text) as T, headers: response.headers };
        if (!type.includes('json')) {
          throw new UpstreamError('upstream_protocol', `${providerName} answered ${response.statusCode} with content type "${type}" instead of JSON`);
        }
        return { value: JSON.parse(text) as T, headers: response.headers };
      } catch (error) {
        throw toUpstreamError(error, providerName);
      } finally {
        call.end();
      }
    },

    async stream(request, signal) {
      const call = attempt(signal, streamTotalMs);
      let response: Dispatcher.ResponseData;
      try {
        response = await dispatcher().request(dispatchOptions(request, undefined, asAbortSignal(call.signal)));
      } catch (error) {
        call.end();
        throw toUpstreamError(error, providerName);
      }
      if (response.statusCode >= 300) {
        let text = '';
        try {
          text = await readText(response.body, 64 * 1024);
        } catch {
          // the status says enough
        } finally {
          call.end();
        }
        throw upstreamStatusError(providerName, response.statusCode, response.headers, text);
      }
      const body = response.body;
      let ended = false;
      return {
        providerName,
        status: response.statusCode,
        headers: response.headers,
        contentType: String(response.headers['content-type'] ?? ''),
        body: cappedBytes(body, maxResponseBytes, providerName),
        end() {
          if (ended) return;
          ended = true;
          call.end();
          if (!body.destroyed && !body.readableEnded) discard(body);
        },
      };
    },

    retire() {
      retired = true;
      return new Promise<void>((resolve) => {
        idle.push(resolve);
        if (active === 0) letGo();
      });
    },

    async close() {
      stopped = true;
      const last = agent;
      agent = undefined;
      await last?.close();
      for (const resolve of idle.splice(0)) resolve();
    },
  };
}

/** The body's bytes, failing as soon as they pass the cap (a runaway upstream must not fill memory). */
async function* cappedBytes(body: AsyncIterable<Uint8Array>, cap: number, providerName: string): AsyncGenerator<Uint8Array> {
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > cap) throw tooLarge(providerName, cap);
    yield chunk;
  }
}

async function readText(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size < limit) chunks.push(chunk as Buffer);
    size += (chunk as Buffer).byteLength;
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, limit);
}

/** Whether a body's text opens as an event stream does: an event's field, or a comment (a keep-alive). */
export function looksLikeEvents(text: string): boolean {
  return /^(?:(?:data|event|id|retry):|:)/.test(text.trimStart());
}
