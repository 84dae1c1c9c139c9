/**
 * Defects found by failure, attack and code-reading runs, each with the behaviour that replaced it.
 * Upstreams are the wire-format fakes in their chaos modes; nothing here asserts a duration (a hang
 * shows as the test's own timeout).
 */
import { createParser } from 'eventsource-parser';
import { connect } from 'node:net';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { quickTokenCount } from '../../gateway/usage/tokens';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, twoTierConfig, type Harness } from '../support/harness';

let ollama: FakeServer;
let openai: FakeServer;
let h: Harness;
let clock = Date.parse('2026-11-23T10:00:00Z');
const config = (route: Record<string, unknown> = {}) => twoTierConfig({ ollama: ollama.url, openai: openai.url, timeouts: { firstByteMs: 3_000, idleMs: 3_000, totalMs: 20_000 } }, route);

beforeAll(async () => {
  ollama = await startFakeOllama();
  openai = await startFakeOpenAI();
  h = await startGateway(config(), { now: () => clock, clientTimeouts: { headersMs: 400, requestMs: 800, keepAliveMs: 400 } });
});
afterAll(() => stopAll(h, ollama, openai));
beforeEach(async () => {
  await resetBetweenTests(h, [ollama, openai], config());
});

const rows = () => h.gateway.usage.list({}, { limit: 100 }).rows;
const post = (path: string, body: unknown, headers: Record<string, string> = {}) => fetch(`${h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const health = () => fetch(`${h.url}/health`).then((r) => r.status);

describe('token estimates', () => {
  it('estimate a 1 MiB prompt without spaces in linear time while /health keeps answering', async () => {
    const prompt = 'ACGT'.repeat(256 * 1024);
    await openai.setMode({ kind: 'truncated', chunks: 2 });
    const answer = post('/v1/chat/completions', { model: 'mini', stream: true, messages: [{ role: 'user', content: prompt }] }).then((r) => r.text());
    expect(await health()).toBe(200);
    const text = await answer;
    expect(text).not.toMatch(/^data: \[DONE\]$/m);
    expect(text).toContain('"error"');
    const [row] = rows();
    expect(row).toMatchObject({ tokensEstimated: true, inputTokens: quickTokenCount(`${prompt}\n`) });
  });
});

describe('long streams', () => {
  it('relay one 24 MiB event whole, in time linear in its length', async () => {
    await openai.setMode({ kind: 'huge-event', bytes: 24 * 1024 * 1024 });
    // Read as bytes and parsed once: the openai SDK's own line decoder takes seconds per such event
    // (10 s here), which would time the client, not the gateway.
    const text = await post('/v1/chat/completions', { model: 'mini', messages: [{ role: 'user', content: 'big' }], stream: true }).then((r) => r.text());
    const data: string[] = [];
    const parser = createParser({ onEvent: (event) => data.push(event.data) });
    parser.feed(text);
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as { choices: { delta?: { content?: string } }[] });
    expect(chunks.reduce((n, c) => n + (c.choices[0]?.delta?.content?.length ?? 0), 0)).toBe(24 * 1024 * 1024);
    expect(Math.max(...chunks.map((c) => c.choices[0]?.delta?.content?.length ?? 0))).toBe(24 * 1024 * 1024);
  });

  it('relay to a slow reader with backpressure, leave no listener behind, and end cleanly at the route deadline', async () => {
    h.gateway.applyConfig(config({ deadlineMs: 1_500 }), 'test');
    await openai.setMode({ kind: 'long-stream', bytes: 200 * 1024 * 1024, eventBytes: 2048 });
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      // 64 KiB/s until past the deadline; then whatever the kernel still buffers is read at once.
      const { text, received } = await slowRead('/v1/chat/completions', { model: 'cloud-first', stream: true, messages: [{ role: 'user', content: 'x' }] }, 64 * 1024, 2_500);
      // Cut by the deadline: an error event, never [DONE], long before the upstream's 200 MiB.
      expect(text.trimEnd().endsWith('data: [DONE]')).toBe(false);
      expect(text).toMatch(/deadline/i);
      expect(received).toBeLessThan(32 * 1024 * 1024);
      expect(await health()).toBe(200);
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message)).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('rate limits', () => {
  it('cool a deployment that answered 429 without Retry-After, for the configured cooldown', async () => {
    await openai.setMode({ kind: 'status', status: 429 });
    const answered: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await post('/v1/chat/completions', { model: 'cloud-first', messages: [{ role: 'user', content: 'x' }] });
      answered.push(res.headers.get('x-switchyard-deployment') ?? '');
    }
    expect(openai.requests).toHaveLength(1);
    expect(answered.every((d) => d === 'llama')).toBe(true);
    clock += 10_001;
    await post('/v1/chat/completions', { model: 'cloud-first', messages: [{ role: 'user', content: 'x' }] });
    expect(openai.requests).toHaveLength(2);
  });
});

/** What the gateway answers on a raw connection, until it closes it (`closed` false if it had not within 8 s). */
function rawExchange(bytes: string): Promise<{ closed: boolean; answer: string }> {
  const socket = connect(h.port, '127.0.0.1');
  socket.write(bytes);
  let answer = '';
  return new Promise((resolve) => {
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => resolve({ closed: true, answer }));
    socket.on('error', () => undefined);
    setTimeout(() => (socket.destroy(), resolve({ closed: false, answer })), 8_000);
  });
}
const bodyOf = (answer: string) => JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));

describe('slow clients', () => {
  it('are cut when they never finish their headers, told why in an OpenAI error', async () => {
    const { closed, answer } = await rawExchange(`POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${h.port}\r\nContent-Type: application/json\r\n`);
    expect(closed).toBe(true);
    expect(answer).toMatch(/^HTTP\/1.1 408 /);
    expect(bodyOf(answer).error).toMatchObject({ code: 'request_timeout', message: expect.stringMatching(/did not arrive in time/) });
  });

  it('that send what Node cannot read (headers too large, not HTTP) are told why in the API\'s error shape', async () => {
    const huge = `X-Big: ${'x'.repeat(20_000)}\r\n`;
    const openaiPath = await rawExchange(`GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1:${h.port}\r\n${huge}\r\n`);
    expect(openaiPath.answer).toMatch(/^HTTP\/1.1 431 /);
    expect(bodyOf(openaiPath.answer).error).toMatchObject({ code: 'headers_too_large', message: expect.stringMatching(/larger than 16 KiB/) });
    const ollamaPath = await rawExchange(`GET /api/tags HTTP/1.1\r\nHost: 127.0.0.1:${h.port}\r\n${huge}\r\n`);
    expect(bodyOf(ollamaPath.answer).error).toMatch(/larger than 16 KiB/);
    const garbage = await rawExchange('HELLO THERE\r\n\r\n');
    expect(garbage.answer).toMatch(/^HTTP\/1.1 400 /);
    expect(bodyOf(garbage.answer).error.message).toMatch(/not valid HTTP/);
    expect(await health()).toBe(200);
  });

  it('that expect what the gateway cannot meet are told which header to drop, and a 100-continue still works', async () => {
    const body = JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] });
    const refused = await rawExchange(`POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${h.port}\r\nExpect: 200-ok\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    expect(refused.answer).toMatch(/^HTTP\/1.1 417 /);
    expect(bodyOf(refused.answer).error).toMatchObject({ code: 'expectation_failed', message: expect.stringMatching(/"200-ok" cannot be met/) });
    const ollama = await rawExchange(`GET /api/tags HTTP/1.1\r\nHost: 127.0.0.1:${h.port}\r\nExpect: later\r\n\r\n`);
    expect(bodyOf(ollama.answer).error).toMatch(/"later" cannot be met/);
    const continued = await rawExchange(`GET /health HTTP/1.1\r\nHost: 127.0.0.1:${h.port}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`);
    expect(continued.answer).toMatch(/HTTP\/1.1 200 /);
  });

  it('never cut a stream that lasts longer than the request timeout', async () => {
    const slow = await startFakeOpenAI({ chunkDelayMs: 400 });
    try {
      const c = config();
      c.providers[1]!.baseUrl = `${slow.url}/v1`;
      h.gateway.applyConfig(c, 'test');
      const text = await post('/v1/chat/completions', { model: 'mini', stream: true, messages: [{ role: 'user', content: 'one two three four' }] }).then((r) => r.text());
      expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    } finally {
      await slow.stop();
    }
  });

  it('are given 10 s for headers and 30 s for a request by default', async () => {
    const defaults = await startGateway(config());
    try {
      expect(defaults.gateway.app.server.headersTimeout).toBe(10_000);
      expect(defaults.gateway.app.server.requestTimeout).toBe(30_000);
    } finally {
      await defaults.stop();
    }
  });
});

describe('a half-open probe', () => {
  it('holds its client only for the probe budget, then lets the probe decide the breaker in the background', async () => {
    const c = config();
    Object.assign(c.deployments[0]!, { breaker: { failures: 2, cooldownMs: 10_000, probeBudgetMs: 200 } });
    h.gateway.applyConfig(c, 'test');
    await ollama.setMode({ kind: 'status', status: 500 });
    for (let i = 0; i < 2; i++) await post('/v1/chat/completions', { model: 'default', messages: [{ role: 'user', content: 'x' }] });
    expect(h.gateway.breakers.snapshot('llama').state).toBe('open');
    await ollama.setMode({ kind: 'slow-first-byte', delayMs: 1_000 });
    clock += 10_001;
    const res = await post('/v1/chat/completions', { model: 'default', messages: [{ role: 'user', content: 'x' }] });
    expect(res.headers.get('x-switchyard-deployment')).toBe('mini');
    expect(h.gateway.breakers.snapshot('llama').probeInFlight).toBe(true);
    const [row] = rows();
    expect(row?.attempts[0]).toMatchObject({ deployment: 'llama', outcome: 'failed', failure: 'timeout' });
    // The probe answers late: a success, so the circuit closes.
    await expect.poll(() => h.gateway.breakers.snapshot('llama').state, { timeout: 5_000 }).toBe('closed');
  });
});

describe('usage of streams that did not finish', () => {
  it('records the tokens a cancelled stream delivered, flagged as estimated', async () => {
    const slow = await startFakeOpenAI({ chunkDelayMs: 150 });
    try {
      const c = config();
      c.providers[1]!.baseUrl = `${slow.url}/v1`;
      h.gateway.applyConfig(c, 'test');
      const controller = new AbortController();
      const stream = await h.openai.chat.completions.create({ model: 'mini', stream: true, messages: [{ role: 'user', content: 'alpha beta gamma delta epsilon zeta eta theta' }] }, { signal: controller.signal });
      let seen = 0;
      try {
        for await (const chunk of stream) if (chunk.choices[0]?.delta?.content && ++seen === 2) controller.abort();
      } catch {
        // aborted by us
      }
      await expect.poll(() => rows()[0]?.errorClass, { timeout: 3_000 }).toBe('client_closed');
      expect(rows()[0]).toMatchObject({ tokensEstimated: true, outputTokens: expect.any(Number) });
      expect(rows()[0]?.outputTokens).toBeGreaterThan(0);
    } finally {
      await slow.stop();
    }
  });

  it('marks the attempt that opened a stream failed when the stream broke after its first byte', async () => {
    await openai.setMode({ kind: 'reset-mid-stream', chunks: 2 });
    const text = await post('/v1/chat/completions', { model: 'mini', stream: true, messages: [{ role: 'user', content: 'x' }] }).then((r) => r.text());
    const [row] = rows();
    expect(row?.attempts).toEqual([expect.objectContaining({ deployment: 'mini', outcome: 'failed' })]);
    expect(row?.errorClass).toBe(row?.attempts[0]?.failure);
    // The row keeps what the stream's error event told the client.
    const event = text.split('\n\n').find((e) => e.includes('"error"')) ?? '';
    expect(row?.errorMessage).toBe(JSON.parse(event.slice('data: '.length)).error.message);
  });
});

describe('timers', () => {
  it('hold none for a request once it is answered, streams and Ollama streams included', async () => {
    h.gateway.applyConfig(config({ deadlineMs: 600_000 }), 'test');
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    await post('/v1/chat/completions', { model: 'default', messages: [{ role: 'user', content: 'warm' }] }).then((r) => r.text());
    const before = timers();
    for (let i = 0; i < 20; i++) {
      await post('/v1/chat/completions', { model: 'default', messages: [{ role: 'user', content: 'x' }] }).then((r) => r.text());
      await post('/v1/chat/completions', { model: 'cloud-first', stream: true, messages: [{ role: 'user', content: 'x' }] }).then((r) => r.text());
      await post('/api/chat', { model: 'default', messages: [{ role: 'user', content: 'x' }] }).then((r) => r.text());
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(timers()).toBeLessThanOrEqual(before + 2);
  });
});

describe('the overview', () => {
  it('counts today from midnight in the gateway\'s zone, west of UTC too', async () => {
    // 18:00 in New York on 29 November is 23:00 UTC: day buckets start at UTC midnight, the user's day 5 hours later.
    let now = Date.parse('2026-11-29T23:00:00Z');
    const west = await startGateway(config(), { now: () => now, timeZone: 'America/New_York' });
    try {
      await west.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'x' }] });
      now += 2 * 3_600_000;
      await west.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'x' }] });
      const overview = await west.admin('/admin/api/overview').then((r) => r.json());
      expect(overview.requests).toBe(2);
      expect(overview.since).toBe('2026-11-29T05:00:00.000Z');
    } finally {
      await west.stop();
    }
  });
});

/** POSTs and reads the answer at about `bytesPerSecond` for `slowForMs`, the way a client over a poor link would, then at full speed. */
function slowRead(path: string, body: unknown, bytesPerSecond: number, slowForMs: number): Promise<{ text: string; received: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: h.port, path, method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      let received = 0;
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        // Keep the start and the end: the middle of a long stream is all alike.
        if (chunks.length < 4) chunks.push(chunk);
        else chunks[4] = chunk;
        if (Date.now() - started > slowForMs) return;
        res.pause();
        setTimeout(() => res.resume(), Math.ceil((chunk.length / bytesPerSecond) * 1000));
      });
      res.on('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), received }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}
