/**
 * Renaming a route from the admin API (the Routes page's Rename), or a deployment from its form:
 * every reference follows (rules, aliases, budgets, client keys limited to it), and its old name may
 * stay an alias of it, so the tools that ask for it still reach it. One revision, applied whole or
 * not at all. Keys limited to a name follow it by any path (a restore too), and an import's preview
 * says a rename as one.
 */
import OpenAI from 'openai';
import { expect, it } from 'vitest';
import { twoTierConfig } from '../support/harness';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier();
const rename = (from: string, body: unknown) => t.h.admin(`/admin/api/routes/${from}/rename`, { method: 'POST', body: JSON.stringify(body) });
const revisions = async () => ((await t.h.admin('/admin/api/config/revisions').then((r) => r.json())) as { revisions: unknown[] }).revisions.length;

it('renames a route with its old name kept as an alias: tools asking for it still reach it, and keys limited to it follow', async () => {
  const key = await t.h.admin('/admin/api/keys', { method: 'POST', body: JSON.stringify({ name: 'editor', allowedRoutes: ['default'] }) }).then((r) => r.json());
  const before = await revisions();
  const res = await rename('default', { name: 'main', keepAlias: true });
  expect([res.status, await res.json()]).toEqual([200, expect.objectContaining({ name: 'main', deployments: ['llama', 'mini'] })]);
  expect(await revisions()).toBe(before + 1);
  expect(t.h.gateway.config().routes.map((r) => r.name)).toEqual(['main', 'cloud-first', 'embed']);
  expect(t.h.gateway.config().aliases).toEqual({ default: 'main' });

  // A tool still configured with the old name, holding the key limited to it.
  const client = new OpenAI({ baseURL: t.h.baseUrl, apiKey: key.key, maxRetries: 0 });
  const answer = await client.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'hi' }] });
  expect(answer.choices[0]?.message.content).toBe('Echo: hi');
  const keys = await t.h.admin('/admin/api/keys').then((r) => r.json());
  expect(keys.keys.find((k: { name: string }) => k.name === 'editor')).toMatchObject({ allowedRoutes: ['main'], unknownRoutes: [] });
});

it('renames a route without the alias when asked, and refuses a name taken, changing nothing', async () => {
  expect((await rename('cloud-first', { name: 'remote', keepAlias: false })).status).toBe(200);
  const gone = await t.chat({ model: 'cloud-first' });
  expect([gone.res.status, JSON.parse(gone.text).error.code]).toEqual([404, 'model_not_found']);

  const before = await revisions();
  const taken = await rename('remote', { name: 'embed', keepAlias: true });
  expect([taken.status, (await taken.json()).error.message]).toEqual([409, 'A route named "embed" exists already']);
  const missing = await rename('nothing', { name: 'other', keepAlias: true });
  expect(missing.status).toBe(404);
  const bad = await rename('remote', { name: 'no spaces please', keepAlias: true });
  expect(bad.status).toBe(400);
  expect(await revisions()).toBe(before);
  expect(t.h.gateway.config().routes.map((r) => r.name)).toEqual(['default', 'remote', 'embed']);
});

it('renames a deployment from its form with its old name kept as an alias when asked, in one revision', async () => {
  const patch = (name: string, body: unknown) => t.h.admin(`/admin/api/deployments/${name}`, { method: 'PATCH', body: JSON.stringify(body) });
  const before = await revisions();
  const res = await patch('mini', { name: 'cloud-mini', keepAlias: true, maxOutputTokens: 4096 });
  expect([res.status, await res.json()]).toEqual([200, expect.objectContaining({ name: 'cloud-mini', maxOutputTokens: 4096 })]);
  expect(await revisions()).toBe(before + 1);
  expect(t.h.gateway.config().aliases).toEqual({ mini: 'cloud-mini' });
  expect(t.h.gateway.config().routes.find((r) => r.name === 'cloud-first')?.deployments).toEqual(['cloud-mini', 'llama']);
  // A tool still asking for the old name reaches the deployment under its new one.
  const asked = await t.chat({ model: 'mini' });
  expect([asked.res.status, asked.res.headers.get('x-switchyard-deployment')]).toEqual([200, 'cloud-mini']);

  // Without keepAlias, the old name goes.
  expect((await patch('llama', { name: 'local-llama' })).status).toBe(200);
  expect(t.h.gateway.config().aliases).toEqual({ mini: 'cloud-mini' });
  expect((await t.chat({ model: 'llama' })).res.status).toBe(404);
});

it('undoes a rename: the old name, an alias of it since, becomes its name again', async () => {
  expect((await rename('default', { name: 'main', keepAlias: true })).status).toBe(200);
  const back = await rename('main', { name: 'default', keepAlias: false });
  expect([back.status, (await back.json()).name]).toEqual([200, 'default']);
  expect(t.h.gateway.config().aliases ?? {}).toEqual({});
  const patch = (name: string, body: unknown) => t.h.admin(`/admin/api/deployments/${name}`, { method: 'PATCH', body: JSON.stringify(body) });
  expect((await patch('mini', { name: 'cloud-mini', keepAlias: true })).status).toBe(200);
  expect((await patch('cloud-mini', { name: 'mini', keepAlias: true })).status).toBe(200);
  expect(t.h.gateway.config().aliases).toEqual({ 'cloud-mini': 'mini' });
  // An alias of something else keeps its name taken.
  expect((await t.h.admin('/admin/api/aliases/fast', { method: 'PUT', body: JSON.stringify({ target: 'default' }) })).status).toBe(200);
  const taken = await patch('mini', { name: 'fast' });
  expect([taken.status, (await taken.json()).error.message]).toEqual([400, expect.stringContaining('"fast" is already a route or deployment name')]);
});

it('deletes a renamed route with the alias that kept its old name, and says which budget still counts one', async () => {
  expect((await rename('cloud-first', { name: 'remote', keepAlias: true })).status).toBe(200);
  const deleted = await t.h.admin('/admin/api/routes/remote', { method: 'DELETE' });
  expect([deleted.status, await deleted.json()]).toEqual([200, { deleted: 'remote' }]);
  expect(t.h.gateway.config().aliases ?? {}).toEqual({});

  expect((await t.h.admin('/admin/api/budgets', { method: 'POST', body: JSON.stringify({ name: 'daily', scope: { route: 'default' }, period: 'day', limitUsd: 5 }) })).status).toBe(201);
  const counted = await t.h.admin('/admin/api/routes/default', { method: 'DELETE' });
  expect([counted.status, (await counted.json()).error.message]).toEqual([409, 'Route "default" is what budget daily counts: delete or change that budget first']);
});

it('keys limited to a name follow it through a restore, and through a deployment renamed with another model from its form', async () => {
  const key = await t.h.admin('/admin/api/keys', { method: 'POST', body: JSON.stringify({ name: 'restorer', allowedRoutes: ['default', 'mini'] }) }).then((r) => r.json());
  const listed = async () => ((await t.h.admin('/admin/api/keys').then((r) => r.json())) as { keys: { name: string }[] }).keys.find((k) => k.name === 'restorer');
  const [{ id: beforeRename }] = ((await t.h.admin('/admin/api/config/revisions').then((r) => r.json())) as { revisions: [{ id: number }] }).revisions;
  expect((await rename('default', { name: 'main', keepAlias: false })).status).toBe(200);
  expect(await listed()).toMatchObject({ allowedRoutes: ['main', 'mini'], unknownRoutes: [] });
  const client = new OpenAI({ baseURL: t.h.baseUrl, apiKey: key.key, maxRetries: 0 });
  const ask = (model: string) => client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }).then((a) => a.choices[0]?.message.content);
  expect(await ask('main')).toBe('Echo: hi');

  // The revision before the rename, restored: the route's name is "default" again, and so is the key's.
  expect((await t.h.admin(`/admin/api/config/revisions/${beforeRename}/restore`, { method: 'POST' })).status).toBe(200);
  expect(await listed()).toMatchObject({ allowedRoutes: ['default', 'mini'], unknownRoutes: [] });
  expect(await ask('default')).toBe('Echo: hi');

  // Renamed from its form with another model: no longer the same deployment to what is known of it, but the key follows the name it was given.
  const patch = await t.h.admin('/admin/api/deployments/mini', { method: 'PATCH', body: JSON.stringify({ name: 'cloud-4o', model: 'gpt-4o' }) });
  expect(patch.status).toBe(200);
  expect(await listed()).toMatchObject({ allowedRoutes: ['default', 'cloud-4o'], unknownRoutes: [] });
});

it('says a route, deployment or provider renamed as renamed, not as one removed and one added', async () => {
  const next = twoTierConfig({ ollama: t.ollama.url, openai: t.openai.url });
  const [local, ...providers] = next.providers;
  next.providers = [{ ...local!, name: 'ollama' }, ...providers];
  next.deployments = next.deployments.map((d) => (d.name === 'llama' ? { ...d, name: 'local-llama', provider: 'ollama' } : d.provider === 'local' ? { ...d, provider: 'ollama' } : d));
  next.routes = next.routes.map((r) => ({ ...r, name: r.name === 'cloud-first' ? 'remote' : r.name, deployments: r.deployments.map((d) => (d === 'llama' ? 'local-llama' : d)) }));
  const preview = await t.h.admin('/admin/api/config/preview', { method: 'POST', body: JSON.stringify({ config: next }) }).then((r) => r.json());
  expect(preview.changes).toEqual([
    { change: 'renamed', kind: 'provider', name: 'ollama', from: 'local' },
    { change: 'renamed', kind: 'deployment', name: 'local-llama', from: 'llama' },
    { change: 'renamed', kind: 'route', name: 'remote', from: 'cloud-first' },
    { change: 'changed', kind: 'deployment', name: 'local-embed' },
    { change: 'changed', kind: 'route', name: 'default' },
  ]);
});
