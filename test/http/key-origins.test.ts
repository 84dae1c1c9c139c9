/**
 * A stored key never follows a changed origin: a provider's redirect is a failure, not followed; a
 * provider's base URL moved (by PUT, PATCH or an import) while it keeps its key is refused; and a
 * connection test sends a stored key only where the config already sends it. Found by an attack run; kept apart from the other hardening tests.
 * On a gateway open to the network, a key no provider used yet goes from the dashboard only to a
 * server on this machine (an admin session could otherwise have any variable of the gateway's
 * environment sent to a server of its own).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { cloudRemovedThenMoved, resetBetweenTests, startGateway, stopAll, twoTierConfig, type Harness } from '../support/harness';

let ollama: FakeServer;
let openai: FakeServer;
let h: Harness;
const config = () => twoTierConfig({ ollama: ollama.url, openai: openai.url });

beforeAll(async () => {
  ollama = await startFakeOllama();
  openai = await startFakeOpenAI();
  h = await startGateway(config());
});
afterAll(() => stopAll(h, ollama, openai));
beforeEach(() => resetBetweenTests(h, [ollama, openai], config()));

const post = (path: string, body: unknown) => fetch(`${h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('a stored key never follows a changed origin', () => {
  let thief: FakeServer;
  beforeAll(async () => {
    thief = await startFakeOpenAI();
  });
  beforeEach(() => thief.reset());
  afterAll(() => thief.stop());

  it('treats a provider redirecting a request as a failure, and sends nothing (no key) where it points', async () => {
    await openai.setMode({ kind: 'redirect', location: thief.url });
    const { response } = await h.openai.chat.completions.create({ model: 'cloud-first', messages: [{ role: 'user', content: 'hello' }] }).withResponse();
    expect(response.headers.get('x-switchyard-deployment')).toBe('llama');
    expect(thief.requests).toHaveLength(0);
  });

  it('refuses a new base URL for a provider that keeps its key, until a key is given or removed', async () => {
    const moved = await h.admin('/admin/api/providers/cloud', { method: 'PUT', body: JSON.stringify({ name: 'cloud', kind: 'openai', baseUrl: `${thief.url}/v1` }) });
    expect(moved.status).toBe(400);
    const body = await moved.json();
    expect(body.errors[0]).toMatchObject({ field: 'apiKey', message: expect.stringMatching(/never follows a changed origin/) });
    // A headless gateway takes no typed key: the message says what can be done instead.
    expect(body.errors[0].message).toMatch(/name another variable, or make the change on this machine with switchyard import$/);
    expect(h.gateway.config().providers[1]?.baseUrl).toBe(`${openai.url}/v1`);
    // A patch of the base URL alone (the dashboard's form sends one) is held to the same rule.
    const patched = await h.admin('/admin/api/providers/cloud', { method: 'PATCH', body: JSON.stringify({ baseUrl: `${thief.url}/v1` }) });
    expect(patched.status).toBe(400);
    expect((await patched.json()).errors[0]).toMatchObject({ field: 'apiKey', message: expect.stringMatching(/never follows a changed origin/) });
    expect(h.gateway.config().providers[1]?.baseUrl).toBe(`${openai.url}/v1`);
    const keyless = await h.admin('/admin/api/providers/cloud', { method: 'PUT', body: JSON.stringify({ name: 'cloud', kind: 'openai', baseUrl: `${thief.url}/v1`, apiKey: null }) });
    expect(keyless.status).toBe(200);
    await post('/v1/chat/completions', { model: 'mini', messages: [{ role: 'user', content: 'x' }] });
    expect(thief.requests.at(-1)?.headers.authorization).toBeUndefined();
  });

  it('refuses a key given back to a provider at another origin after it was taken off, or to a new provider after its own was removed', async () => {
    const keyless = await h.admin('/admin/api/providers/cloud', { method: 'PUT', body: JSON.stringify({ name: 'cloud', kind: 'openai', baseUrl: `${thief.url}/v1`, apiKey: null }) });
    expect(keyless.status).toBe(200);
    const given = await h.admin('/admin/api/providers/cloud', { method: 'PATCH', body: JSON.stringify({ apiKey: 'env:TEST_KEY' }) });
    expect(given.status).toBe(400);
    expect((await given.json()).errors[0]).toMatchObject({ field: 'apiKey', message: expect.stringMatching(/^the key env:TEST_KEY is sent to http:\/\/127\.0\.0\.1:\d+, and a stored key never follows a changed origin/) });
    // The same in two edits of the whole config: the provider removed, then one of the same name at
    // the other server (refused); where it was sent before, it may go again.
    expect(await cloudRemovedThenMoved(h, config(), `${thief.url}/v1`)).toEqual([200, 400, 200]);
    await post('/v1/chat/completions', { model: 'mini', messages: [{ role: 'user', content: 'x' }] });
    expect(thief.requests.some((r) => r.headers.authorization !== undefined)).toBe(false);
  });

  it('refuses an import that points a stored key at another origin, and says so in the preview', async () => {
    const moved = structuredClone(config());
    moved.providers[1]!.baseUrl = `${thief.url}/v1`;
    const preview = await h.admin('/admin/api/config/preview', { method: 'POST', body: JSON.stringify({ config: moved }) }).then((r) => r.json());
    expect(preview.valid).toBe(false);
    expect(preview.errors[0].path).toBe('providers[1].apiKey');
    expect((await h.admin('/admin/api/config/import', { method: 'POST', body: JSON.stringify({ config: moved }) })).status).toBe(400);
    await post('/v1/chat/completions', { model: 'mini', messages: [{ role: 'user', content: 'x' }] });
    expect(thief.requests).toHaveLength(0);
  });

  it('tests a connection with a stored key only where the config already sends it; any other needs the key typed in', async () => {
    const test = (body: Record<string, unknown>) => h.admin('/admin/api/providers/test', { method: 'POST', body: JSON.stringify({ name: 'x', kind: 'openai', ...body }) });
    expect((await test({ baseUrl: `${thief.url}/v1`, apiKey: 'env:TEST_KEY' })).status).toBe(400);
    expect((await test({ baseUrl: `${thief.url}/v1`, apiKey: 'env:HOME' })).status).toBe(400);
    expect(thief.requests).toHaveLength(0);
    const own = await test({ baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY' }).then((r) => r.json());
    expect(own.ok).toBe(true);
    const typed = await test({ baseUrl: `${thief.url}/v1`, apiKeyValue: 'sk-typed-for-this-test' }).then((r) => r.json());
    expect(typed.ok).toBe(true);
    expect(thief.requests.at(-1)?.headers.authorization).toBe('Bearer sk-typed-for-this-test');
  });
});

describe('on a gateway open to the network, a key no provider has used yet', () => {
  it('is given from the dashboard only to a server on this machine; one elsewhere is named on the machine itself', async () => {
    const exposed = await startGateway(config(), { host: '0.0.0.0' });
    try {
      const add = (baseUrl: string) => exposed.admin('/admin/api/providers', { method: 'POST', body: JSON.stringify({ name: 'added', kind: 'openai', baseUrl, apiKey: 'env:HOME' }) });
      // No request is made: the address is never reached, the edit is refused as it is read.
      const away = await add('https://models.example.com/v1');
      expect(away.status).toBe(400);
      expect((await away.json()).errors[0]).toMatchObject({
        field: 'apiKey',
        message: 'no provider has used the key env:HOME yet, and this gateway is open to the network: from the dashboard a key\'s first server must be on this machine; for https://models.example.com, name it on this machine with switchyard import (or in the --config file)',
      });
      // An import from the dashboard, and its preview, are held to the same rule.
      const imported = structuredClone(config()) as { providers: unknown[] };
      imported.providers.push({ name: 'added', kind: 'openai', baseUrl: 'https://models.example.com/v1', apiKey: 'env:HOME' });
      const preview = await exposed.admin('/admin/api/config/preview', { method: 'POST', body: JSON.stringify({ config: imported }) }).then((r) => r.json());
      expect(preview).toMatchObject({ valid: false, errors: [{ path: 'providers[2].apiKey' }] });
      expect((await exposed.admin('/admin/api/config/import', { method: 'POST', body: JSON.stringify({ config: imported }) })).status).toBe(400);
      // A name that starts like a loopback address is no server on this machine.
      expect((await add('http://127.0.0.1.models.example.com/v1')).status).toBe(400);
      expect(exposed.gateway.config().providers.map((p) => p.name)).toEqual(['local', 'cloud']);
      // A server on this machine may have it; a key already in use goes where it is already sent.
      expect((await add(`${openai.url}/v1`)).status).toBe(201);
      const second = await exposed.admin('/admin/api/providers', { method: 'POST', body: JSON.stringify({ name: 'second', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY' }) });
      expect(second.status).toBe(201);
    } finally {
      await exposed.stop();
    }
  });

  it('is given anywhere on a gateway on this machine alone, whose sessions can read its environment anyway', async () => {
    const added = await h.admin('/admin/api/providers', { method: 'POST', body: JSON.stringify({ name: 'added', kind: 'openai', baseUrl: 'https://models.example.com/v1', apiKey: 'env:HOME' }) });
    expect(added.status).toBe(201);
  });
});

describe('a key typed in the dashboard', () => {
  it('is kept apart from every key another provider or another server had: a provider given a renamed one\'s old name does not take its key', async () => {
    const kept = new Map<string, string>();
    const secrets = {
      resolve: (reference: string) => (reference.startsWith('secret:') ? kept.get(reference.slice(7)) : undefined),
      store: async (name: string, value: string) => (kept.set(name, value), `secret:${name}`),
      describe: () => ({ backend: 'test', protected: true, canStore: true }),
    };
    const desk = await startGateway(config(), { secrets });
    const other = await startFakeOpenAI();
    try {
      const provider = (method: string, path: string, body: unknown) => desk.admin(`/admin/api/providers${path}`, { method, body: JSON.stringify(body) });
      const keyOf = (name: string) => desk.gateway.config().providers.find((p) => p.name === name)?.apiKey;
      expect((await provider('PATCH', '/cloud', { apiKeyValue: 'sk-openai-key' })).status).toBe(200);
      expect((await provider('PATCH', '/cloud', { name: 'openai' })).status).toBe(200);
      expect((await provider('POST', '', { name: 'cloud', kind: 'openai', baseUrl: `${other.url}/v1`, apiKeyValue: 'sk-other-key' })).status).toBe(201);
      expect(keyOf('cloud')).not.toBe(keyOf('openai'));
      expect(secrets.resolve(keyOf('openai') as string)).toBe('sk-openai-key');
      expect(secrets.resolve(keyOf('cloud') as string)).toBe('sk-other-key');
      const res = await fetch(`${desk.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'mini', messages: [{ role: 'user', content: 'hi' }] }) });
      expect(res.status).toBe(200);
      expect(openai.requests.at(-1)?.headers.authorization).toBe('Bearer sk-openai-key');

      // Typed again for the same server, a key replaces the one kept for it; typed for another server
      // (the provider moved), it is kept apart, and the first server's stays as a restore would want it.
      expect((await provider('PATCH', '/openai', { apiKeyValue: 'sk-rotated' })).status).toBe(200);
      const first = keyOf('openai') as string;
      expect((await provider('PATCH', '/openai', { apiKeyValue: 'sk-rotated-again' })).status).toBe(200);
      expect(keyOf('openai')).toBe(first);
      expect((await provider('PATCH', '/openai', { baseUrl: `${other.url}/v1`, apiKeyValue: 'sk-moved-key' })).status).toBe(200);
      expect(keyOf('openai')).not.toBe(first);
      expect([secrets.resolve(first), secrets.resolve(keyOf('openai') as string)]).toEqual(['sk-rotated-again', 'sk-moved-key']);
    } finally {
      await desk.stop();
      await other.stop();
    }
  });
});
