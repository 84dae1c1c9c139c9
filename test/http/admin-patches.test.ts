/**
 * Small edits as merge patches. The dashboard's route card and Settings card sent the whole route or
 * the whole settings as the page had read them, so a change made elsewhere since (another window's
 * new order, local only switched from the tray or the CLI) was undone without a word by the next
 * strategy, rule, retry or cache change. They now send only the fields they change (RFC 7396: `null`
 * removes one), and the gateway merges them into what it holds now.
 */
import { describe, expect, it } from 'vitest';
import { twoTierConfig } from '../support/harness';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier({ config: () => twoTierConfig({ ollama: t.ollama.url, openai: t.openai.url }) });
const patch = (path: string, body: unknown) => t.h.admin(`/admin/api/${path}`, { method: 'PATCH', body: JSON.stringify(body) });
const route = (name: string) => t.h.gateway.config().routes.find((r) => r.name === name);

describe('a route patched', () => {
  it('changes only the fields the patch names, keeping an order another window saved meanwhile', async () => {
    // Another window reorders; this one, still showing the old order, changes the strategy.
    expect((await t.h.admin('/admin/api/routes/default/order', { method: 'PUT', body: JSON.stringify({ deployments: ['mini', 'llama'] }) })).status).toBe(200);
    const res = await patch('routes/default', { strategy: 'lowest-latency', retry: { attempts: 2 }, deadlineMs: 30_000 });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ name: 'default', deployments: ['mini', 'llama'], strategy: 'lowest-latency', retry: { attempts: 2 }, deadlineMs: 30_000 });
    // An object merges into the one there; null removes a field.
    expect((await patch('routes/default', { retry: { backoffMs: 500 }, deadlineMs: null, rules: [{ when: { hasImages: true }, use: 'cloud-first' }] })).status).toBe(200);
    expect(route('default')).toEqual({ name: 'default', deployments: ['mini', 'llama'], strategy: 'lowest-latency', retry: { attempts: 2, backoffMs: 500 }, rules: [{ when: { hasImages: true }, use: 'cloud-first' }] });
    expect((await patch('routes/default', { rules: null })).status).toBe(200);
    expect(route('default')?.rules).toBeUndefined();
    const { revisions } = await t.h.admin('/admin/api/config/revisions').then((r) => r.json());
    expect(revisions[0].source).toBe('admin api: PATCH /admin/api/routes/default');
  });

  it('makes no revision of an edit that changes nothing: the history lists changes', async () => {
    const revisions = async () => (await t.h.admin('/admin/api/config/revisions').then((r) => r.json())).revisions as { id: number }[];
    const edits = [['routes/default', { strategy: 'lowest-cost' }], ['settings', { settings: { cache: { ttlSeconds: 60 } } }]] as const;
    for (const [path, body] of edits) expect((await patch(path, body)).status).toBe(200);
    const before = await revisions();
    // The same again (a form saved as it was), and another window's order that is the order there.
    for (const [path, body] of edits) expect((await patch(path, body)).status).toBe(200);
    expect((await t.h.admin('/admin/api/routes/default/order', { method: 'PUT', body: JSON.stringify({ deployments: route('default')?.deployments }) })).status).toBe(200);
    expect(await revisions()).toEqual(before);
  });

  it('makes no revision of an edit that only says what is there in other words: its fields in another order, settings empty where there are none', async () => {
    const revisions = async () => (await t.h.admin('/admin/api/config/revisions').then((r) => r.json())).revisions as { id: number }[];
    const before = await revisions();
    expect(t.h.gateway.config().settings).toBeUndefined();
    expect((await patch('settings', { settings: {} })).status).toBe(200);
    const llama = t.h.gateway.config().deployments.find((d) => d.name === 'llama');
    const reordered = Object.fromEntries(Object.entries(llama ?? {}).reverse());
    expect(Object.keys(reordered)).not.toEqual(Object.keys(llama ?? {}));
    expect((await t.h.admin('/admin/api/deployments/llama', { method: 'PUT', body: JSON.stringify(reordered) })).status).toBe(200);
    expect(await revisions()).toEqual(before);
    expect(t.h.gateway.config().settings).toBeUndefined();
  });

  it('refuses a rename, an unknown route and a value the config does not take, changing nothing', async () => {
    const before = route('default');
    const renamed = await patch('routes/default', { name: 'other' });
    expect(renamed.status).toBe(400);
    expect((await renamed.json()).error.message).toMatch(/name/);
    const missing = await patch('routes/nope', { strategy: 'ordered' });
    expect([missing.status, (await missing.json()).error.message]).toEqual([404, 'There is no route named "nope"']);
    const invalid = await patch('routes/default', { retry: { attempts: 99 } });
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).errors[0]).toMatchObject({ field: 'retry.attempts' });
    const proto = await t.h.admin('/admin/api/routes/default', { method: 'PATCH', body: '{"retry":{"__proto__":{"attempts":3}}}' });
    expect(proto.status).toBe(400);
    expect(route('default')).toEqual(before);
  });
});

describe('a deployment patched', () => {
  it('changes only what the patch names, and renames it everywhere when it names a new name', async () => {
    // A time window set elsewhere while a form was open on the deployment; the form changes the model.
    const windows = [{ start: '09:00', end: '17:00', days: ['mon'] }];
    expect((await t.h.admin('/admin/api/deployments/llama', { method: 'PUT', body: JSON.stringify({ ...t.h.gateway.config().deployments[0], timeWindows: windows }) })).status).toBe(200);
    const res = await patch('deployments/llama', { model: 'llama3.2:1b', keepAlive: null });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ name: 'llama', provider: 'local', model: 'llama3.2:1b', type: 'chat', options: { num_ctx: 8192 }, timeWindows: windows });
    // A nested object changed in part: one price, the other kept, a third removed.
    expect((await patch('deployments/mini', { pricing: { inputPerMTok: 0.5, outputPerMTok: 1.6, cacheReadPerMTok: 0.1 } })).status).toBe(200);
    expect((await patch('deployments/mini', { pricing: { inputPerMTok: 0.45, cacheReadPerMTok: null } })).status).toBe(200);
    expect(t.h.gateway.config().deployments.find((d) => d.name === 'mini')?.pricing).toEqual({ inputPerMTok: 0.45, outputPerMTok: 1.6 });
    const renamed = await patch('deployments/llama', { name: 'small-llama' });
    expect(renamed.status).toBe(200);
    expect(route('default')?.deployments).toEqual(['small-llama', 'mini']);
    const proto = await t.h.admin('/admin/api/deployments/small-llama', { method: 'PATCH', body: '{"options":{"__proto__":{"num_ctx":1}}}' });
    expect([proto.status, (await proto.json()).error.message]).toEqual([400, 'The request body has a "__proto__" or "constructor.prototype" key, which is refused']);
    expect((await patch('deployments/nope', { model: 'x' })).status).toBe(404);
  });
});

describe('a provider patched', () => {
  it('changes only what the patch names, and its key only when the patch names one', async () => {
    const cloud = () => t.h.gateway.config().providers.find((p) => p.name === 'cloud');
    // Headers set elsewhere; a form opened before changes the base URL.
    expect((await t.h.admin('/admin/api/providers/cloud', { method: 'PUT', body: JSON.stringify({ name: 'cloud', kind: 'openai', baseUrl: `${t.openai.url}/v1`, headers: { 'x-team': 'a' } }) })).status).toBe(200);
    const res = await patch('providers/cloud', { baseUrl: `${t.openai.url}/v1/` });
    expect(res.status).toBe(200);
    expect((await res.json()).apiKey).toEqual({ reference: 'env:TEST_KEY', set: true, last4: '1234', problem: null });
    expect(cloud()).toEqual({ name: 'cloud', kind: 'openai', baseUrl: `${t.openai.url}/v1/`, headers: { 'x-team': 'a' }, apiKey: 'env:TEST_KEY' });
    // A key value where keys live in the environment is refused, as in a PUT; null removes the reference.
    const stored = await patch('providers/cloud', { apiKeyValue: 'sk-new' });
    expect(stored.status).toBe(400);
    expect(cloud()?.apiKey).toBe('env:TEST_KEY');
    expect((await patch('providers/cloud', { apiKey: null, headers: null })).status).toBe(200);
    expect(cloud()).not.toHaveProperty('apiKey');
    expect(cloud()).not.toHaveProperty('headers');
    expect((await patch('providers/nope', { baseUrl: 'http://127.0.0.1:1' })).status).toBe(404);
  });
});

describe('the settings patched', () => {
  it('change only what the patch names, keeping local only switched from the tray meanwhile', async () => {
    // The tray (or `switchyard local-only on`) switches local only; a page opened before saves its cache settings.
    expect((await patch('settings', { settings: { localOnly: true } })).status).toBe(200);
    const res = await patch('settings', { settings: { cache: { enabled: false, ttlSeconds: 60, maxMiB: 16 }, usage: { retentionDays: 30 }, allowedOrigins: ['app://obsidian.md'] } });
    expect(res.status).toBe(200);
    expect((await res.json()).settings).toEqual({ localOnly: true, cache: { enabled: false, ttlSeconds: 60, maxMiB: 16 }, usage: { retentionDays: 30 }, allowedOrigins: ['app://obsidian.md'] });
    expect((await patch('settings', { settings: { usage: { logBodies: true }, allowedOrigins: null } })).status).toBe(200);
    expect(t.h.gateway.config().settings).toEqual({ localOnly: true, cache: { enabled: false, ttlSeconds: 60, maxMiB: 16 }, usage: { retentionDays: 30, logBodies: true } });
    const invalid = await patch('settings', { settings: { allowedOrigins: ['https://*'] } });
    expect(invalid.status).toBe(400);
    expect(t.h.gateway.config().settings?.allowedOrigins).toBeUndefined();
  });
});
