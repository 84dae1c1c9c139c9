import { request as httpRequest } from 'node:http';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startGateway, tempDir, twoTierConfig } from '../support/harness';
import { useTwoTier } from '../support/two-tier';

const config = () => twoTierConfig({ ollama: t.ollama.url, openai: t.openai.url });
const t = useTwoTier({ config: () => config() });
const json = (body: unknown) => ({ body: JSON.stringify(body) });

describe('admin session', () => {
  it('answers 401 without the session cookie, and the model endpoints do not need it', async () => {
    const res = await fetch(`${t.h.url}/admin/api/providers`);
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('admin_session_required');
    expect((await fetch(`${t.h.url}/v1/models`)).status).toBe(200);
    expect((await fetch(`${t.h.url}/admin/api/session`).then((r) => r.json())).authenticated).toBe(false);
  });

  it('trades a single-use login link for an HttpOnly SameSite=Strict cookie', async () => {
    const token = t.h.gateway.sessions.issueLoginToken();
    const first = await fetch(`${t.h.url}/?token=${token}`, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(new RegExp(`^switchyard_session_${t.h.port}=`));
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const session = cookie.split(';')[0] as string;
    expect((await fetch(`${t.h.url}/admin/api/providers`, { headers: { cookie: session } })).status).toBe(200);
    const again = await fetch(`${t.h.url}/?token=${token}`, { redirect: 'manual' });
    expect(again.headers.get('location')).toBe('/?login=expired');
    expect(again.headers.get('set-cookie')).toBeNull();
  });

  it('refuses a foreign Origin even with a valid cookie', async () => {
    const res = await new Promise<number>((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port: t.h.port, path: '/admin/api/cache', method: 'DELETE', headers: { cookie: t.h.cookie, origin: 'https://evil.example' } }, (r) => resolve(r.statusCode ?? 0));
      req.end();
    });
    expect(res).toBe(403);
  });
});

describe('providers, deployments and routes', () => {
  it('never returns an API key, only whether it is set and its last 4 characters', async () => {
    const { providers } = await t.h.admin('/admin/api/providers').then((r) => r.json());
    const cloud = providers.find((p: { name: string }) => p.name === 'cloud');
    expect(cloud.apiKey).toEqual({ reference: 'env:TEST_KEY', set: true, last4: '1234', problem: null });
    // Where each runs: the cloud one as its config says (on loopback here), the Ollama by its address.
    expect(providers.map((p: { name: string; runsLocally: boolean }) => [p.name, p.runsLocally])).toEqual([['local', true], ['cloud', false]]);
    expect(JSON.stringify(providers)).not.toContain('sk-test-secret');
  });

  it('keeps the key when a provider is updated without one, and refuses a key value where keys live in the environment', async () => {
    const updated = await t.h.admin('/admin/api/providers/cloud', { method: 'PUT', ...json({ name: 'cloud', kind: 'openai', baseUrl: `${t.openai.url}/v1`, headers: { 'x-team': 'a' } }) });
    expect(updated.status).toBe(200);
    expect((await updated.json()).apiKey.set).toBe(true);
    const refused = await t.h.admin('/admin/api/providers/cloud', { method: 'PUT', ...json({ name: 'cloud', kind: 'openai', baseUrl: `${t.openai.url}/v1`, apiKeyValue: 'sk-new' }) });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.message).toContain('env:');
    // A key pasted where its reference goes is refused once, by name, and not quoted back.
    const pasted = await t.h.admin('/admin/api/providers', { method: 'POST', ...json({ name: 'pasted', kind: 'openai', baseUrl: `${t.openai.url}/v1`, apiKey: 'sk-pasted-secret' }) });
    expect(pasted.status).toBe(400);
    const pastedText = await pasted.text();
    expect(pastedText).not.toContain('sk-pasted-secret');
    expect(JSON.parse(pastedText)).toMatchObject({ error: { message: expect.stringMatching(/^Invalid request body: apiKey must name an environment variable/), param: 'apiKey' }, errors: [{ field: 'apiKey' }] });
    // A password in the URL would be stored as plain text and never sent: refused under its field, not echoed.
    const inUrl = await t.h.admin('/admin/api/providers/cloud', { method: 'PUT', ...json({ name: 'cloud', kind: 'openai', baseUrl: `http://me:s3cret@127.0.0.1:${t.openai.port}/v1` }) });
    expect(inUrl.status).toBe(400);
    const text = await inUrl.text();
    expect(JSON.parse(text).errors).toEqual([expect.objectContaining({ field: 'baseUrl', message: expect.stringContaining('give them as a header') })]);
    expect(text).not.toContain('s3cret');
  });

  it('adds a deployment and a route, applied to traffic at once', async () => {
    const added = await t.h.admin('/admin/api/deployments', { method: 'POST', ...json({ name: 'nano', provider: 'cloud', model: 'gpt-4.1-nano', type: 'chat' }) });
    expect(added.status).toBe(201);
    const route = await t.h.admin('/admin/api/routes', { method: 'POST', ...json({ name: 'cheap', deployments: ['nano', 'llama'] }) });
    expect(route.status).toBe(201);
    const answer = await t.h.openai.chat.completions.create({ model: 'cheap', messages: [{ role: 'user', content: 'x' }] }).withResponse();
    expect(answer.response.headers.get('x-switchyard-deployment')).toBe('nano');
    expect(t.openai.requests[0]?.body.model).toBe('gpt-4.1-nano');
  });

  it('reorders a route and traffic follows the new order', async () => {
    const res = await t.h.admin('/admin/api/routes/default/order', { method: 'PUT', ...json({ deployments: ['mini', 'llama'] }) });
    expect(res.status).toBe(200);
    const answer = await t.h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'x' }] }).withResponse();
    expect(answer.response.headers.get('x-switchyard-deployment')).toBe('mini');
    const bad = await t.h.admin('/admin/api/routes/default/order', { method: 'PUT', ...json({ deployments: ['mini'] }) });
    expect(bad.status).toBe(400);
  });

  it('answers field-level errors for an invalid time window and changes nothing', async () => {
    const res = await t.h.admin('/admin/api/deployments/llama', {
      method: 'PUT',
      ...json({ name: 'llama', provider: 'local', model: 'llama3.2:3b', timeZone: 'Europe/Paris', timeWindows: [{ start: '25:00', end: '18:00' }] }),
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errors).toContainEqual({ path: 'deployments[0].timeWindows[0].start', field: 'timeWindows[0].start', message: '"25:00" is not a time in HH:MM form (00:00 to 23:59)' });
    expect(body.error.param).toBe('timeWindows[0].start');
    expect(t.h.gateway.config().deployments[0]).toMatchObject({ name: 'llama', options: { num_ctx: 8192 } });
  });

  it('refuses a misspelt field in a body or a query instead of ignoring it', async () => {
    const preview = await t.h.admin('/admin/api/schedule/preview', { method: 'POST', ...json({ windows: [{ start: '09:00', end: '17:00' }] }) });
    expect(preview.status).toBe(400);
    expect((await preview.json()).errors).toContainEqual({ path: 'windows', field: 'windows', message: 'is not a known field' });
    const order = await t.h.admin('/admin/api/routes/default/order', { method: 'PUT', ...json({ deployments: ['mini', 'llama'], dryRun: true }) });
    expect(order.status).toBe(400);
    expect(t.h.gateway.config().routes[0]?.deployments).toEqual(config().routes[0]?.deployments);
    const key = await t.h.admin('/admin/api/keys', { method: 'POST', ...json({ name: 'ci', rateLimit: 10 }) });
    expect(key.status).toBe(400);
    expect(t.h.gateway.keys.list().map((k) => k.name)).not.toContain('ci');
    const rows = await t.h.admin('/admin/api/usage?from=2026-01-01');
    expect(rows.status).toBe(400);
    expect((await rows.json()).error.message).toBe('Invalid query string: from is not a known field');
  });

  it('renames a deployment or route everywhere, client keys limited to it included, and refuses to delete what is still used', async () => {
    const { key } = t.h.gateway.keys.create('renames', { allowedRoutes: ['llama', 'cloud-first'] });
    const llama = t.h.gateway.config().deployments[0];
    const renamed = await t.h.admin('/admin/api/deployments/llama', { method: 'PUT', ...json({ ...llama, name: 'llama-local' }) });
    expect(renamed.status).toBe(200);
    expect(t.h.gateway.config().routes[0]?.deployments).toEqual(['llama-local', 'mini']);
    const route = t.h.gateway.config().routes[1];
    expect((await t.h.admin('/admin/api/routes/cloud-first', { method: 'PUT', ...json({ ...route, name: 'cloud-1st' }) })).status).toBe(200);
    expect(t.h.gateway.keys.list().find((k) => k.name === 'renames')?.allowedRoutes).toEqual(['llama-local', 'cloud-1st']);
    const viaNewName = await t.h.openai.chat.completions.create({ model: 'cloud-1st', messages: [{ role: 'user', content: 'hi' }] }, { headers: { authorization: `Bearer ${key}` } });
    expect(viaNewName.choices[0]?.message.content).toBeTruthy();
    const inUse = await t.h.admin('/admin/api/providers/local', { method: 'DELETE' });
    expect(inUse.status).toBe(409);
    expect((await inUse.json()).error.message).toContain('llama-local');
  });

  it('keeps every change as a revision, shows what changed it, and restores an earlier one as a new change', async () => {
    const removed = await t.h.admin('/admin/api/routes/cloud-first', { method: 'DELETE' });
    expect(removed.status).toBe(200);
    const { revisions } = await t.h.admin('/admin/api/config/revisions').then((r) => r.json());
    expect(revisions[0]).toMatchObject({ source: 'admin api: DELETE /admin/api/routes/cloud-first' });
    const before = revisions[1].id as number;
    const earlier = await t.h.admin(`/admin/api/config/revisions/${before}`).then((r) => r.json());
    expect(earlier.routes.map((r: { name: string }) => r.name)).toContain('cloud-first');
    const restored = await t.h.admin(`/admin/api/config/revisions/${before}/restore`, { method: 'POST' });
    expect(restored.status).toBe(200);
    expect(t.h.gateway.config().routes.map((r) => r.name)).toContain('cloud-first');
    const after = await t.h.admin('/admin/api/config/revisions').then((r) => r.json());
    expect(after.revisions[0]).toMatchObject({ source: `restore ${before}` });
    expect((await t.h.admin('/admin/api/config/revisions/999999/restore', { method: 'POST' })).status).toBe(404);
    expect((await t.h.admin('/admin/api/config/revisions/x1')).status).toBe(400);
  });

  it('keeps one revision of a config a restart is given again, and a new one when the file changed', async () => {
    const data = tempDir();
    try {
      const sources = async (given: unknown) => {
        const started = await startGateway(given, { dataDir: data.path });
        const { revisions } = await started.admin('/admin/api/config/revisions').then((r) => r.json());
        await started.stop();
        return revisions.map((r: { source: string }) => r.source);
      };
      expect(await sources(config())).toEqual(['serve --config']);
      expect(await sources(config())).toEqual(['serve --config']);
      const changed = { ...config(), routes: config().routes.slice(0, 1) };
      expect(await sources(changed)).toEqual(['serve --config', 'serve --config']);
    } finally {
      data.remove();
    }
  });

  it('tells the dashboard what client tools need: the chat and embedding models to ask for, and whether a key is required', async () => {
    expect(await t.h.admin('/admin/api/clients').then((r) => r.json())).toEqual({ keyRequired: false, models: ['default', 'cloud-first', 'llama', 'mini'], embeddingModels: ['embed', 'local-embed', 'cloud-embed'] });
    t.h.gateway.applyConfig({ ...config(), settings: { clientKeys: { required: true } } }, 'test');
    expect((await t.h.admin('/admin/api/clients').then((r) => r.json())).keyRequired).toBe(true);
  });

  it('tests a provider connection with its latency, and discovers its models', async () => {
    const test = await t.h.admin('/admin/api/providers/local/test', { method: 'POST' }).then((r) => r.json());
    expect(test).toMatchObject({ ok: true, version: '0.12.6', models: ['llama3.2:3b', 'nomic-embed-text'] });
    expect(test.latencyMs).toBeGreaterThanOrEqual(0);
    const models = await t.h.admin('/admin/api/providers/cloud/models').then((r) => r.json());
    expect(models.models).toEqual(['gpt-4.1-mini']);
    const unsaved = await t.h.admin('/admin/api/providers/test', { method: 'POST', ...json({ name: 'other', kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1' }) }).then((r) => r.json());
    expect(unsaved.ok).toBe(false);
    expect(unsaved.error).toMatch(/connection/);
  });
});

describe('config export and import', () => {
  it('previews what an import will change before applying it', async () => {
    const next = config();
    next.routes.push({ name: 'night', deployments: ['mini', 'llama'] });
    next.deployments[1] = { ...next.deployments[1]!, model: 'gpt-4.1' } as (typeof next.deployments)[1];
    const preview = await t.h.admin('/admin/api/config/preview', { method: 'POST', ...json({ config: next }) }).then((r) => r.json());
    expect(preview.valid).toBe(true);
    expect(preview.changes).toEqual([
      { change: 'changed', kind: 'deployment', name: 'mini' },
      { change: 'added', kind: 'route', name: 'night' },
    ]);
    expect(t.h.gateway.config().routes).toHaveLength(3);
    const applied = await t.h.admin('/admin/api/config/import', { method: 'POST', ...json({ config: next }) });
    expect(applied.status).toBe(200);
    expect(t.h.gateway.config().routes.map((r) => r.name)).toContain('night');
    const exported = await t.h.admin('/admin/api/config').then((r) => r.json());
    expect(exported).toEqual(next);
  });
});

describe('usage, cache, keys and settings', () => {
  it('serves rows, rollups, an overview and a CSV export', async () => {
    await t.h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'x' }] });
    const rows = await t.h.admin('/admin/api/usage?limit=5').then((r) => r.json());
    expect(rows.rows[0]).toMatchObject({ deployment: 'llama', status: 200 });
    const rollups = await t.h.admin('/admin/api/usage/rollups?granularity=hour&groupBy=deployment').then((r) => r.json());
    expect(rollups.points.some((p: { group: string }) => p.group === 'llama')).toBe(true);
    const overview = await t.h.admin('/admin/api/overview').then((r) => r.json());
    expect(overview.requests).toBeGreaterThan(0);
    const csv = await t.h.admin('/admin/api/usage/export?format=csv');
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect((await csv.text()).split('\n')[0]).toMatch(/^request_id,time/);
    expect((await t.h.admin('/admin/api/usage/rollups?granularity=week')).status).toBe(400);
    // A time past what a date can be is a bad parameter, not a crash in the day arithmetic.
    for (const query of ['granularity=day&until=99999999999999999999', 'since=99999999999999999999', 'until=not-a-time']) {
      const bad = await t.h.admin(`/admin/api/usage/rollups?${query}`);
      expect(bad.status).toBe(400);
      expect((await bad.json()).error).toMatchObject({ message: expect.stringMatching(/^(since|until) must be a date \(2026-11-01: its midnight\), a time .* or epoch milliseconds, in the gateway's time zone \(UTC\) unless it says its offset$/), param: expect.stringMatching(/since|until/) });
    }
  });

  it('counts days as the gateway\'s zone has them, and says which zone', async () => {
    const tokyo = await startGateway(config(), { timeZone: 'Asia/Tokyo' });
    try {
      await tokyo.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'x' }] });
      const days = await tokyo.admin('/admin/api/usage/rollups?granularity=day').then((r) => r.json());
      expect(days.timeZone).toBe('Asia/Tokyo');
      expect(days.points).toHaveLength(1);
      // Midnight in Tokyo (UTC+9), not UTC's: the day that began 15:00 UTC the day before.
      expect(new Date(days.points[0].bucket + 9 * 3_600_000).toISOString()).toMatch(/T00:00:00\.000Z$/);
      expect(days.points[0].bucket).toBeLessThanOrEqual(Date.now());
      expect(Date.now() - days.points[0].bucket).toBeLessThan(24 * 3_600_000);
      // A week's chart has every day of it on its axis, the six quiet ones too, each a Tokyo midnight.
      const week = await tokyo.admin(`/admin/api/usage/rollups?granularity=day&since=${Date.now() - 7 * 86_400_000}`).then((r) => r.json());
      expect(week.points).toHaveLength(1);
      expect(week.buckets).toHaveLength(7);
      expect(week.buckets.at(-1)).toBe(days.points[0].bucket);
      for (const [i, bucket] of week.buckets.entries()) {
        expect(new Date(bucket + 9 * 3_600_000).toISOString()).toMatch(/T00:00:00\.000Z$/);
        if (i > 0) expect(bucket - week.buckets[i - 1]).toBe(86_400_000);
      }
      // With no start, the axis begins at the oldest point.
      expect(days.buckets).toEqual([days.points[0].bucket]);
    } finally {
      await tokyo.stop();
    }
  });

  it('creates a key shown once, lists it without the secret, and revokes it', async () => {
    const created = await t.h.admin('/admin/api/keys', { method: 'POST', ...json({ name: 'admin-test', rateLimitPerMinute: 30 }) }).then((r) => r.json());
    expect(created.key).toMatch(/^sy-/);
    const listed = await t.h.admin('/admin/api/keys').then((r) => r.json());
    expect(JSON.stringify(listed)).not.toContain(created.key);
    expect(listed.keys.find((k: { name: string }) => k.name === 'admin-test')).toMatchObject({ prefix: created.key.slice(0, 7), rateLimitPerMinute: 30 });
    expect((await t.h.admin('/admin/api/keys/admin-test', { method: 'DELETE' })).status).toBe(200);
    const typo = await t.h.admin('/admin/api/keys', { method: 'POST', ...json({ name: 'scoped', allowedRoutes: ['default', 'defualt'] }) });
    expect(typo.status).toBe(400);
    expect((await typo.json()).error).toMatchObject({ message: 'No route, deployment or alias is named "defualt"', param: 'allowedRoutes' });
    expect(t.h.gateway.keys.list().map((k) => k.name)).not.toContain('scoped');
  });

  it('lists a key limited to routes with the names the config no longer has (an import that dropped a route)', async () => {
    expect((await t.h.admin('/admin/api/keys', { method: 'POST', ...json({ name: 'limited', allowedRoutes: ['default', 'cloud-first'] }) })).status).toBe(201);
    const listed = async () => ((await t.h.admin('/admin/api/keys').then((r) => r.json())).keys as { name: string; allowedRoutes: string[] | null; unknownRoutes: string[] }[]).find((k) => k.name === 'limited');
    expect(await listed()).toMatchObject({ allowedRoutes: ['default', 'cloud-first'], unknownRoutes: [] });
    const config = t.h.gateway.config();
    expect(t.h.gateway.applyConfig({ ...config, routes: config.routes.filter((r) => r.name !== 'default') }, 'import').ok).toBe(true);
    expect(await listed()).toMatchObject({ allowedRoutes: ['default', 'cloud-first'], unknownRoutes: ['default'] });
  });

  it('reports and purges the cache, and saves settings with validation', async () => {
    await t.h.openai.chat.completions.create({ model: 'mini', temperature: 0, messages: [{ role: 'user', content: 'cache me' }] });
    expect((await t.h.admin('/admin/api/cache').then((r) => r.json())).entries).toBeGreaterThan(0);
    expect((await t.h.admin('/admin/api/cache', { method: 'DELETE' }).then((r) => r.json())).purged).toBeGreaterThan(0);
    const saved = await t.h.admin('/admin/api/settings', { method: 'PUT', ...json({ settings: { cache: { ttlSeconds: 60 }, usage: { retentionDays: 30 } } }) });
    expect(saved.status).toBe(200);
    const bad = await t.h.admin('/admin/api/settings', { method: 'PUT', ...json({ settings: { usage: { retentionDays: 0 } } }) });
    expect(bad.status).toBe(400);
    // The database file only grows (nothing here vacuums it): what Settings says of its size is at least this.
    const file = statSync(join(t.h.dataDir, 'switchyard.db')).size;
    const settings = await t.h.admin('/admin/api/settings').then((r) => r.json());
    expect(settings).toMatchObject({ settings: { cache: { ttlSeconds: 60 } }, server: { host: '127.0.0.1', port: t.h.port, exposed: false } });
    // Where the data is, and the database's size on disk: its file, with the WAL's shared memory beside it.
    expect(settings.data).toEqual({ dir: t.h.dataDir, argument: t.h.dataDir, bytes: expect.any(Number) });
    expect(settings.data.bytes).toBeGreaterThan(file);
  });
});
