/**
 * A provider pointed at another server by a config edit (Ollama on another port or machine): what
 * the health monitor learned of the old server (its models, its version, its status) is not taken
 * for the new one's. Before, the router passed over a deployment whose model the old server lacked
 * until the next probe (30 s), and the dashboard showed the old server's status meanwhile.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, type Harness } from '../support/harness';

let old: FakeServer;
let moved: FakeServer;
let openai: FakeServer;
let h: Harness;

const config = (ollama: string) => ({
  version: 1,
  providers: [
    { name: 'local', kind: 'ollama', baseUrl: ollama },
    { name: 'cloud', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY', local: false },
  ],
  deployments: [
    { name: 'qwen', provider: 'local', model: 'qwen3:8b' },
    { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' },
  ],
  routes: [{ name: 'default', deployments: ['qwen', 'mini'] }],
});

beforeAll(async () => {
  [old, moved, openai] = await Promise.all([startFakeOllama({ models: ['llama3.2:3b'], version: '0.12.6' }), startFakeOllama({ models: ['qwen3:8b'], version: '0.13.5' }), startFakeOpenAI()]);
  h = await startGateway(config(old.url));
});
afterAll(async () => {
  await h.stop();
  await Promise.all([old.stop(), moved.stop(), openai.stop()]);
});

async function answeredBy(): Promise<string | null> {
  const res = await fetch(`${h.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'hi' }] }) });
  expect(res.status).toBe(200);
  return res.headers.get('x-switchyard-deployment');
}
const providerReport = async () => ((await (await h.admin('/admin/api/health')).json()) as { providers: { name: string; probe: { version: string | null } | null }[] }).providers.find((p) => p.name === 'local');

it("forgets what the old server said once a provider is moved: the new server's model is tried at once", async () => {
  await h.gateway.health.probeAll();
  // The old server lacks the model: the route passes it over.
  expect(await answeredBy()).toBe('mini');
  expect(await providerReport()).toMatchObject({ probe: { version: '0.12.6' } });

  h.gateway.applyConfig(config(moved.url), 'test');
  expect(await providerReport()).toMatchObject({ probe: null });
  expect(await answeredBy()).toBe('qwen');
  expect(moved.requests.filter((r) => r.path === '/api/chat')).toHaveLength(1);

  await h.gateway.health.probeAll();
  expect(await providerReport()).toMatchObject({ probe: { version: '0.13.5' } });
});

it('keeps what it learned through an edit that leaves the provider where it was', async () => {
  const before = h.gateway.health.latest('local');
  expect(before?.ok).toBe(true);
  const same = config(moved.url);
  same.routes.push({ name: 'also', deployments: ['mini'] });
  h.gateway.applyConfig(same, 'test');
  expect(h.gateway.health.latest('local')).toBe(before);
});

it("drops what a probe of the old server finds once the provider has moved: the new server's word stands", async () => {
  h.gateway.applyConfig(config(old.url), 'test');
  await h.gateway.health.probeAll();
  await old.setMode({ kind: 'hang' });
  try {
    const stale = h.gateway.health.probe('local');
    await expect.poll(() => old.requests.length > 0 && old.requests.at(-1)?.path !== '/api/chat').toBe(true);
    h.gateway.applyConfig(config(moved.url), 'test');
    await h.gateway.health.probe('local');
    expect(h.gateway.health.latest('local')).toMatchObject({ ok: true, result: { version: '0.13.5' } });
    // The old server's probe gives up at its timeout, failed: that says nothing of the new one.
    await stale;
    expect(h.gateway.health.latest('local')).toMatchObject({ ok: true, result: { version: '0.13.5' } });
  } finally {
    await old.setMode({ kind: 'healthy' });
  }
}, 15_000);
