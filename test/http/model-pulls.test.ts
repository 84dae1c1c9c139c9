/**
 * Pulling a deployment's model to its Ollama from the dashboard (`POST /admin/api/deployments/NAME/pull`,
 * `GET /admin/api/pulls`, `DELETE .../pull`), against a fake Ollama that streams `/api/pull` as
 * Ollama does: the pull runs in the background with its progress readable, the deployment is
 * usable once it ends (no probe to wait for), a model the registry lacks fails with Ollama's words,
 * a pull can be cancelled, an installed model's pull says whether it brought a newer version, and
 * what no Ollama serves is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, type Harness } from '../support/harness';

let ollama: FakeServer;
let openai: FakeServer;
let h: Harness;
beforeAll(async () => {
  [ollama, openai] = await Promise.all([startFakeOllama({ models: ['llama3.2:3b'], pullStepMs: 40, newer: ['llama3.2:3b'] }), startFakeOpenAI()]);
  h = await startGateway({
    version: 1,
    providers: [
      { name: 'local', kind: 'ollama', baseUrl: ollama.url, healthCheck: { intervalMs: 0 } },
      { name: 'cloud', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY', healthCheck: { intervalMs: 0 } },
    ],
    deployments: [
      { name: 'qwen', provider: 'local', model: 'qwen3:8b' },
      { name: 'llama', provider: 'local', model: 'llama3.2:3b' },
      { name: 'mistral', provider: 'local', model: 'mistral:7b' },
      { name: 'nowhere', provider: 'local', model: 'no-such-model:1b' },
      { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' },
    ],
    routes: [{ name: 'default', deployments: ['qwen', 'mini'] }],
  });
  await h.gateway.health.probeAll();
});
afterAll(async () => {
  await h.stop();
  await Promise.all([ollama.stop(), openai.stop()]);
});

interface Pull {
  provider: string;
  model: string;
  state: string;
  status: string;
  completed: number | null;
  total: number | null;
  error: string | null;
  outcome: string | null;
}
const pull = (name: string, method = 'POST') => h.admin(`/admin/api/deployments/${encodeURIComponent(name)}/pull`, { method });
const pullOf = async (model: string) => ((await (await h.admin('/admin/api/pulls')).json()) as { pulls: Pull[] }).pulls.find((p) => p.model === model);
const deploymentOf = async (name: string) => ((await (await h.admin('/admin/api/health')).json()) as { deployments: { name: string; modelAvailable: boolean | null; contextWindow: number | null }[] }).deployments.find((d) => d.name === name);
const windowOf = async (name: string) => (await deploymentOf(name))?.contextWindow;
const available = async (name: string) => (await deploymentOf(name))?.modelAvailable;
/** A repeatable (temperature 0) question to a deployment, answered from the cache when it may be. */
const ask = (model: string) => h.openai.chat.completions.create({ model, temperature: 0, messages: [{ role: 'user', content: 'the same question' }] }).withResponse();
const cacheOf = async (asked: ReturnType<typeof ask>) => (await asked).response.headers.get('x-switchyard-cache');

describe('pulling a model to an Ollama', () => {
  it('pulls in the background with its progress to read, and the deployment answers once it is installed', async () => {
    expect(await available('qwen')).toBe(false);
    // Meanwhile the route passes it over (its Ollama's list lacks the model) and the cloud answers.
    const before = await h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(before.response.headers.get('x-switchyard-deployment')).toBe('mini');
    const started = await pull('qwen');
    expect(started.status).toBe(202);
    expect(await started.json()).toMatchObject({ provider: 'local', model: 'qwen3:8b', state: 'pulling' });
    // Asked again while it runs: the same pull, not a second download.
    expect(await (await pull('qwen')).json()).toMatchObject({ state: 'pulling' });
    await expect.poll(async () => (await pullOf('qwen3:8b'))?.completed ?? 0).toBeGreaterThan(0);
    expect(await pullOf('qwen3:8b')).toMatchObject({ status: expect.stringMatching(/^pulling [0-9a-f]{12}$/), total: 2_019_377_376 });
    await expect.poll(async () => (await pullOf('qwen3:8b'))?.state, { timeout: 5_000 }).toBe('done');
    expect(await pullOf('qwen3:8b')).toMatchObject({ status: 'success', error: null, outcome: 'installed' });
    expect(ollama.requests.filter((r) => r.path === '/api/pull').map((r) => r.body)).toEqual([{ model: 'qwen3:8b', stream: true }]);
    // The probe after the pull says it is there: the route's first deployment answers again.
    expect(await available('qwen')).toBe(true);
    const { response } = await h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(response.headers.get('x-switchyard-deployment')).toBe('qwen');
  });

  it('says whether the pull of an installed model brought its newer version, or found it up to date', async () => {
    expect(await available('llama')).toBe(true);
    expect(await windowOf('llama')).toBe(8_192);
    expect(await cacheOf(ask('llama'))).toBe('miss');
    expect(await cacheOf(ask('llama'))).toBe('hit');
    expect((await pull('llama')).status).toBe(202);
    await expect.poll(async () => (await pullOf('llama3.2:3b'))?.state, { timeout: 5_000 }).toBe('done');
    expect(await pullOf('llama3.2:3b')).toMatchObject({ outcome: 'updated', error: null });
    // The newer version's Modelfile gives it a larger window: what the router knows of it follows.
    expect(await windowOf('llama')).toBe(16_384);
    // Nor is the old version's answer served for the new one's: it is asked, and its answer kept.
    const chats = ollama.requests.filter((r) => r.path === '/api/chat').length;
    expect(await cacheOf(ask('llama'))).toBe('miss');
    expect(await cacheOf(ask('llama'))).toBe('hit');
    expect(ollama.requests.filter((r) => r.path === '/api/chat')).toHaveLength(chats + 1);
    // Again: Ollama has every layer, downloads nothing, and the model's digest is the same.
    const pulls = ollama.requests.filter((r) => r.path === '/api/pull').length;
    expect(await (await pull('llama')).json()).toMatchObject({ state: 'pulling', outcome: null });
    await expect.poll(async () => (await pullOf('llama3.2:3b'))?.state, { timeout: 5_000 }).toBe('done');
    expect(await pullOf('llama3.2:3b')).toMatchObject({ outcome: 'up to date', error: null });
    expect(ollama.requests.filter((r) => r.path === '/api/pull')).toHaveLength(pulls + 1);
  });

  it('says why a pull failed, in Ollama\'s words', async () => {
    expect((await pull('nowhere')).status).toBe(202);
    await expect.poll(async () => (await pullOf('no-such-model:1b'))?.state).toBe('failed');
    expect(await pullOf('no-such-model:1b')).toMatchObject({ error: 'pull model manifest: file does not exist', outcome: null });
    expect(await available('nowhere')).toBe(false);
  });

  it('cancels a pull under way: the download stops and nothing is installed', async () => {
    expect((await pull('mistral')).status).toBe(202);
    await expect.poll(async () => (await pullOf('mistral:7b'))?.completed ?? 0).toBeGreaterThan(0);
    const cancelled = await pull('mistral', 'DELETE');
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({ model: 'mistral:7b', state: 'cancelled', error: null });
    // Ollama's pull ends with its request (the fake's too: it installs nothing once the client has gone).
    await expect.poll(() => ollama.aborted.some((r) => r.path === '/api/pull' && r.body?.model === 'mistral:7b')).toBe(true);
    await h.gateway.health.probeAll();
    expect(await available('mistral')).toBe(false);
    expect((await pull('mistral', 'DELETE')).status).toBe(404);
  });

  it('does not hold a stopping gateway: a pull under way ends with it', async () => {
    // A step a minute: without the pull ended, stopping would wait for the download (this test's timeout).
    const slow = await startFakeOllama({ models: [], pullStepMs: 60_000 });
    const other = await startGateway({ version: 1, providers: [{ name: 'local', kind: 'ollama', baseUrl: slow.url, healthCheck: { intervalMs: 0 } }], deployments: [{ name: 'qwen', provider: 'local', model: 'qwen3:8b' }], routes: [] });
    try {
      expect((await other.admin('/admin/api/deployments/qwen/pull', { method: 'POST' })).status).toBe(202);
      await expect.poll(() => slow.requests.some((r) => r.path === '/api/pull')).toBe(true);
    } finally {
      await other.stop();
      await slow.stop();
    }
  });

  it('refuses what no Ollama serves, and needs the dashboard\'s session', async () => {
    const refused = await pull('mini');
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain('only an Ollama pulls models');
    expect((await pull('nobody')).status).toBe(404);
    expect((await fetch(`${h.url}/admin/api/deployments/qwen/pull`, { method: 'POST' })).status).toBe(401);
    expect((await fetch(`${h.url}/admin/api/pulls`)).status).toBe(401);
  });
});
