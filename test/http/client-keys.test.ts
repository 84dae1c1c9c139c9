/** Client keys on the model surfaces: attribution, required keys, rate limits, route lists, and keys beyond loopback. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startGateway } from '../support/harness';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier({ clock: Date.parse('2026-11-23T10:00:00Z') });
const config = t.configWith;
const rows = (since = t.clock) => t.rows(since);

describe('client keys', () => {
  it('attributes requests to a known key, and to "anonymous" for any other bearer', async () => {
    const { key } = t.h.gateway.keys.create(`editor-${randomUUID().slice(0, 8)}`);
    await t.chat({ model: 'default' }, { authorization: `Bearer ${key}` });
    await t.chat({ model: 'default' }, { authorization: 'Bearer whatever' });
    const [known, other] = rows();
    expect(known?.clientKey).toMatch(/^editor-/);
    expect(other?.clientKey).toBe('anonymous');
  });

  it('requires a valid, unrevoked key when the setting is on', async () => {
    const name = `agent-${randomUUID().slice(0, 8)}`;
    const { key } = t.h.gateway.keys.create(name);
    t.h.gateway.applyConfig(config({ clientKeys: { required: true } }), 'test');
    const missing = await t.chat({ model: 'default' });
    expect(missing.res.status).toBe(401);
    expect(JSON.parse(missing.text).error.code).toBe('invalid_api_key');
    expect((await t.chat({ model: 'default' }, { authorization: `Bearer ${key}` })).res.status).toBe(200);
    expect((await t.chat({ model: 'default' }, { 'x-api-key': key })).res.status).toBe(200);
    t.h.gateway.keys.revoke(name);
    expect((await t.chat({ model: 'default' }, { authorization: `Bearer ${key}` })).res.status).toBe(401);
    expect(t.ollama.requests).toHaveLength(2);
  });

  it('limits a key to its requests per minute, with Retry-After', async () => {
    const { key } = t.h.gateway.keys.create(`ci-${randomUUID().slice(0, 8)}`, { rateLimitPerMinute: 2 });
    const auth = { authorization: `Bearer ${key}` };
    expect((await t.chat({ model: 'default' }, auth)).res.status).toBe(200);
    expect((await t.chat({ model: 'default' }, auth)).res.status).toBe(200);
    const limited = await t.chat({ model: 'default' }, auth);
    expect(limited.res.status).toBe(429);
    expect(Number(limited.res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    t.clock += 30_000;
    expect((await t.chat({ model: 'default' }, auth)).res.status).toBe(200);
  });

  it("spends none of a key's requests per minute on models it may not use, and says 403 for them, not 429", async () => {
    const { key } = t.h.gateway.keys.create(`background-${randomUUID().slice(0, 8)}`, { rateLimitPerMinute: 2, allowedRoutes: ['cloud-first'] });
    const auth = { authorization: `Bearer ${key}` };
    for (let i = 0; i < 3; i++) expect((await t.chat({ model: 'default' }, auth)).res.status).toBe(403);
    expect((await t.chat({ model: 'cloud-first' }, auth)).res.status).toBe(200);
    expect((await t.chat({ model: 'cloud-first' }, auth)).res.status).toBe(200);
    // Out of requests now: turned away before its body is read, whatever it asks for.
    expect((await t.chat({ model: 'cloud-first' }, auth)).res.status).toBe(429);
    expect((await t.chat({ model: 'default' }, auth)).res.status).toBe(429);
  });

  it('refuses models outside the routes a key may use', async () => {
    const { key } = t.h.gateway.keys.create(`scoped-${randomUUID().slice(0, 8)}`, { allowedRoutes: ['cloud-first'] });
    const auth = { authorization: `Bearer ${key}` };
    expect((await t.chat({ model: 'cloud-first' }, auth)).res.status).toBe(200);
    const refused = await t.chat({ model: 'default' }, auth);
    expect(refused.res.status).toBe(403);
    expect(JSON.parse(refused.text).error).toMatchObject({ code: 'model_not_allowed', param: 'model' });
  });

  it('reads the model on the Ollama front door as its routes do: NAME:latest is NAME, and /api/show\'s `name` counts', async () => {
    const { key } = t.h.gateway.keys.create(`ollama-${randomUUID().slice(0, 8)}`, { allowedRoutes: ['cloud-first'] });
    const post = (path: string, body: unknown) => fetch(`${t.h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
    expect((await post('/api/chat', { model: 'cloud-first:latest', stream: false, messages: [{ role: 'user', content: 'hi' }] })).status).toBe(200);
    const shown = await post('/api/show', { name: 'default' });
    expect(shown.status).toBe(403);
    expect((await shown.json()).error).toContain('may use only cloud-first');
  });

  it('lets a key limited to a route use it by any alias, but not another route\'s alias or one of its deployments by name', async () => {
    expect(t.h.gateway.applyConfig({ ...config(), aliases: { 'gpt-4o*': 'cloud-first', 'claude-*': 'default' } }, 'test').ok).toBe(true);
    const { key } = t.h.gateway.keys.create(`aliased-${randomUUID().slice(0, 8)}`, { allowedRoutes: ['cloud-first'] });
    const auth = { authorization: `Bearer ${key}` };
    expect((await t.chat({ model: 'gpt-4o-mini' }, auth)).res.status).toBe(200);
    // A deployment of the route, named directly, is not the route.
    expect((await t.chat({ model: 'mini' }, auth)).res.status).toBe(403);
    expect((await t.chat({ model: 'claude-sonnet-4-5' }, auth)).res.status).toBe(403);
  });

  it('keep their names for good: a name taken, even by a revoked key, answers 409 on the admin API, saying why', async () => {
    const name = `laptop-${randomUUID().slice(0, 8)}`;
    const create = () => t.h.admin('/admin/api/keys', { method: 'POST', body: JSON.stringify({ name }) }).then(async (r) => [r.status, (await r.json()).error?.message]);
    expect((await create())[0]).toBe(201);
    expect(await create()).toEqual([409, `a key named "${name}" exists already`]);
    t.h.gateway.keys.revoke(name);
    expect(await create()).toEqual([409, `a key named "${name}" exists already (revoked: a revoked key keeps its name, so its usage stays its own): choose another name`]);
  });

  it('are stored hashed: the key itself is nowhere in the data dir', async () => {
    const { key } = t.h.gateway.keys.create(`hashed-${randomUUID().slice(0, 8)}`);
    const files = readdirSync(t.h.dataDir).map((f) => readFileSync(join(t.h.dataDir, f)));
    expect(files.some((content) => content.includes(key))).toBe(false);
  });

  it('are required whenever the gateway listens beyond loopback, for model routes and the full health report', async () => {
    const exposed = await startGateway(config(), { host: '0.0.0.0' });
    try {
      const res = await fetch(`http://127.0.0.1:${exposed.port}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'x' }] }),
      });
      expect(res.status).toBe(401);
      // /health says only whether it is up: providers' hosts, deployments and spend need a key.
      const open = await fetch(`http://127.0.0.1:${exposed.port}/health`).then((r) => r.json());
      expect(Object.keys(open).sort()).toEqual(['status', 'store', 'uptimeSeconds', 'version']);
      const { key } = exposed.gateway.keys.create('monitor');
      const full = await fetch(`http://127.0.0.1:${exposed.port}/health`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.json());
      expect(full.providers.map((p: { name: string }) => p.name)).toEqual(['local', 'cloud']);
      expect((await fetch(`${t.h.url}/health`).then((r) => r.json())).providers).toHaveLength(2);
    } finally {
      await exposed.stop();
    }
  });
});
