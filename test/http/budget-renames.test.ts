/**
 * A budget through a rename of what it counts. Usage rows keep the names they were written under, so
 * a route or provider renamed mid-period must not start its budget from nothing: a spent `refuse`
 * budget would be lifted by a rename, and a monthly one would forget the month. The spend goes on
 * under the new name, through a restart too, and through a rename made while no gateway ran
 * (`switchyard import` of an edited file, the real CLI).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { run, useCliCleanups } from '../support/cli';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, tempDir, twoTierConfig, type Harness } from '../support/harness';

useCliCleanups();
let ollama: FakeServer;
let openai: FakeServer;
let data: { path: string; remove(): void };
const clock = Date.parse('2026-11-23T10:00:00Z');
const ONE_ANSWER = (12 * 0.4 + 3 * 1.6) / 1e6;

beforeAll(async () => {
  [ollama, openai] = await Promise.all([startFakeOllama(), startFakeOpenAI()]);
  data = tempDir();
});
afterAll(async () => {
  await Promise.all([ollama.stop(), openai.stop()]);
  data.remove();
});

const json = (method: string, body: unknown) => ({ method, body: JSON.stringify(body) });
const chat = (h: Harness, model: string) =>
  fetch(`${h.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hello there' }] }) });
const spent = async (h: Harness) => ((await (await h.admin('/admin/api/budgets')).json()) as { budgets: { name: string; scope: string; spentUsd: number; exceeded: boolean }[] }).budgets;

it('keeps a route budget and a provider budget spent through their renames and a restart', async () => {
  const config = {
    ...twoTierConfig({ ollama: ollama.url, openai: openai.url }),
    budgets: [
      { name: 'paid-route', scope: { route: 'cloud-first' }, period: 'month', limitUsd: ONE_ANSWER * 1.5, onExceeded: 'refuse' },
      { name: 'cloud-month', scope: { provider: 'cloud' }, period: 'month', limitUsd: 1 },
    ],
  };
  let h = await startGateway(config, { dataDir: data.path, now: () => clock });
  try {
    expect((await chat(h, 'cloud-first')).status).toBe(200);
    expect((await chat(h, 'cloud-first')).status).toBe(200);
    expect((await chat(h, 'cloud-first')).status).toBe(429);
    const before = await spent(h);
    expect(before).toEqual([expect.objectContaining({ name: 'paid-route', exceeded: true }), expect.objectContaining({ name: 'cloud-month', spentUsd: 2 * ONE_ANSWER })]);

    expect((await h.admin('/admin/api/routes/cloud-first/rename', json('POST', { name: 'paid', keepAlias: false }))).status).toBe(200);
    expect((await h.admin('/admin/api/providers/cloud', json('PATCH', { name: 'openai' }))).status).toBe(200);
    expect(h.gateway.config().budgets?.map((b) => b.scope)).toEqual([{ route: 'paid' }, { provider: 'openai' }]);
    expect(await spent(h)).toEqual([{ ...before[0], scope: 'route:paid' }, { ...before[1], scope: 'provider:openai' }]);
    expect((await chat(h, 'paid')).status).toBe(429);
  } finally {
    await h.stop();
  }

  h = await startGateway(undefined, { dataDir: data.path, now: () => clock });
  try {
    expect((await chat(h, 'paid')).status).toBe(429);
    expect(await spent(h)).toEqual([expect.objectContaining({ name: 'paid-route', spentUsd: 2 * ONE_ANSWER, exceeded: true }), expect.objectContaining({ name: 'cloud-month', spentUsd: 2 * ONE_ANSWER })]);
  } finally {
    await h.stop();
  }
});

it('keeps a budget spent through a rename imported while no gateway ran, with its limit changed in the same file', async () => {
  const dataDir = join(data.path, 'stopped');
  const config = { ...twoTierConfig({ ollama: ollama.url, openai: openai.url }), budgets: [{ name: 'paid-route', scope: { route: 'cloud-first' }, period: 'month', limitUsd: ONE_ANSWER * 1.5, onExceeded: 'refuse' }] };
  let h = await startGateway(config, { dataDir, now: () => clock });
  try {
    for (const status of [200, 200, 429]) expect((await chat(h, 'cloud-first')).status).toBe(status);
  } finally {
    await h.stop();
  }
  // The file edited by hand: the route renamed, and the budget's limit raised a little, still below what was spent.
  const file = join(data.path, 'edited.json');
  const routes = config.routes.map((r) => (r.name === 'cloud-first' ? { ...r, name: 'paid' } : r));
  writeFileSync(file, JSON.stringify({ ...config, routes, budgets: [{ ...config.budgets[0], scope: { route: 'paid' }, limitUsd: ONE_ANSWER * 1.9 }] }));
  expect(run(['import', file, '--data-dir', dataDir], { TEST_KEY: 'sk-test' }).code).toBe(0);

  h = await startGateway(undefined, { dataDir, now: () => clock });
  try {
    expect(await spent(h)).toEqual([expect.objectContaining({ name: 'paid-route', scope: 'route:paid', spentUsd: 2 * ONE_ANSWER, exceeded: true })]);
    expect((await chat(h, 'paid')).status).toBe(429);
  } finally {
    await h.stop();
  }
});
