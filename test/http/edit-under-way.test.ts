/**
 * A config edit of a provider while its work is under way. Its adapter is replaced (new settings,
 * new connections) and the old one lets its connections go once nothing uses them: requests waiting
 * in its queue were sent on a closed connection pool before ("connection failed (UND_ERR_CLOSED)",
 * counted against the deployment), and a model pull it ran was ended as if the gateway stopped.
 * Only the gateway's stop ends them.
 */
import { describe, expect, it } from 'vitest';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, twoTierConfig } from '../support/harness';

const edited = <T extends { providers: object[] }>(config: T): T => {
  const next = structuredClone(config);
  Object.assign(next.providers[0]!, { timeouts: { idleMs: 20_000 } });
  return next;
};

describe('a provider edited while its work is under way', () => {
  it('answers the requests waiting in its queue, and counts nothing against it', async () => {
    const [ollama, openai] = await Promise.all([startFakeOllama({ firstByteDelayMs: 300 }), startFakeOpenAI()]);
    const config = twoTierConfig({ ollama: ollama.url, openai: openai.url });
    Object.assign(config.providers[0]!, { maxConcurrent: 1, queue: { max: 10, timeoutMs: 10_000 } });
    config.routes.push({ name: 'local-only', deployments: ['llama'] } as never);
    const h = await startGateway(config);
    try {
      const ask = () => fetch(`${h.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'local-only', messages: [{ role: 'user', content: 'hi' }] }) });
      const asked = [ask(), ask(), ask()];
      // One is answering, the others wait for it in the provider's queue: the edit comes while one still waits.
      const waiting = () => h.gateway.healthReport().providers.find((p) => p.name === 'local')?.queued ?? 0;
      await expect.poll(waiting, { interval: 10 }).toBeGreaterThanOrEqual(1);
      expect(h.gateway.applyConfig(edited(config), 'test').ok).toBe(true);
      const answers = await Promise.all(asked);
      expect(answers.map((r) => [r.status, r.headers.get('x-switchyard-deployment')])).toEqual([[200, 'llama'], [200, 'llama'], [200, 'llama']]);
      const health = await (await fetch(`${h.url}/health`)).json();
      expect(health.deployments.find((d: { name: string }) => d.name === 'llama')).toMatchObject({ breaker: { state: 'closed' }, lastFailureAt: null });
      // Its next requests go with the new settings' connections; the old pool was let go.
      expect((await ask()).status).toBe(200);
    } finally {
      await stopAll(h, ollama, openai);
    }
  });

  it('keeps the cap of its server over what the replaced adapter still runs, and a raised cap admits who waits', async () => {
    const [ollama, openai] = await Promise.all([startFakeOllama({ firstByteDelayMs: 2_000 }), startFakeOpenAI()]);
    const config = twoTierConfig({ ollama: ollama.url, openai: openai.url });
    Object.assign(config.providers[0]!, { maxConcurrent: 1, queue: { max: 0, timeoutMs: 10_000 } });
    const h = await startGateway(config);
    const ask = (model: string) => fetch(`${h.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) });
    const patch = (body: object) => h.admin('/admin/api/providers/local', { method: 'PATCH', body: JSON.stringify(body) });
    const local = async () => ((await (await fetch(`${h.url}/health`)).json()) as { providers: { name: string; inFlight: number; queued: number }[] }).providers.find((p) => p.name === 'local');
    try {
      let answered = false;
      const first = ask('default').then((r) => ((answered = true), r));
      await expect.poll(() => ollama.requests.length).toBe(1);
      // Edited while its one generation runs: the next request still finds the GPU busy and spills.
      expect((await patch({ timeouts: { idleMs: 20_000 } })).status).toBe(200);
      const spilled = await ask('default');
      expect([spilled.status, spilled.headers.get('x-switchyard-deployment'), ollama.requests.length]).toEqual([200, 'mini', 1]);
      expect(await local()).toMatchObject({ inFlight: 1, queued: 0 });
      // A queue, and one waiting in it; raising the cap lets it in without waiting for the first to end.
      expect((await patch({ queue: { max: 5, timeoutMs: 10_000 } })).status).toBe(200);
      const waiting = ask('default');
      await expect.poll(async () => (await local())?.queued).toBe(1);
      expect((await patch({ maxConcurrent: 2 })).status).toBe(200);
      await expect.poll(() => ollama.requests.length).toBe(2);
      expect(answered).toBe(false);
      const answers = await Promise.all([first, waiting]);
      expect(answers.map((r) => [r.status, r.headers.get('x-switchyard-deployment')])).toEqual([[200, 'llama'], [200, 'llama']]);
      expect(await local()).toMatchObject({ inFlight: 0, queued: 0 });
    } finally {
      await stopAll(h, ollama, openai);
    }
  });

  it('lets a model pull it runs go on to its end; the gateway stopping ends one', async () => {
    const ollama = await startFakeOllama({ models: [], pullStepMs: 60 });
    const config = { version: 1, providers: [{ name: 'local', kind: 'ollama', baseUrl: ollama.url, healthCheck: { intervalMs: 0 } }], deployments: [{ name: 'qwen', provider: 'local', model: 'qwen3:8b' }, { name: 'mistral', provider: 'local', model: 'mistral:7b' }], routes: [] };
    const h = await startGateway(config);
    const pullOf = async (model: string) => ((await (await h.admin('/admin/api/pulls')).json()) as { pulls: { model: string; state: string; error: string | null }[] }).pulls.find((p) => p.model === model);
    try {
      expect((await h.admin('/admin/api/deployments/qwen/pull', { method: 'POST' })).status).toBe(202);
      await expect.poll(() => ollama.requests.some((r) => r.path === '/api/pull')).toBe(true);
      expect((await h.admin('/admin/api/providers/local', { method: 'PATCH', body: JSON.stringify({ timeouts: { idleMs: 20_000 } }) })).status).toBe(200);
      await expect.poll(async () => (await pullOf('qwen3:8b'))?.state, { timeout: 5_000 }).toBe('done');
      expect(await pullOf('qwen3:8b')).toMatchObject({ error: null });
    } finally {
      await stopAll(h, ollama);
    }
    // A step a minute: stopping waits for no download, the old adapter's included.
    const slow = await startFakeOllama({ models: [], pullStepMs: 60_000 });
    const other = await startGateway({ ...config, providers: [{ ...config.providers[0]!, baseUrl: slow.url }] });
    try {
      expect((await other.admin('/admin/api/deployments/mistral/pull', { method: 'POST' })).status).toBe(202);
      await expect.poll(() => slow.requests.some((r) => r.path === '/api/pull')).toBe(true);
      expect((await other.admin('/admin/api/providers/local', { method: 'PATCH', body: JSON.stringify({ timeouts: { idleMs: 20_000 } }) })).status).toBe(200);
    } finally {
      await stopAll(other, slow);
    }
    await expect.poll(() => slow.aborted.some((r) => r.path === '/api/pull')).toBe(true);
  });
});
