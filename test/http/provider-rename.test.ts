/**
 * A provider renamed is the same server under another name: its probes' history (the Overview's
 * latency line, a week of it) and what traffic said of it go on under the new name, whichever way
 * the config changed. One given another server as well starts its own.
 */
import { expect, it } from 'vitest';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier();
const history = async () => ((await t.h.admin('/admin/api/health/history').then((r) => r.json())) as { history: Record<string, { at: number; ok: boolean }[]> }).history;
const rename = (from: string, body: unknown) => t.h.admin(`/admin/api/providers/${from}`, { method: 'PATCH', body: JSON.stringify(body) });

it('keeps a renamed provider\'s probe history and what traffic said of it under its new name', async () => {
  await t.h.gateway.health.probeAll();
  await t.h.gateway.health.probeAll();
  const probed = (await history()).local?.length ?? 0;
  expect(probed).toBeGreaterThanOrEqual(2);

  // Traffic's word on it too: when it last answered.
  expect((await t.chat({ model: 'default' })).res.status).toBe(200);
  const report = async (name: string) => ((await t.h.admin('/admin/api/health').then((r) => r.json())) as { providers: { name: string; lastOkAt: string | null }[] }).providers.find((p) => p.name === name);
  const answered = (await report('local'))?.lastOkAt;
  expect(answered).not.toBeNull();

  expect((await rename('local', { name: 'ollama' })).status).toBe(200);
  expect((await report('ollama'))?.lastOkAt).toBe(answered);
  const renamed = await history();
  expect(Object.keys(renamed).sort()).toEqual(['cloud', 'ollama']);
  expect(renamed.ollama?.length).toBeGreaterThanOrEqual(probed);

  // Renamed back by a restore of the revision before: the history goes back with the name.
  const [, { id: before }] = ((await t.h.admin('/admin/api/config/revisions').then((r) => r.json())) as { revisions: { id: number }[] }).revisions as [unknown, { id: number }];
  expect((await t.h.admin(`/admin/api/config/revisions/${before}/restore`, { method: 'POST' })).status).toBe(200);
  expect((await history()).local?.length).toBeGreaterThanOrEqual(probed);
});

it('starts afresh for a provider renamed and pointed at another server', async () => {
  await t.h.gateway.health.probeAll();
  expect((await history()).local?.length).toBeGreaterThanOrEqual(1);
  const renamedAt = Date.now();
  const res = await rename('local', { name: 'elsewhere', baseUrl: 'http://127.0.0.1:9' });
  expect(res.status).toBe(200);
  expect((await history()).elsewhere?.filter((s) => s.at < renamedAt)).toEqual([]);
});
