/**
 * Budgets and requests in flight: a request sent to a paid deployment holds its prompt's price at
 * the input rate against its budgets until it ends, and while what is held would spend a budget,
 * its paid deployments are tried last (never skipped: a hold may overstate a cached prompt), so
 * requests sent in parallel under a nearly spent budget do not all go to the cloud; an edit of the
 * budget while they run keeps what they hold. Through the
 * real gateway, with a slow OpenAI-compatible fake (paid) and an Ollama fake (free).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import type { FakeServer } from '../support/fake-server';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

let ollama: FakeServer;
let openai: FakeServer;
let h: Harness;

/** $10 per million input tokens: a prompt of about 1,000 tokens holds about $0.01 while in flight. */
const config = (budget: object = {}) => ({
  version: 1,
  providers: [
    { name: 'local', kind: 'ollama', baseUrl: ollama.url },
    { name: 'cloud', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY', local: false },
  ],
  deployments: [
    { name: 'llama', provider: 'local', model: 'llama3.2:3b' },
    { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini', pricing: { inputPerMTok: 10, outputPerMTok: 0 } },
  ],
  routes: [
    { name: 'default', deployments: ['mini', 'llama'] },
    { name: 'cloud-only', deployments: ['mini'] },
  ],
  budgets: [{ name: 'daily', scope: 'global', period: 'day', limitUsd: 0.015, ...budget }],
});

beforeAll(async () => {
  [ollama, openai] = await Promise.all([startFakeOllama(), startFakeOpenAI()]);
  h = await startGateway(config());
});
afterAll(() => stopAll(h, ollama, openai));
beforeEach(() => resetBetweenTests(h, [ollama, openai], config()));

const prompt = 'word '.repeat(1000);

function send(extra: object = {}): Promise<{ answeredBy: string | null; route: string | null; id: string | null; status: number; text: string }> {
  return fetch(`${h.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: prompt }], ...extra }),
  }).then(async (res) => ({ answeredBy: res.headers.get('x-switchyard-deployment'), route: res.headers.get('x-switchyard-route'), id: res.headers.get('x-request-id'), status: res.status, text: await res.text() }));
}

/** Waits (bounded) until the cloud fake has received `count` requests: they are in flight. */
async function cloudReceived(count: number): Promise<void> {
  for (let i = 0; i < 200 && openai.requests.filter((r) => r.path === '/v1/chat/completions').length < count; i++) await new Promise((r) => setTimeout(r, 10));
  expect(openai.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(count);
}

const inFlightUsd = async () => (await h.admin('/admin/api/budgets').then((r) => r.json())).budgets[0].inFlightUsd;

describe('a budget with requests in flight', () => {
  it.each([
    ['a global skip-paid budget', {}],
    ['a refuse budget (not refusing while only what is in flight reaches it)', { onExceeded: 'refuse' }],
    ["a provider's budget", { scope: { provider: 'cloud' } }],
  ])('%s counts their prompts until they end, trying paid deployments last while that would spend it', async (_, budget) => {
    h.gateway.applyConfig(config(budget), 'test');
    // Earlier tests' answers are in the same day's spend.
    const spentBefore = (await h.admin('/admin/api/budgets').then((r) => r.json())).budgets[0].spentUsd;
    // Slow enough that the first two are still in flight through the fourth, on a busy machine too.
    await openai.setMode({ kind: 'slow-first-byte', delayMs: 2_000 });
    const first = send();
    await cloudReceived(1);
    expect(await inFlightUsd()).toBeGreaterThan(0.008);
    // $0.01 held of $0.015: the second still goes to the cloud, and then $0.02 is held.
    const second = send();
    await cloudReceived(2);
    const held = await inFlightUsd();
    expect(held).toBeGreaterThan(0.016);
    expect(held).toBeLessThan(0.03);
    // $0.02 held of $0.015: the cloud goes last, so the free local model answers.
    const third = await send();
    expect(third).toMatchObject({ status: 200, answeredBy: 'llama', route: 'llama:ok' });
    expect((await h.admin(`/admin/api/usage/${third.id}`).then((r) => r.json())).decision).toMatchObject({ deferred: ['mini'] });
    // Last, not away: with the local model failing, or on a route with no free deployment, the cloud still answers.
    await ollama.setMode({ kind: 'status', status: 503 });
    const fourth = send();
    const cloudOnly = send({ model: 'cloud-only' });
    expect(await fourth).toMatchObject({ status: 200, answeredBy: 'mini', route: 'llama:fail(upstream-5xx) mini:ok' });
    expect(await cloudOnly).toMatchObject({ status: 200, answeredBy: 'mini' });
    await ollama.setMode({ kind: 'healthy' });
    expect(await first).toMatchObject({ status: 200, answeredBy: 'mini' });
    expect(await second).toMatchObject({ status: 200, answeredBy: 'mini' });
    // Ended: what they cost (12 prompt tokens each, as the fake counts them) replaces what they held.
    const [status] = (await h.admin('/admin/api/budgets').then((r) => r.json())).budgets;
    expect(status.inFlightUsd).toBe(0);
    expect(status.spentUsd - spentBefore).toBeCloseTo(4 * 12 * 10e-6, 9);
    await openai.setMode({ kind: 'healthy' });
    expect(await send()).toMatchObject({ status: 200, answeredBy: 'mini' });
  });

  it('keeps what requests in flight hold through an edit of the budget and a rename, and lets go when they end', async () => {
    h.gateway.applyConfig(config({ scope: { provider: 'cloud' } }), 'test');
    await openai.setMode({ kind: 'slow-first-byte', delayMs: 2_000 });
    const first = send();
    await cloudReceived(1);
    expect(await inFlightUsd()).toBeGreaterThan(0.008);
    // The limit raised a little from the dashboard while the request is under way: it is still held.
    expect((await h.admin('/admin/api/budgets/daily', { method: 'PATCH', body: JSON.stringify({ limitUsd: 0.016 }) })).status).toBe(200);
    expect(await inFlightUsd()).toBeGreaterThan(0.008);
    // And renamed: the same budget under another name.
    expect((await h.admin('/admin/api/budgets/daily', { method: 'PATCH', body: JSON.stringify({ name: 'cloud-daily' }) })).status).toBe(200);
    expect(await inFlightUsd()).toBeGreaterThan(0.008);
    const second = send();
    await cloudReceived(2);
    // $0.02 held of $0.016: the cloud goes last.
    expect(await send()).toMatchObject({ status: 200, answeredBy: 'llama' });
    expect(await first).toMatchObject({ status: 200, answeredBy: 'mini' });
    expect(await second).toMatchObject({ status: 200, answeredBy: 'mini' });
    expect(await inFlightUsd()).toBe(0);
    await openai.setMode({ kind: 'healthy' });
  });

  it('holds a stream past its first chunk until it ends, failed or not, and lets go of an attempt that failed', async () => {
    const c = config();
    h.gateway.applyConfig({ ...c, providers: c.providers.map((p) => (p.name === 'cloud' ? { ...p, timeouts: { idleMs: 500 } } : p)) }, 'test');
    // Two chunks, then nothing until the gateway gives up on it (idleMs).
    await openai.setMode({ kind: 'stall', chunks: 2 });
    const res = await fetch(`${h.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: prompt }], stream: true }),
    });
    expect(res.headers.get('x-switchyard-deployment')).toBe('mini');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    expect((await reader.read()).done).toBe(false);
    expect(await inFlightUsd()).toBeGreaterThan(0.008);
    while (!(await reader.read()).done);
    expect(await inFlightUsd()).toBe(0);

    await openai.setMode({ kind: 'status', status: 500 });
    expect(await send()).toMatchObject({ status: 200, answeredBy: 'llama' });
    expect(await inFlightUsd()).toBe(0);
  });
});
