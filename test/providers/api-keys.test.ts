/**
 * A key as people copy it: with a line break or spaces around it (a Windows-edited .env file, a
 * password manager, a terminal selection), or inside the .env line or the header it was copied from
 * (`OPENAI_API_KEY="sk-..."`, `Bearer sk-...`), it is sent without them; with a space, line break or
 * typographic character inside it the provider is unavailable and says so, where undici's "invalid
 * authorization header" failed every request before. A header value no request can carry is refused
 * with the config. No message repeats the key. A key typed again under its reference is the one sent next.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEncryptedSecrets } from '../../electron/main/secrets';
import { validateConfig } from '../../gateway/config/validate';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, twoTierConfig } from '../support/harness';

let ollama: FakeServer;
let openai: FakeServer;
beforeAll(async () => {
  ollama = await startFakeOllama();
  openai = await startFakeOpenAI();
});
afterAll(() => stopAll(undefined, ollama, openai));

const cloudOnly = () => ({ ...twoTierConfig({ ollama: ollama.url, openai: openai.url }), routes: [{ name: 'default', deployments: ['mini'] }] });
const chat = (baseUrl: string) =>
  fetch(`${baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'hi' }] }) });

describe('a key from the environment', () => {
  it('is sent without the line break and spaces around it, and shown by its own last four characters', async () => {
    openai.reset();
    const h = await startGateway(cloudOnly(), { env: { TEST_KEY: '  sk-test-5678\r\n' } });
    try {
      const answer = await h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'hi' }] });
      expect(answer.choices[0]?.message.content).toBe('Echo: hi');
      expect(openai.requests.at(-1)?.headers.authorization).toBe('Bearer sk-test-5678');
      const { providers } = await (await h.admin('/admin/api/providers')).json();
      expect(providers.find((p: { name: string }) => p.name === 'cloud').apiKey).toEqual({ reference: 'env:TEST_KEY', set: true, last4: '5678', problem: null });
    } finally {
      await h.stop();
    }
  });

  it.each([['"sk-test-5678"'], ["'sk-test-5678'\n"], ['TEST_KEY="sk-test-5678"'], ['export OPENAI_API_KEY=sk-test-5678'], ['Bearer sk-test-5678']])('is sent without the .env line or header it was copied from: %j', async (key) => {
    openai.reset();
    const h = await startGateway(cloudOnly(), { env: { TEST_KEY: key } });
    try {
      expect((await chat(h.baseUrl)).status).toBe(200);
      expect(openai.requests.at(-1)?.headers.authorization).toBe('Bearer sk-test-5678');
    } finally {
      await h.stop();
    }
  });

  it.each([
    ['sk-test 5678', 'a space at character 8'],
    ['sk-test-56\n78', 'a line break at character 11'],
    ['sk-test\u20145678', 'the character U+2014 at character 8'],
  ])('with %j inside it makes its provider unavailable, saying what is wrong and not what the key is', async (key, flaw) => {
    openai.reset();
    const h = await startGateway(cloudOnly(), { env: { TEST_KEY: key } });
    try {
      const response = await chat(h.baseUrl);
      expect(response.status).toBe(503);
      const { error } = await response.json();
      expect(error.code).toBe('no_deployment_available');
      const reason = `its API key TEST_KEY has ${flaw}: copy the key again`;
      expect(error.message).toContain(reason);
      expect(error.message).not.toContain('5678');
      const health = await (await fetch(`${h.url}/health`)).json();
      expect(health.providers.find((p: { name: string }) => p.name === 'cloud')).toMatchObject({ status: 'unavailable', reason });
      expect(openai.requests).toHaveLength(0);
      // The dashboard's provider list says the key is set, and why it cannot be sent.
      const { providers } = await (await h.admin('/admin/api/providers')).json();
      expect(providers.find((p: { name: string }) => p.name === 'cloud').apiKey).toMatchObject({ set: true, problem: `it has ${flaw}` });
    } finally {
      await h.stop();
    }
  });
});

describe('a key typed in the dashboard', () => {
  it('is kept without what surrounds it, refused with what is wrong when no provider would take it, and sent (and probed) at once when typed again', async () => {
    openai.reset();
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-keys-'));
    const cipher = { available: async () => true, backend: () => 'keychain', encrypt: async (text: string) => Buffer.from(text, 'utf8'), decrypt: async (data: Buffer) => data.toString('utf8') };
    const secrets = await createEncryptedSecrets({ cipher, file: join(dir, 'keys.json'), env: {} });
    // Probing runs, on a clock that stands still: only a probe asked for at once happens.
    const h = await startGateway({ ...cloudOnly(), providers: [cloudOnly().providers[0]], deployments: [], routes: [] }, { secrets, healthChecks: true, now: () => Date.parse('2026-11-23T10:00:00Z') });
    try {
      const provider = { name: 'typed', kind: 'openai', baseUrl: `${openai.url}/v1`, local: false };
      const post = (path: string, apiKeyValue: string) => h.admin(`/admin/api${path}`, { method: 'POST', body: JSON.stringify({ ...provider, apiKeyValue }) });

      const refused = await post('/providers', 'sk-typed\u201d9999');
      expect(refused.status).toBe(400);
      const { error } = await refused.json();
      expect(error).toMatchObject({ param: 'apiKeyValue', message: 'The key has the character U+201D at character 9, which no API key has: paste the key again' });
      expect(await (await post('/providers/test', 'sk-typed 9999')).json()).toMatchObject({ error: { param: 'apiKeyValue', message: expect.stringContaining('a space at character 9') } });
      expect((await post('/providers', ' \n ')).status).toBe(400);
      expect((await (await h.admin('/admin/api/providers')).json()).providers.map((p: { name: string }) => p.name)).toEqual(['local']);

      const kept = await post('/providers', ' OPENAI_API_KEY="sk-typed-9999"\r\n');
      expect(kept.status).toBe(201);
      expect((await kept.json()).apiKey).toEqual({ reference: 'secret:typed', set: true, last4: '9999', problem: null });
      expect(secrets.resolve('secret:typed')).toBe('sk-typed-9999');
      const tested = await post('/providers/test', '\tBearer sk-typed-9999 ');
      expect(tested.status).toBe(200);
      expect(openai.requests.at(-1)?.headers.authorization).toBe('Bearer sk-typed-9999');

      // Typed again (a key rotated, or a wrong one fixed): it keeps its reference, secret:typed, and
      // the next request sends the new key, where the provider went on with the old one until a restart.
      expect((await h.admin('/admin/api/deployments', { method: 'POST', body: JSON.stringify({ name: 'typed-mini', provider: 'typed', model: 'gpt-4.1-mini' }) })).status).toBe(201);
      const sent = async () => {
        await h.openai.chat.completions.create({ model: 'typed-mini', messages: [{ role: 'user', content: 'hi' }] });
        return openai.requests.at(-1)?.headers.authorization;
      };
      expect(await sent()).toBe('Bearer sk-typed-9999');
      await expect.poll(() => h.gateway.health.latest('typed')?.ok).toBe(true);
      const again = await h.admin('/admin/api/providers/typed', { method: 'PATCH', body: JSON.stringify({ apiKeyValue: 'sk-typed-0000' }) });
      expect((await again.json()).apiKey).toEqual({ reference: 'secret:typed', set: true, last4: '0000', problem: null });
      expect(await sent()).toBe('Bearer sk-typed-0000');
      await expect.poll(() => openai.requests.some((r) => r.path === '/v1/models' && r.headers.authorization === 'Bearer sk-typed-0000')).toBe(true);
    } finally {
      await h.stop();
      await secrets.flushed();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

it('a header value no request can carry is refused with the config, saying where', () => {
  const config = twoTierConfig({ ollama: 'http://127.0.0.1:11434', openai: 'https://api.example.com' });
  config.providers[1] = { ...config.providers[1]!, headers: { 'x-team': 'research\n', 'x-note': 'caf\u00e9' } } as never;
  const result = validateConfig(config);
  expect(result.ok).toBe(false);
  expect(!result.ok && result.errors).toEqual([{ path: 'providers[1].headers.x-team', message: 'the value has a line break (at character 9), which no HTTP header can carry' }]);
});
