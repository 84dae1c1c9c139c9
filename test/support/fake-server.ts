/**
 * The base of the fake upstreams: a real HTTP server on a loopback port that records every
 * request, can be switched at run time into a failure mode, and closes every socket on stop.
 * The wire formats themselves live in fake-openai.ts and fake-ollama.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FailureMode =
  | { kind: 'healthy' }
  /** Connections are refused: the port is closed. */
  | { kind: 'refuse' }
  | { kind: 'status'; status: number; retryAfter?: string; body?: unknown }
  /** Accept the request, never answer. */
  | { kind: 'hang' }
  /** Destroy the socket before any response byte. */
  | { kind: 'reset-before-headers' }
  /** Stream `chunks` events, then destroy the socket. */
  | { kind: 'reset-mid-stream'; chunks: number }
  /** Stream `chunks` events, then end cleanly without the end marker. */
  | { kind: 'truncated'; chunks: number }
  /**
   * Stream `chunks` events, then the wire's own mid-stream error (Anthropic's overloaded_error, OpenAI's `{"error"}`, a Response's `error` event);
   * `event` is that error event's data, where another server's words are wanted.
   */
  | { kind: 'error-event'; chunks: number; event?: unknown }
  /** Stream `chunks` lines, then send nothing more with the connection left open (a wedged runner; chat streams of both fakes). */
  | { kind: 'stall'; chunks: number }
  /** The whole stream with its end marker, then the connection left open (a server or proxy that never ends the response). */
  | { kind: 'open-after-end' }
  | { kind: 'html' }
  /** 200 with a JSON body labelled text/plain. */
  | { kind: 'wrong-content-type' }
  /** Wait, then answer as healthy. */
  | { kind: 'slow-first-byte'; delayMs: number }
  /** Headers at once, then one byte every `intervalMs` of a never-ending body. */
  | { kind: 'drip'; intervalMs: number }
  /** A well-formed answer of about `bytes` bytes. */
  | { kind: 'huge'; bytes: number }
  | { kind: 'malformed-json' }
  /** A well-formed stream of about `bytes`, in events each carrying `eventBytes` characters (written as the reader takes them). */
  | { kind: 'long-stream'; bytes: number; eventBytes: number }
  /** One stream event whose content is `bytes` characters long, then the end marker. */
  | { kind: 'huge-event'; bytes: number }
  | { kind: 'redirect'; location: string }
  /** The healthy answer, its body written a byte at a time (a UTF-8 character and an event cut anywhere, as TCP may). */
  | { kind: 'byte-at-a-time' };

export interface RecordedRequest {
  method: string;
  path: string;
  /** The query string, without its `?` ('' when none). */
  query: string;
  headers: IncomingMessage['headers'];
  body: any;
  /** Epoch ms when the request arrived. */
  at: number;
}

export interface FakeServer {
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** Requests whose connection closed before the response finished (client aborts). */
  readonly aborted: RecordedRequest[];
  setMode(mode: FailureMode): Promise<void>;
  /** Back to healthy with no recorded requests. */
  reset(): Promise<void>;
  /** Open sockets right now (keep-alive included). */
  openSockets(): number;
  stop(): Promise<void>;
}

export type WireHandler = (request: RecordedRequest, res: ServerResponse, mode: FailureMode) => void | Promise<void>;

export async function startFakeServer(handler: WireHandler): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const aborted: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let mode: FailureMode = { kind: 'healthy' };

  const server: Server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // keep the raw text
      }
      const [path = '/', query = ''] = (req.url ?? '/').split('?');
      const recorded: RecordedRequest = { method: req.method ?? 'GET', path, query, headers: req.headers, body, at: Date.now() };
      requests.push(recorded);
      res.on('close', () => {
        if (!res.writableFinished) aborted.push(recorded);
      });
      void dispatch(recorded, res);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function dispatch(request: RecordedRequest, res: ServerResponse): Promise<void> {
    const current = mode;
    switch (current.kind) {
      case 'hang':
        return;
      case 'reset-before-headers':
        res.socket?.destroy();
        return;
      case 'html':
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Captive portal</body></html>');
        return;
      case 'redirect':
        res.writeHead(302, { location: `${current.location}${request.path}` }).end();
        return;
      case 'wrong-content-type':
        res.writeHead(200, { 'content-type': 'text/plain' }).end('{"id":"x","object":"chat.completion","choices":[]}');
        return;
      case 'slow-first-byte':
        await new Promise((resolve) => setTimeout(resolve, current.delayMs));
        if (!res.destroyed) await handler(request, res, { kind: 'healthy' });
        return;
      case 'drip': {
        res.writeHead(200, { 'content-type': request.body?.stream === false || !request.body?.stream ? 'application/json' : 'text/event-stream' });
        const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write(' ')), current.intervalMs);
        res.on('close', () => clearInterval(timer));
        return;
      }
      case 'byte-at-a-time':
        writeByteAtATime(res);
        await handler(request, res, { kind: 'healthy' });
        return;
      default:
        await handler(request, res, current);
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const fake: FakeServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    aborted,
    async setMode(next) {
      const wasRefusing = mode.kind === 'refuse';
      mode = next;
      if (next.kind === 'refuse' && !wasRefusing) {
        server.close();
        for (const socket of sockets) socket.destroy();
      } else if (next.kind !== 'refuse' && wasRefusing) {
        await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      }
    },
    async reset() {
      await fake.setMode({ kind: 'healthy' });
      requests.length = 0;
      aborted.length = 0;
    },
    openSockets: () => sockets.size,
    async stop() {
      for (const socket of sockets) socket.destroy();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

/** Cuts the connection once everything written so far has reached the socket (a reset after the first bytes, not instead of them). */
export function resetAfterFlush(res: ServerResponse): void {
  res.write('', () => res.socket?.destroy());
}

/** Writes a JSON body with the given status. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers }).end(text);
}

/** Every byte the handler writes goes out in a write of its own, a turn of the event loop apart. */
function writeByteAtATime(res: ServerResponse): void {
  const write = res.write.bind(res) as (chunk: Buffer) => boolean;
  const end = res.end.bind(res) as () => ServerResponse;
  const pending: Buffer[] = [];
  let ending = false;
  let pumping = false;
  const pump = async () => {
    if (pumping) return;
    pumping = true;
    for (let chunk = pending.shift(); chunk; chunk = pending.shift()) {
      for (let i = 0; i < chunk.length && !res.destroyed; i++) {
        write(chunk.subarray(i, i + 1));
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    pumping = false;
    if (ending && !res.destroyed) end();
  };
  const take = (chunk: unknown) => {
    if (typeof chunk === 'string' || chunk instanceof Uint8Array) pending.push(Buffer.from(chunk));
  };
  res.write = ((chunk: unknown) => {
    take(chunk);
    void pump();
    return true;
  }) as typeof res.write;
  res.end = ((chunk?: unknown) => {
    take(chunk);
    ending = true;
    void pump();
    return res;
  }) as typeof res.end;
}
