/** The load the bench applies: sequential requests on one connection, and 64 connections kept busy. */
import { Client, Pool } from 'undici';
import { cpuMicros } from './processes';

export interface Target {
  name: string;
  origin: string;
  model: string;
  /** The process that serves it, for CPU per request. */
  pid: number;
  /** The front door the requests use (default: chat completions). */
  api?: Api;
}

export type Api = 'chat' | 'messages' | 'responses' | 'responses-stored';

const CONNECTIONS = 64;
const PATHS: Record<Api, string> = { chat: '/v1/chat/completions', messages: '/v1/messages', responses: '/v1/responses', 'responses-stored': '/v1/responses' };
const PROMPT = 'Say hello in five words.';

// temperature 0.7: not cacheable, so every request really goes through to the upstream.
function body(model: string, stream = false, api: Api = 'chat'): string {
  const streaming = stream ? { stream: true } : {};
  if (api === 'messages') return JSON.stringify({ model, max_tokens: 256, messages: [{ role: 'user', content: PROMPT }], temperature: 0.7, ...streaming });
  // Codex's requests are stateless (store: false); a kept response costs a SQLite write, measured apart.
  if (api === 'responses' || api === 'responses-stored') return JSON.stringify({ model, input: [{ role: 'user', content: PROMPT }], temperature: 0.7, store: api === 'responses-stored', ...streaming });
  return JSON.stringify({ model, messages: [{ role: 'user', content: PROMPT }], temperature: 0.7, ...streaming });
}

// SDK clients always send a key, so every request here does too.
const headers = { 'content-type': 'application/json', authorization: 'Bearer bench' };

/** Sequential requests on one keep-alive connection; per-request latency in microseconds (to the first chunk for streams). */
export async function latencies(target: Target, n: number, stream: boolean): Promise<number[]> {
  const client = new Client(target.origin, { keepAliveTimeout: 60_000 });
  const payload = body(target.model, stream, target.api);
  const path = PATHS[target.api ?? 'chat'];
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    const res = await client.request({ path, method: 'POST', headers, body: payload });
    let first: bigint | undefined;
    for await (const _chunk of res.body) first ??= process.hrtime.bigint();
    if (res.statusCode !== 200) throw new Error(`${target.name}: HTTP ${res.statusCode}`);
    out.push(Number(((stream ? first : process.hrtime.bigint()) ?? process.hrtime.bigint()) - t0) / 1000);
  }
  await client.close();
  return out;
}

/**
 * 64 connections kept busy while `more()` says so; how many were answered 200 (any other answer
 * fails the load once all are in). `drained` runs before the pool closes, so a CPU reading taken
 * there leaves the closing out.
 */
async function keepBusy(target: Target, more: () => boolean, drained?: () => void): Promise<number> {
  const pool = new Pool(target.origin, { connections: CONNECTIONS, keepAliveTimeout: 60_000 });
  const payload = body(target.model, false, target.api);
  const path = PATHS[target.api ?? 'chat'];
  let done = 0;
  let errors = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (more()) {
        const res = await pool.request({ path, method: 'POST', headers, body: payload });
        await res.body.dump();
        if (res.statusCode === 200) done++;
        else errors++;
      }
    }),
  );
  drained?.();
  await pool.close();
  if (errors > 0) throw new Error(`${target.name}: ${errors} failed requests`);
  return done;
}

/** Requests per second with 64 connections kept busy for `ms`, and the serving process's CPU per request (us). */
export async function throughput(target: Target, ms: number): Promise<{ rps: number; cpuPerRequest: number }> {
  const cpuBefore = cpuMicros(target.pid);
  let cpuAfter: number | undefined;
  const until = Date.now() + ms;
  const done = await keepBusy(target, () => Date.now() < until, () => (cpuAfter = cpuMicros(target.pid)));
  return { rps: (done / ms) * 1000, cpuPerRequest: cpuBefore === undefined || cpuAfter === undefined ? Number.NaN : (cpuAfter - cpuBefore) / done };
}

/** `n` requests over 64 connections, as fast as they are answered (the instruction count's load: a count, not a time). */
export async function requests(target: Target, n: number): Promise<void> {
  let left = n;
  await keepBusy(target, () => left-- > 0);
}

export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
};
export const median = (values: number[]) => percentile(values, 50);
