/**
 * Budgets and aliases over the admin API (what the Settings page's Budgets card and the Routes
 * page's Aliases card use): created, changed and deleted like providers and routes, each change
 * validated as a whole config, with field errors relative to the item, and in force at once.
 */
import { describe, expect, it } from 'vitest';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier({ clock: Date.parse('2026-11-23T10:00:00Z') });
const json = (method: string, body?: unknown) => ({ method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
const spend = () => t.h.admin('/admin/api/budgets').then((r) => r.json() as Promise<{ budgets: { name: string; limitUsd: number; spentUsd: number; exceeded: boolean }[] }>);

describe('budgets over the admin API', () => {
  it('creates one that applies at once, changes it, and deletes it, each a config revision', async () => {
    const created = await t.h.admin('/admin/api/budgets', json('POST', { name: 'cloud-day', scope: { clientKey: 'anonymous' }, period: 'day', limitUsd: 0.000005, onExceeded: 'refuse' }));
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ name: 'cloud-day', scope: { clientKey: 'anonymous' }, period: 'day', limitUsd: 0.000005, onExceeded: 'refuse' });
    await t.chat({ model: 'mini' });
    expect((await spend()).budgets).toEqual([expect.objectContaining({ name: 'cloud-day', exceeded: true, spentUsd: (12 * 0.4 + 3 * 1.6) / 1e6 })]);
    expect((await t.chat({ model: 'mini' })).res.status).toBe(429);

    // A rename and a new limit: the spend is the same traffic's, and the budget no longer bites.
    const changed = await t.h.admin('/admin/api/budgets/cloud-day', json('PUT', { name: 'cloud-daily', scope: { provider: 'cloud' }, period: 'day', limitUsd: 5, timeZone: 'Europe/Paris' }));
    expect(changed.status).toBe(200);
    expect(t.h.gateway.config().budgets).toEqual([{ name: 'cloud-daily', scope: { provider: 'cloud' }, period: 'day', limitUsd: 5, timeZone: 'Europe/Paris' }]);
    expect((await t.chat({ model: 'mini' })).res.status).toBe(200);

    expect((await t.h.admin('/admin/api/budgets/cloud-daily', json('DELETE'))).status).toBe(200);
    expect(t.h.gateway.config().budgets).toEqual([]);
    expect((await spend()).budgets).toEqual([]);
    const revisions = (await t.h.admin('/admin/api/config/revisions').then((r) => r.json())).revisions as { source: string }[];
    expect(revisions.slice(0, 3).map((r) => r.source)).toEqual(['admin api: DELETE /admin/api/budgets/cloud-daily', 'admin api: PUT /admin/api/budgets/cloud-day', 'admin api: POST /admin/api/budgets']);
  });

  it('takes an edit as a merge patch: fields changed elsewhere meanwhile stay, and its scope moves whole', async () => {
    const path = '/admin/api/budgets/team';
    expect((await t.h.admin('/admin/api/budgets', json('POST', { name: 'team', scope: { route: 'default' }, period: 'month', limitUsd: 10 }))).status).toBe(201);
    // Another window changed the period while this one's form was open: its patch names the limit alone.
    expect((await t.h.admin(path, json('PATCH', { period: 'week' }))).status).toBe(200);
    const patched = await t.h.admin(path, json('PATCH', { limitUsd: 20 }));
    expect([patched.status, await patched.json()]).toEqual([200, { name: 'team', scope: { route: 'default' }, period: 'week', limitUsd: 20 }]);
    // A scope is one kind: the form's patch removes the old member as it adds the new one.
    expect(await t.h.admin(path, json('PATCH', { scope: { route: null, clientKey: 'anonymous' } })).then((r) => r.json())).toMatchObject({ scope: { clientKey: 'anonymous' } });
    expect(await t.h.admin(path, json('PATCH', { scope: 'global' })).then((r) => r.json())).toMatchObject({ scope: 'global' });
    expect(await t.h.admin(path, json('PATCH', { scope: { provider: 'cloud' }, name: 'cloud-team' })).then((r) => r.json())).toMatchObject({ name: 'cloud-team', scope: { provider: 'cloud' } });
    // Two kinds at once, or a patch of another shape, change nothing.
    const both = await t.h.admin('/admin/api/budgets/cloud-team', json('PATCH', { scope: { route: 'default' } }));
    expect(both.status).toBe(400);
    expect((await t.h.admin('/admin/api/budgets/cloud-team', json('PATCH', { scope: { team: 'x' } }))).status).toBe(400);
    expect((await t.h.admin('/admin/api/budgets/nope', json('PATCH', { limitUsd: 1 }))).status).toBe(404);
    expect(t.h.gateway.config().budgets).toEqual([{ name: 'cloud-team', scope: { provider: 'cloud' }, period: 'week', limitUsd: 20 }]);
  });

  it("keeps a tool's budget to the requests its headers name it in: Claude Code refused once spent, other tools answered", async () => {
    const claudeCode = { 'user-agent': 'claude-cli/2.1.3 (external, cli)' };
    expect((await t.h.admin('/admin/api/budgets', json('POST', { name: 'agent', scope: { tool: 'Claude Code' }, period: 'day', limitUsd: 0.000005, onExceeded: 'refuse' }))).status).toBe(201);
    // Another tool's paid request spends nothing of it.
    await t.chat({ model: 'mini' }, { 'user-agent': 'codex_cli_rs/0.98.0' });
    expect((await spend()).budgets).toEqual([expect.objectContaining({ name: 'agent', spentUsd: 0, exceeded: false })]);
    expect((await t.chat({ model: 'mini' }, claudeCode)).res.status).toBe(200);
    expect((await spend()).budgets).toEqual([expect.objectContaining({ name: 'agent', exceeded: true })]);
    const refused = await t.chat({ model: 'mini' }, claudeCode);
    expect(refused.res.status).toBe(429);
    expect(JSON.parse(refused.text).error.message).toContain('agent');
    expect((await t.chat({ model: 'mini' }, { 'user-agent': 'codex_cli_rs/0.98.0' })).res.status).toBe(200);
    expect((await t.chat({ model: 'mini' })).res.status).toBe(200);
    // The Messages front door names the tool the same way.
    const messages = await fetch(`${t.h.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...claudeCode }, body: JSON.stringify({ model: 'mini', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }) });
    expect(messages.status).toBe(429);
    expect((await messages.json()).type).toBe('error');
    expect((await t.h.admin('/admin/api/budgets/agent', json('DELETE'))).status).toBe(200);
  });

  it('refuses a bad one with field errors relative to the budget, and changes nothing', async () => {
    const bad = async (method: string, path: string, body: unknown) => {
      const res = await t.h.admin(path, json(method, body));
      return { status: res.status, errors: ((await res.json()) as { errors?: { field: string | null; message: string }[] }).errors ?? [] };
    };
    const noRoute = await bad('POST', '/admin/api/budgets', { name: 'coder', scope: { route: 'coder' }, period: 'week', limitUsd: 10 });
    expect(noRoute.status).toBe(400);
    expect(noRoute.errors).toEqual([expect.objectContaining({ field: 'scope.route', message: 'no route is named "coder"' })]);
    const negative = await bad('POST', '/admin/api/budgets', { name: 'neg', scope: 'global', period: 'month', limitUsd: -1 });
    expect(negative.status).toBe(400);
    expect(negative.errors[0]?.field).toBe('limitUsd');
    // Said in words, not as the name's pattern.
    expect((await bad('POST', '/admin/api/budgets', { name: '', scope: 'global', period: 'day', limitUsd: 1 })).errors).toEqual([expect.objectContaining({ field: 'name', message: 'is required: a valid name (letters, digits and . _ : / @ -, up to 128)' })]);
    expect((await bad('POST', '/admin/api/budgets', { name: 'a b', scope: 'global', period: 'day', limitUsd: 1 })).errors[0]?.message).toBe('"a b" is not a valid name (letters, digits and . _ : / @ -, up to 128)');
    const zone = await bad('POST', '/admin/api/budgets', { name: 'tz', scope: 'global', period: 'day', limitUsd: 1, timeZone: 'Mars/Olympus' });
    expect(zone.errors[0]).toMatchObject({ field: 'timeZone' });
    expect((await t.h.admin('/admin/api/budgets', json('POST', { name: 'one', scope: 'global', period: 'month', limitUsd: 1 }))).status).toBe(201);
    expect((await bad('POST', '/admin/api/budgets', { name: 'one', scope: 'global', period: 'day', limitUsd: 2 })).status).toBe(409);
    expect((await bad('PUT', '/admin/api/budgets/nope', { name: 'nope', scope: 'global', period: 'day', limitUsd: 2 })).status).toBe(404);
    expect((await t.h.admin('/admin/api/budgets/nope', json('DELETE'))).status).toBe(404);
    expect(t.h.gateway.config().budgets).toEqual([{ name: 'one', scope: 'global', period: 'month', limitUsd: 1 }]);
  });
});

describe('aliases over the admin API', () => {
  it('sets one a tool\'s model name then reaches, in pattern order, changes it in place, and deletes it', async () => {
    const set = (alias: string, target: string) => t.h.admin(`/admin/api/aliases/${encodeURIComponent(alias)}`, json('PUT', { target }));
    expect((await set('claude-*', 'default')).status).toBe(200);
    expect((await set('gpt-4o', 'mini')).status).toBe(200);
    const { res } = await t.chat({ model: 'claude-sonnet-4-5' });
    expect(res.headers.get('x-switchyard-deployment')).toBe('llama');
    expect((await set('claude-*', 'cloud-first')).status).toBe(200);
    expect((await t.h.admin('/admin/api/aliases').then((r) => r.json())).aliases).toEqual([
      { alias: 'claude-*', target: 'cloud-first' },
      { alias: 'gpt-4o', target: 'mini' },
    ]);
    expect((await t.chat({ model: 'claude-haiku-4-5' })).res.headers.get('x-switchyard-deployment')).toBe('mini');

    const unknown = await set('codex', 'nowhere');
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error.message).toContain('no route or deployment is named "nowhere"');
    expect((await set('llama', 'mini')).status).toBe(400);

    expect((await t.h.admin(`/admin/api/aliases/${encodeURIComponent('claude-*')}`, json('DELETE'))).status).toBe(200);
    expect(t.h.gateway.config().aliases).toEqual({ 'gpt-4o': 'mini' });
    expect((await t.chat({ model: 'claude-haiku-4-5' })).res.status).toBe(404);
    expect((await t.h.admin('/admin/api/aliases/nope', json('DELETE'))).status).toBe(404);

    // Names as long as the config allows fit in a path, URL-encoded (Fastify's own limit is 100 characters).
    const long = `tool/${'x'.repeat(120)}-*`;
    expect((await set(long, 'default')).status).toBe(200);
    expect((await t.h.admin(`/admin/api/aliases/${encodeURIComponent(long)}`, json('DELETE'))).status).toBe(200);
    const route = 'r'.repeat(128);
    expect((await t.h.admin('/admin/api/routes', json('POST', { name: route, deployments: ['llama'] }))).status).toBe(201);
    expect((await t.h.admin(`/admin/api/routes/${route}`, json('DELETE'))).status).toBe(200);
  });
});
