/**
 * An embedding model on an Ollama, loaded ahead of its requests. Ollama loads one for an embed
 * request with nothing to embed; its generate, which loads a chat model, refuses an embedding model
 * ("does not support generate"). So "Load now" and `switchyard load` were refused for one, and an
 * embedding deployment with `coldStart: "fallback"` was passed over for good: the background load
 * never came, so requests never came back to it.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, type Harness } from '../support/harness';

let ollama: FakeServer;
let lan: FakeServer;
let h: Harness;
let clock = Date.UTC(2026, 11, 7, 10);
beforeAll(async () => {
  [ollama, lan] = await Promise.all([startFakeOllama({ models: ['nomic-embed-text'], loaded: [] }), startFakeOpenAI()]);
  h = await startGateway(
    {
      version: 1,
      providers: [
        { name: 'local', kind: 'ollama', baseUrl: ollama.url, healthCheck: { intervalMs: 0 } },
        // The same model served by another machine's OpenAI-compatible server.
        { name: 'lan', kind: 'openai', baseUrl: `${lan.url}/v1`, apiKey: 'env:TEST_KEY', healthCheck: { intervalMs: 0 } },
      ],
      deployments: [
        { name: 'local-embed', provider: 'local', model: 'nomic-embed-text', type: 'embedding', coldStart: 'fallback', keepAlive: '1h', options: { num_ctx: 8192 } },
        { name: 'lan-embed', provider: 'lan', model: 'nomic-embed-text', type: 'embedding' },
      ],
      routes: [{ name: 'embed', deployments: ['local-embed', 'lan-embed'] }],
    },
    { now: () => clock },
  );
});
afterAll(() => stopAll(h, ollama, lan));
beforeEach(async () => {
  await fetch(`${ollama.url}/api/generate`, { method: 'POST', body: JSON.stringify({ model: 'nomic-embed-text', keep_alive: 0 }) });
  clock += 6 * 60_000;
  await Promise.all([ollama.reset(), lan.reset()]);
  await h.gateway.health.probeAll();
});

const loaded = async () => {
  const report = (await (await h.admin('/admin/api/health')).json()) as { deployments: { name: string; loaded: boolean | null }[] };
  return report.deployments.find((d) => d.name === 'local-embed')?.loaded;
};
// Each a document of its own: the answer cache keeps embeddings.
let documents = 0;
const answeredBy = async () => (await h.openai.embeddings.create({ model: 'embed', input: `document ${++documents}` }).withResponse()).response.headers.get('x-switchyard-deployment');

it('loads an embedding model now with an embed request of nothing, with the deployment\'s options and keep-alive, and unloads it', async () => {
  expect(await loaded()).toBe(false);
  const res = await h.admin('/admin/api/deployments/local-embed/load', { method: 'POST' });
  expect(res.status).toBe(200);
  expect(ollama.requests.map((r) => [r.path, r.body])).toContainEqual(['/api/embed', { model: 'nomic-embed-text', keep_alive: '1h', options: { num_ctx: 8192 } }]);
  expect(await loaded()).toBe(true);
  expect((await h.admin('/admin/api/deployments/local-embed/unload', { method: 'POST' })).status).toBe(200);
  expect(await loaded()).toBe(false);
});

it('refuses to load a deployment that is not on an Ollama, saying why', async () => {
  const res = await h.admin('/admin/api/deployments/lan-embed/load', { method: 'POST' });
  expect(res.status).toBe(400);
  expect((await res.json()).error.message).toContain('lan-embed is not on an Ollama');
});

it('passes over a cold embedding deployment while it loads in the background, then comes back to it', async () => {
  expect(await answeredBy()).toBe('lan-embed');
  const loads = () => ollama.requests.filter((r) => r.path === '/api/embed' && r.body.input === undefined).map((r) => r.body);
  await expect.poll(loads).toEqual([{ model: 'nomic-embed-text', keep_alive: '1h', options: { num_ctx: 8192 } }]);
  // The probe after the load says it is in memory.
  await expect.poll(answeredBy).toBe('local-embed');
  expect(loads()).toHaveLength(1);
});
