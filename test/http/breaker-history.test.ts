/**
 * What the breakers did is kept: the last day's transitions come from the store, so a restart (the
 * desktop app's update, a reboot) keeps why requests went elsewhere; and the health history (one
 * row per probe, one per transition) is kept a week, then pruned at start and hourly, not without end.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, tempDir, twoTierConfig, type Harness } from '../support/harness';

let ollama: FakeServer;
let openai: FakeServer;
let data: ReturnType<typeof tempDir>;
const DAY = 86_400_000;
let clock = Date.parse('2026-11-23T10:00:00Z');

const config = () => {
  const c = twoTierConfig({ ollama: ollama.url, openai: openai.url });
  Object.assign(c.deployments[0]!, { breaker: { failures: 2, cooldownMs: 10_000 } });
  return c;
};

beforeAll(async () => {
  [ollama, openai] = await Promise.all([startFakeOllama(), startFakeOpenAI()]);
});
afterAll(async () => {
  await Promise.all([ollama.stop(), openai.stop()]);
  data?.remove();
});
beforeEach(async () => {
  data?.remove();
  data = tempDir();
  await Promise.all([ollama.reset(), openai.reset()]);
});

async function run<T>(use: (h: Harness) => Promise<T>): Promise<T> {
  const h = await startGateway(config(), { dataDir: data.path, now: () => clock });
  try {
    return await use(h);
  } finally {
    await h.stop();
  }
}

const chat = (h: Harness) =>
  fetch(`${h.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'hi' }] }) });
const transitions = (h: Harness) => h.admin('/admin/api/breakers').then((r) => r.json() as Promise<{ transitions: { deployment: string; from: string; to: string; at: number; reason: string }[] }>);

it('keeps the last day of breaker transitions across a restart, oldest first', async () => {
  await run(async (h) => {
    await ollama.setMode({ kind: 'status', status: 500 });
    for (let i = 0; i < 2; i++) expect((await chat(h)).headers.get('x-switchyard-deployment')).toBe('mini');
    clock += 60_000;
    h.gateway.breakers.reset('llama');
  });
  clock += 3_600_000;
  const seen = await run(transitions);
  expect(seen.transitions.map((t) => `${t.deployment} ${t.from}->${t.to}`)).toEqual(['llama closed->open', 'llama open->closed']);
  expect(seen.transitions[0]).toMatchObject({ reason: '2 consecutive failures', at: clock - 3_660_000 });

  // A day on, they are no longer the last day's.
  clock += DAY;
  expect((await run(transitions)).transitions).toEqual([]);
  clock -= DAY + 3_600_000;
});

it('prunes health samples and breaker transitions older than a week when it starts', async () => {
  await run(async () => undefined);
  const db = new Database(join(data.path, 'switchyard.db'));
  const probe = db.prepare('INSERT INTO health_samples (provider, at, ok, latency_ms, error, detail) VALUES (?, ?, 1, 5, NULL, NULL)');
  const transition = db.prepare("INSERT INTO breaker_transitions (deployment, at, from_state, to_state, reason) VALUES ('llama', ?, 'closed', 'open', 'test')");
  for (const age of [8 * DAY, 7 * DAY + 1_000, 6 * DAY, 60_000]) {
    probe.run('local', clock - age);
    transition.run(clock - age);
  }
  db.close();
  await run(async () => undefined);
  const after = new Database(join(data.path, 'switchyard.db'), { readonly: true });
  const ages = (table: string) => (after.prepare(`SELECT at FROM ${table} ORDER BY at`).all() as { at: number }[]).map((r) => (clock - r.at) / DAY);
  expect(ages('health_samples')).toEqual([6, 60_000 / DAY]);
  expect(ages('breaker_transitions')).toEqual([6, 60_000 / DAY]);
  after.close();
});
