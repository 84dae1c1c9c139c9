/**
 * The health monitor over the two-tier fakes: what it learns from each provider kind's probe, what it
 * keeps, and that a failed probe says a provider is down without touching breakers or traffic stats;
 * and, started as `serve` starts it, probing each provider on its own interval (by default 30 s on
 * this machine, 5 min in the cloud).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, twoTierConfig } from '../support/harness';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier();

const breakerOf = async (name: string) => {
  const res = await t.h.admin('/admin/api/breakers').then((r) => r.json());
  return res.breakers.find((b: { deployment: string }) => b.deployment === name);
};

describe('health monitor', () => {
  it('probes Ollama (version, installed and loaded models) and OpenAI (models list), and stores the history', async () => {
    const missing = t.configWith();
    missing.deployments.push({ name: 'qwen', provider: 'local', model: 'qwen2.5:7b', type: 'chat' } as never);
    t.h.gateway.applyConfig(missing, 'test');
    await t.h.gateway.health.probeAll();
    const health = await fetch(`${t.h.url}/health`).then((r) => r.json());
    const local = health.providers.find((p: { name: string }) => p.name === 'local');
    expect(local.status).toBe('up');
    expect(local.probe).toMatchObject({ ok: true, version: '0.12.6', models: ['llama3.2:3b', 'nomic-embed-text'], loaded: ['llama3.2:3b'] });
    const cloud = health.providers.find((p: { name: string }) => p.name === 'cloud');
    expect(cloud.probe).toMatchObject({ ok: true, models: ['gpt-4.1-mini'] });
    const byName = Object.fromEntries(health.deployments.map((d: { name: string; modelAvailable: boolean | null }) => [d.name, d.modelAvailable]));
    expect(byName).toMatchObject({ llama: true, qwen: false, mini: true });

    const db = new Database(join(t.h.dataDir, 'switchyard.db'), { readonly: true });
    const rows = db.prepare('SELECT provider, ok, latency_ms FROM health_samples ORDER BY id').all() as { provider: string; ok: number; latency_ms: number }[];
    db.close();
    expect(rows.map((r) => [r.provider, r.ok])).toEqual(expect.arrayContaining([['local', 1], ['cloud', 1]]));
    expect(rows.every((r) => r.latency_ms >= 0)).toBe(true);
  });

  it('reports a provider down from a failed probe, without touching breakers or traffic stats', async () => {
    const before = (await fetch(`${t.h.url}/health`).then((r) => r.json())).providers.find((p: { name: string }) => p.name === 'local');
    await t.ollama.setMode({ kind: 'refuse' });
    for (let i = 0; i < 6; i++) await t.h.gateway.health.probeAll();
    const health = await fetch(`${t.h.url}/health`).then((r) => r.json());
    const local = health.providers.find((p: { name: string }) => p.name === 'local');
    expect(local.status).toBe('down');
    expect(local.probe.ok).toBe(false);
    expect(local.lastFailureAt).toBe(before.lastFailureAt); // probes are not traffic
    expect((await breakerOf('llama')).state).toBe('closed');
  });
});

describe('health monitor, started as serve starts it', () => {
  it('probes each provider on its own interval, never one whose interval is 0, and sees a provider go down and come back', async () => {
    const [ollama, openai] = await Promise.all([startFakeOllama(), startFakeOpenAI()]);
    const config = twoTierConfig({ ollama: ollama.url, openai: openai.url });
    Object.assign(config.providers[0]!, { healthCheck: { intervalMs: 200 } });
    Object.assign(config.providers[1]!, { healthCheck: { intervalMs: 0 } });
    const h = await startGateway(config, { healthChecks: true });
    try {
      const local = async () => (await fetch(`${h.url}/health`).then((r) => r.json())).providers.find((p: { name: string }) => p.name === 'local');
      const probes = () => ollama.requests.filter((r) => r.path === '/api/version').length;
      await expect.poll(probes).toBeGreaterThanOrEqual(3);
      expect((await local()).status).toBe('up');
      await ollama.setMode({ kind: 'refuse' });
      await expect.poll(async () => (await local()).status).toBe('down');
      await ollama.setMode({ kind: 'healthy' });
      await expect.poll(async () => (await local()).status).toBe('up');
      expect(openai.requests.filter((r) => r.path === '/v1/models')).toEqual([]);
    } finally {
      await stopAll(h, ollama, openai);
    }
  });
});

/**
 * Probes running as `serve` runs them, against the two-tier fakes (the Ollama listing `models`), on
 * the test's clock: it stands still unless the test moves it, so no probe falls due by itself.
 */
async function probing(clock: () => number, models?: string[]) {
  const [ollama, openai] = await Promise.all([startFakeOllama(models ? { models } : {}), startFakeOpenAI()]);
  const h = await startGateway(twoTierConfig({ ollama: ollama.url, openai: openai.url }), { healthChecks: true, now: clock });
  return { ollama, openai, h, stop: () => stopAll(h, ollama, openai) };
}

/** The deployment that answered a chat request for `model`. */
const answeredBy = async (url: string, model: string) =>
  (await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) })).headers.get('x-switchyard-deployment');

describe('a config edit, while probes run', () => {
  it('probes an Ollama at once when a model is deployed on it: one just pulled answers at once, not after its next probe', async () => {
    const installed = ['llama3.2:3b'];
    const { ollama, openai, h, stop } = await probing(() => Date.parse('2026-11-23T10:00:00Z'), installed);
    try {
      await expect.poll(() => h.gateway.health.latest('local')?.ok).toBe(true);
      // `ollama pull qwen3:8b`, then a deployment of it added in the dashboard.
      installed.push('qwen3:8b');
      const config = twoTierConfig({ ollama: ollama.url, openai: openai.url });
      config.deployments.push({ name: 'qwen', provider: 'local', model: 'qwen3:8b', type: 'chat' } as never);
      config.routes.push({ name: 'qwen-first', deployments: ['qwen', 'mini'] } as never);
      h.gateway.applyConfig(config, 'test');
      await expect.poll(() => h.gateway.health.installed('local')?.has('qwen3:8b')).toBe(true);
      expect(await answeredBy(h.url, 'qwen-first')).toBe('qwen');
    } finally {
      await stop();
    }
  });
});

describe('a model pulled from a terminal', () => {
  it('is seen by the request after the one that found it missing, not at the next probe; a list just read is not asked again', async () => {
    const installed = ['nomic-embed-text'];
    let clock = Date.parse('2026-11-23T10:00:00Z');
    const { ollama, h, stop } = await probing(() => clock, installed);
    try {
      const ask = () => answeredBy(h.url, 'default');
      const lists = () => ollama.requests.filter((r) => r.path === '/api/tags').length;
      await expect.poll(() => h.gateway.health.latest('local')?.ok).toBe(true);
      // Asked again only once its list is a few seconds old: a model never pulled costs no probe per request.
      expect([await ask(), await ask(), await ask()]).toEqual(['mini', 'mini', 'mini']);
      expect(lists()).toBe(1);
      // `ollama pull llama3.2:3b` in a terminal; the next probe is 30 s away.
      installed.push('llama3.2:3b');
      clock += 3_000;
      expect(await ask()).toBe('mini');
      await expect.poll(() => h.gateway.health.installed('local')?.has('llama3.2:3b')).toBe(true);
      expect(await ask()).toBe('llama');
      expect(lists()).toBe(2);
    } finally {
      await stop();
    }
  });
});

describe('how often each provider is probed by default', () => {
  it("probes a local one every 30 s, a cloud one every 5 min (every 30 s while it fails), and a cloud one whose key changed at once", async () => {
    let clock = Date.parse('2026-11-23T10:00:00Z');
    const { ollama, openai, h, stop } = await probing(() => clock);
    try {
      const local = () => ollama.requests.filter((r) => r.path === '/api/version').length;
      const cloud = () => openai.requests.filter((r) => r.path === '/v1/models').length;
      /** Moves the clock, then waits for the probes that are due (the monitor looks every second) and a look after them. */
      const after = async (ms: number, probed: () => boolean) => {
        clock += ms;
        await expect.poll(probed, { timeout: 5_000 }).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 1_200));
      };
      await after(0, () => local() === 1 && cloud() === 1);
      await after(31_000, () => local() === 2);
      expect(cloud()).toBe(1);
      await after(270_000, () => local() === 3);
      expect(cloud()).toBe(2);
      // A failing probe of a cloud provider: it is asked again in 30 s, not 5 min.
      await openai.setMode({ kind: 'status', status: 503 });
      await after(301_000, () => cloud() === 3);
      await after(31_000, () => cloud() === 4);
      await openai.setMode({ kind: 'healthy' });
      await after(31_000, () => cloud() === 5);
      await after(31_000, () => local() >= 7);
      expect(cloud()).toBe(5);
      // Its key changed (a refused one fixed): probed at once, not in 5 min.
      const changed = twoTierConfig({ ollama: ollama.url, openai: openai.url });
      Object.assign(changed.providers[1]!, { apiKey: 'env:OTHER_KEY' });
      h.gateway.applyConfig(changed, 'test');
      await expect.poll(cloud).toBe(6);
    } finally {
      await stop();
    }
  }, 30_000);
});

describe('what an Ollama says of its models', () => {
  it('is asked again once it is upgraded: a capability the old version did not detect is known at once', async () => {
    const says = { models: ['qwen3:8b'], version: '0.8.0' };
    const ollama = await startFakeOllama(says);
    const h = await startGateway({ version: 1, providers: [{ name: 'local', kind: 'ollama', baseUrl: ollama.url, healthCheck: { intervalMs: 0 } }], deployments: [{ name: 'qwen', provider: 'local', model: 'qwen3:8b' }], routes: [] });
    try {
      const capabilities = async () => (await (await h.admin('/admin/api/health')).json()).deployments[0].capabilities as string[];
      await h.gateway.health.probeAll();
      expect(await capabilities()).not.toContain('thinking');
      says.version = '0.12.6';
      await h.gateway.health.probeAll();
      expect(await capabilities()).toContain('thinking');
    } finally {
      await stopAll(h, ollama);
    }
  });
});
