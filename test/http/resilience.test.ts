import { Pool } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer, FailureMode } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, twoTierConfig, type Harness, stopAll, resetBetweenTests } from '../support/harness';

let ollama: FakeServer;
let openai: FakeServer;
let h: Harness;
/** The gateway's clock: breakers and cooldowns read it, tests move it. */
let clock = Date.parse('2026-11-23T10:00:00Z');

type Extra = { provider?: Record<string, unknown>; local?: Record<string, unknown>; route?: Record<string, unknown> };
function config(extra: Extra = {}) {
  const c = twoTierConfig({ ollama: ollama.url, openai: openai.url, timeouts: { firstByteMs: 300, idleMs: 300, totalMs: 5_000 } }, extra.route ?? {});
  Object.assign(c.providers[0]!, { maxConcurrent: 8 }, extra.provider);
  Object.assign(c.deployments[0]!, { breaker: { failures: 5, cooldownMs: 10_000, maxCooldownMs: 80_000 } }, extra.local);
  return c;
}

beforeAll(async () => {
  ollama = await startFakeOllama();
  openai = await startFakeOpenAI();
  h = await startGateway(config(), { now: () => clock });
});
afterAll(() => stopAll(h, ollama, openai));
beforeEach(async () => {
  await resetBetweenTests(h, [ollama, openai], config());
});

let pool: Pool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

async function send(model = 'default', extra: Record<string, unknown> = {}) {
  pool ??= new Pool(h.url, { connections: 64 });
  const res = await pool.request({
    path: '/v1/chat/completions',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hello' }], ...extra }),
  });
  const text = await res.body.text();
  return { status: res.statusCode, deployment: res.headers['x-switchyard-deployment'], retryAfter: res.headers['retry-after'], body: text ? JSON.parse(text.startsWith('data:') ? '{}' : text) : undefined, text };
}

async function many<T>(count: number, concurrency: number, fn: () => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        results.push(await fn());
      }
    }),
  );
  return results;
}

const breakerOf = async (name: string) => {
  const res = await h.admin('/admin/api/breakers').then((r) => r.json());
  return res.breakers.find((b: { deployment: string }) => b.deployment === name);
};

async function trip(mode: FailureMode = { kind: 'status', status: 500 }) {
  await ollama.setMode(mode);
  for (let i = 0; i < 5; i++) await send();
  expect((await breakerOf('llama')).state).toBe('open');
}

describe('circuit breaker on live traffic', () => {
  it('with the primary failing, 1000 requests at concurrency 32 all succeed from the second deployment and the primary sees at most N + 32', async () => {
    await ollama.setMode({ kind: 'status', status: 500 });
    const results = await many(1000, 32, () => send());
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    expect(results.every((r) => r.deployment === 'mini')).toBe(true);
    expect(ollama.requests.length).toBeGreaterThanOrEqual(5);
    expect(ollama.requests.length).toBeLessThanOrEqual(5 + 32);
    expect(openai.requests).toHaveLength(1000);
  });

  it('after the cooldown sends exactly one probe while other requests go on to the next deployment, then returns traffic to the primary', async () => {
    await trip();
    const before = ollama.requests.length;
    await ollama.setMode({ kind: 'slow-first-byte', delayMs: 200 });
    clock += 10_000;
    const results = await Promise.all(Array.from({ length: 10 }, () => send()));
    expect(ollama.requests.length - before).toBe(1);
    expect(results.filter((r) => r.deployment === 'llama')).toHaveLength(1);
    expect(results.filter((r) => r.deployment === 'mini')).toHaveLength(9);
    expect((await breakerOf('llama')).state).toBe('closed');
    await ollama.setMode({ kind: 'healthy' });
    const after = await Promise.all(Array.from({ length: 5 }, () => send()));
    expect(after.every((r) => r.deployment === 'llama')).toBe(true);
  });

  it('backs its probes off 10, 20, 40 s up to the cap', async () => {
    await trip();
    const cooldowns = [(await breakerOf('llama')).cooldownMs];
    for (let i = 0; i < 4; i++) {
      clock += cooldowns[cooldowns.length - 1];
      const before = ollama.requests.length;
      await send();
      expect(ollama.requests.length - before).toBe(1); // the probe
      const breaker = await breakerOf('llama');
      expect(breaker.state).toBe('open');
      expect(breaker.openUntil).toBe(clock + breaker.cooldownMs);
      cooldowns.push(breaker.cooldownMs);
    }
    expect(cooldowns).toEqual([10_000, 20_000, 40_000, 80_000, 80_000]);
  });

  it('abandons a hung probe at the first-byte timeout and reopens', async () => {
    await trip();
    await ollama.setMode({ kind: 'hang' });
    clock += 10_000;
    const before = ollama.requests.length;
    let probeSettled = false;
    const probe = send().finally(() => (probeSettled = true));
    // The probe is out once it reached the hung Ollama (a fixed wait could end before it did, under load).
    await expect.poll(() => ollama.requests.length, { interval: 10 }).toBeGreaterThan(before);
    const other = await send();
    expect(other.deployment).toBe('mini');
    // Answered while the probe still hung: it did not wait behind it (the probe waits out its first-byte timeout).
    expect(probeSettled).toBe(false);
    const answered = await probe;
    expect(answered.deployment).toBe('mini');
    const breaker = await breakerOf('llama');
    expect(breaker).toMatchObject({ state: 'open', cooldownMs: 20_000, probeInFlight: false });
  });

  it('skips an open deployment at no cost: no request reaches it', async () => {
    await trip();
    const before = ollama.requests.length;
    const results = await many(50, 10, () => send());
    expect(results.every((r) => r.status === 200 && r.deployment === 'mini')).toBe(true);
    expect(ollama.requests.length).toBe(before);
  });

  it('answers 503 with Retry-After of the earliest recovery when every deployment is open', async () => {
    await ollama.setMode({ kind: 'status', status: 500 });
    await openai.setMode({ kind: 'status', status: 500 });
    for (let i = 0; i < 5; i++) await send();
    const counts = [ollama.requests.length, openai.requests.length];
    const res = await send();
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('no_deployment_available');
    expect(res.retryAfter).toBe('10');
    expect(res.body.error.message).toContain("circuit is open until");
    expect([ollama.requests.length, openai.requests.length]).toEqual(counts);
  });

  it('can be reset by hand', async () => {
    await trip();
    await ollama.setMode({ kind: 'healthy' });
    const reset = await h.admin('/admin/api/breakers/llama/reset', { method: 'POST' }).then((r) => r.json());
    expect(reset.state).toBe('closed');
    expect((await send()).deployment).toBe('llama');
    expect((await h.admin('/admin/api/breakers/nope/reset', { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${h.url}/admin/api/breakers/llama/reset`, { method: 'POST' })).status).toBe(401);
  });

  it('shows state and transitions in /health', async () => {
    await trip();
    const health = await fetch(`${h.url}/health`).then((r) => r.json());
    const llama = health.deployments.find((d: { name: string }) => d.name === 'llama');
    expect(llama.status).toBe('open');
    expect(llama.breaker).toMatchObject({ state: 'open', openUntil: new Date(clock + 10_000).toISOString() });
    expect(health.status).toBe('degraded');
    const board = await h.admin('/admin/api/breakers').then((r) => r.json());
    expect(board.transitions.at(-1)).toMatchObject({ deployment: 'llama', from: 'closed', to: 'open', reason: '5 consecutive failures' });
  });
});

describe('rate limits', () => {
  it('cools a deployment until its Retry-After (seconds or HTTP date) without contacting it', async () => {
    // An HTTP date is wall-clock time by nature, so it is written relative to the real clock.
    for (const retryAfter of ['30', new Date(Date.now() + 30_000).toUTCString()]) {
      await ollama.reset();
      h.gateway.breakers.reset('llama');
      await ollama.setMode({ kind: 'status', status: 429, retryAfter });
      expect((await send()).deployment).toBe('mini');
      await ollama.setMode({ kind: 'healthy' });
      expect((await send()).deployment).toBe('mini');
      expect(ollama.requests).toHaveLength(1);
      clock += 31_000;
      expect((await send()).deployment).toBe('llama');
    }
  });

  it('answers 429 with Retry-After when the only deployment is cooling', async () => {
    await ollama.setMode({ kind: 'status', status: 429, retryAfter: '20' });
    await send('llama');
    const res = await send('llama');
    expect(res.status).toBe(429);
    expect(res.retryAfter).toBe('20');
    expect(ollama.requests).toHaveLength(1);
  });
});

describe('timeouts', () => {
  it('gives up on a slow first byte at the first-byte timeout and falls back', async () => {
    // An answer 5 s away: falling back well before it is giving up at the 300 ms timeout, with room
    // for a busy machine (a bound of 900 ms against a 1 s answer once failed CI by 2 ms).
    await ollama.setMode({ kind: 'slow-first-byte', delayMs: 5_000 });
    const started = Date.now();
    const res = await send();
    expect(res.deployment).toBe('mini');
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('gives up on a body that stalls (1 byte a second) at the idle timeout', async () => {
    await ollama.setMode({ kind: 'drip', intervalMs: 1_000 });
    const res = await send();
    expect(res.deployment).toBe('mini');
  });

  it('gives up at the whole-request timeout on a body that trickles but never ends', async () => {
    h.gateway.applyConfig(config({ provider: { timeouts: { firstByteMs: 300, idleMs: 300, totalMs: 600 } } }), 'test');
    await ollama.setMode({ kind: 'drip', intervalMs: 50 });
    const started = Date.now();
    const res = await send();
    expect(res.deployment).toBe('mini');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('leaves no open upstream sockets after 100 requests to a hanging primary', async () => {
    h.gateway.applyConfig(config({ provider: { maxConcurrent: 100 }, local: { breaker: { failures: 1000 } } }), 'test');
    await ollama.setMode({ kind: 'hang' });
    const results = await many(100, 25, () => send());
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(ollama.requests.length).toBe(100);
    await expect.poll(() => ollama.openSockets(), { timeout: 2_000 }).toBe(0);
  });
});

describe('upstream protocol checks', () => {
  it('treats a JSON body labelled text/plain as a failure of the deployment', async () => {
    await openai.setMode({ kind: 'wrong-content-type' });
    expect((await send('cloud-first')).deployment).toBe('llama');
  });

  it('treats an answer over the size cap as a failure (both provider kinds)', async () => {
    h.gateway.applyConfig(
      { ...config({ provider: { maxResponseBytes: 65_536 } }), providers: config({ provider: { maxResponseBytes: 65_536 } }).providers.map((p) => ({ ...p, maxResponseBytes: 65_536 })) },
      'test',
    );
    await ollama.setMode({ kind: 'huge', bytes: 200_000 });
    expect((await send()).deployment).toBe('mini');
    await ollama.reset();
    await openai.setMode({ kind: 'huge', bytes: 200_000 });
    expect((await send('cloud-first')).deployment).toBe('llama');
  });

  it('ends an Ollama stream with an error when a line is not JSON, instead of skipping it', async () => {
    await ollama.setMode({ kind: 'malformed-json' });
    const res = await send('default', { stream: true });
    expect(res.text).toContain('"content":"Hi"');
    expect(res.text).toContain('not JSON');
    expect(res.text).not.toContain('data: [DONE]');
  });
});

describe('concurrency cap', () => {
  it('spills to the next deployment after the queue timeout, and at once when the queue is full', async () => {
    // The first answers in 250 ms (inside the 300 ms first-byte timeout); the second waits 100 ms in the queue.
    h.gateway.applyConfig(config({ provider: { maxConcurrent: 1, queue: { max: 1, timeoutMs: 100 } } }), 'test');
    await ollama.setMode({ kind: 'slow-first-byte', delayMs: 250 });
    let firstSettled = false;
    const first = send().finally(() => (firstSettled = true));
    // The first holds the one slot once it reached Ollama (a fixed wait could end before it did, under load).
    await expect.poll(() => ollama.requests.length, { interval: 10 }).toBe(1);
    const second = send();
    const c = await new Promise((r) => setTimeout(r, 20)).then(() => send());
    expect(c.deployment).toBe('mini'); // queue full: moved on at once, while the first still held the slot
    expect(firstSettled).toBe(false);
    const [a, b] = await Promise.all([first, second]);
    expect(a.deployment).toBe('llama');
    expect(b.deployment).toBe('mini'); // waited 100 ms in the queue, then moved on
    expect(ollama.requests).toHaveLength(1);
  });

  it('answers 429 with Retry-After and sends nothing upstream when the queue is full and nothing else is left', async () => {
    h.gateway.applyConfig(config({ provider: { maxConcurrent: 1, queue: { max: 0, timeoutMs: 3_000 } } }), 'test');
    await ollama.setMode({ kind: 'slow-first-byte', delayMs: 300 });
    const held = send('llama');
    await expect.poll(() => ollama.requests.length, { interval: 10 }).toBe(1);
    const [first, second] = await Promise.all([held, send('llama')]);
    expect(first.status).toBe(200);
    expect(second.status).toBe(429);
    expect(second.retryAfter).toBe('3');
    expect(second.body.error.message).toContain('busy');
    expect(ollama.requests).toHaveLength(1);
  });
});
