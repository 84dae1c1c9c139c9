/**
 * A provider whose base URL is the gateway itself: each request would come back to it forever, one
 * more request in flight every lap (found by starting with OPENAI_BASE_URL set to the gateway, as
 * the Overview's own "env" snippet suggests for tools). The request comes back once, is refused
 * with a message that names the loop, and the route moves on.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, twoTierConfig, type Harness, stopAll, resetBetweenTests } from '../support/harness';

let openai: FakeServer;
let h: Harness;

const loopedConfig = () => {
  const base = twoTierConfig({ ollama: 'http://127.0.0.1:9', openai: openai.url });
  return {
    ...base,
    providers: [
      ...base.providers,
      { name: 'self-openai', kind: 'openai', baseUrl: `${h.url}/v1` },
      { name: 'self-ollama', kind: 'ollama', baseUrl: h.url },
      { name: 'self-anthropic', kind: 'anthropic', baseUrl: h.url, apiKey: 'env:TEST_KEY' },
    ],
    deployments: [
      ...base.deployments,
      { name: 'via-openai', provider: 'self-openai', model: 'default' },
      { name: 'via-ollama', provider: 'self-ollama', model: 'default' },
      { name: 'via-anthropic', provider: 'self-anthropic', model: 'default' },
    ],
    routes: [
      ...base.routes,
      { name: 'looped', deployments: ['via-openai', 'via-ollama', 'via-anthropic', 'mini'] },
      { name: 'only-loop', deployments: ['via-openai'] },
    ],
  };
};

beforeAll(async () => {
  openai = await startFakeOpenAI();
  h = await startGateway(twoTierConfig({ ollama: 'http://127.0.0.1:9', openai: openai.url }));
});
afterAll(() => stopAll(h, openai));
beforeEach(() => resetBetweenTests(h, [openai], loopedConfig()));

const rowsFor = async (status: number) => ((await h.admin('/admin/api/usage?limit=500').then((r) => r.json())).rows as { status: number; errorClass: string | null }[]).filter((r) => r.status === status);

describe('a provider that points back at the gateway', () => {
  it('gets each request back once, refused, and the route moves on: every provider kind', async () => {
    const before = (await rowsFor(508)).length;
    const { data, response } = await h.openai.chat.completions.create({ model: 'looped', messages: [{ role: 'user', content: 'hello' }] }).withResponse();
    expect(data.choices[0]?.message.content).toBe('Echo: hello');
    expect(response.headers.get('x-switchyard-route')).toBe('via-openai:fail(upstream-5xx) via-ollama:fail(upstream-5xx) via-anthropic:fail(upstream-5xx) mini:ok');
    // One refused request per looped attempt, in each front door's own error shape, and no more.
    const refused = await rowsFor(508);
    expect(refused).toHaveLength(before + 3);
    expect(refused.every((r) => r.errorClass === 'loop_detected')).toBe(true);
  });

  it('answers a route with nowhere else to go at once, naming the loop', async () => {
    const before = (await rowsFor(508)).length;
    const failed = await h.openai.chat.completions.create({ model: 'only-loop', messages: [{ role: 'user', content: 'hello' }] }).then(
      () => ({ status: 200, message: 'answered' }),
      (error: unknown) => error as { status: number; message: string },
    );
    expect(failed.status).toBe(503);
    expect(failed.message).toContain('via-openai (self-openai): 508 This request came from this Switchyard itself');
    expect(await rowsFor(508)).toHaveLength(before + 1);
  });

  it('says so when the provider is tested from the dashboard', async () => {
    const tested = await h.admin('/admin/api/providers/test', { method: 'POST', body: JSON.stringify({ name: 'self', kind: 'openai', baseUrl: `${h.url}/v1` }) }).then((r) => r.json());
    expect(tested.ok).toBe(false);
    expect(tested.error).toContain('came from this Switchyard itself');
  });

  it('knows its own id among others a proxy joined into one header', async () => {
    await h.openai.chat.completions.create({ model: 'cloud-first', messages: [{ role: 'user', content: 'hello' }] });
    const own = openai.requests.at(-1)?.headers['x-switchyard-via'] as string;
    const res = await fetch(`${h.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-switchyard-via': `another-gateway, ${own}` },
      body: JSON.stringify({ model: 'cloud-first', messages: [{ role: 'user', content: 'hello' }] }),
    });
    expect(res.status).toBe(508);
    expect((await res.json()).error.code).toBe('loop_detected');
  });

  it('still serves a request another gateway passed on', async () => {
    const res = await fetch(`${h.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-switchyard-via': 'another-gateway' },
      body: JSON.stringify({ model: 'cloud-first', messages: [{ role: 'user', content: 'hello' }] }),
    });
    expect(res.status).toBe(200);
    // And passes it on naming this gateway after the one before it, so a gateway further on that leads back is found out too.
    expect(openai.requests.at(-1)?.headers['x-switchyard-via']).toMatch(/^another-gateway, [\w-]{16}$/);
  });
});

describe('two gateways that fall back to each other', () => {
  it('get a request back to the first once, refused, where it went round forever', async () => {
    const other = await startGateway({ version: 1, providers: [], deployments: [], routes: [] });
    try {
      // Each has a local Ollama that is down, and the other gateway as its fallback.
      const mutual = (peer: Harness) => ({
        version: 1,
        providers: [
          { name: 'local', kind: 'ollama', baseUrl: 'http://127.0.0.1:9' },
          { name: 'peer', kind: 'openai', baseUrl: `${peer.url}/v1` },
        ],
        deployments: [
          { name: 'llama', provider: 'local', model: 'llama3.2:3b' },
          { name: 'via-peer', provider: 'peer', model: 'team' },
        ],
        routes: [{ name: 'team', deployments: ['llama', 'via-peer'] }],
      });
      expect(h.gateway.applyConfig(mutual(other), 'test').ok).toBe(true);
      expect(other.gateway.applyConfig(mutual(h), 'test').ok).toBe(true);
      const since = Date.now();
      const res = await fetch(`${h.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'team', messages: [{ role: 'user', content: 'hello' }] }) });
      expect(res.status).toBe(503);
      expect((await res.json()).error.message).toContain('came back through 1 other Switchyard');
      // This gateway: the client's request and the one that came back, refused; the other: the one passed on.
      const rows = (g: Harness) => [...g.gateway.usage.iterate({ since })].map((r) => r.errorClass);
      expect(rows(h).sort()).toEqual(['loop_detected', 'upstream_5xx']);
      expect(rows(other)).toEqual(['upstream_5xx']);
    } finally {
      await other.stop();
    }
  });
});
