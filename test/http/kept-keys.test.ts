/**
 * Keys the desktop app's store keeps for no provider (typed for one that now names an env:NAME, or
 * one deleted): listed in the settings, and each forgotten on request, off the disk; a key a provider
 * still uses, or one not kept, is refused. The store is the desktop app's own (electron/main/secrets.ts)
 * on a file, with a cipher that needs no keyring.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEncryptedSecrets } from '../../electron/main/secrets';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, tempDir, twoTierConfig, type Harness } from '../support/harness';

const dir = tempDir();
const file = join(dir.path, 'secrets.json');
const cipher = { available: async () => true, backend: () => 'keychain', encrypt: async (text: string) => Buffer.from(text), decrypt: async (data: Buffer) => data.toString() };
let ollama: FakeServer;
let openai: FakeServer;
let h: Harness;
beforeAll(async () => {
  [ollama, openai] = await Promise.all([startFakeOllama(), startFakeOpenAI()]);
  const secrets = await createEncryptedSecrets({ cipher, file, env: {} });
  h = await startGateway(twoTierConfig({ ollama: ollama.url, openai: openai.url }), { secrets });
});
afterAll(async () => {
  await stopAll(h, ollama, openai);
  dir.remove();
});

const json = (method: string, body?: unknown) => ({ method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
const unused = async () => ((await h.admin('/admin/api/settings').then((r) => r.json())) as { secrets: { unused: string[] } }).secrets.unused;

it('lists a kept key no provider names, forgets it off the disk, and refuses one in use or not kept', async () => {
  expect(await unused()).toEqual([]);
  expect((await h.admin('/admin/api/providers/cloud', json('PATCH', { apiKeyValue: 'sk-typed-1234' }))).status).toBe(200);
  expect(h.gateway.config().providers.find((p) => p.name === 'cloud')?.apiKey).toBe('secret:cloud');
  expect(await unused()).toEqual([]);
  const inUse = await h.admin('/admin/api/secrets/cloud', json('DELETE'));
  expect([inUse.status, (await inUse.json()).error.message]).toEqual([409, 'Provider cloud uses the key kept as "cloud": give it another key first']);

  // The provider takes a variable instead: its typed key stays kept (a restore may bring it back), and is listed.
  expect((await h.admin('/admin/api/providers/cloud', json('PATCH', { apiKey: 'env:TEST_KEY' }))).status).toBe(200);
  expect(await unused()).toEqual(['cloud']);
  expect(readFileSync(file, 'utf8')).toContain('"cloud"');

  const forgotten = await h.admin('/admin/api/secrets/cloud', json('DELETE'));
  expect([forgotten.status, await forgotten.json()]).toEqual([200, { forgotten: 'cloud' }]);
  expect(await unused()).toEqual([]);
  expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({});
  const gone = await h.admin('/admin/api/secrets/cloud', json('DELETE'));
  expect([gone.status, (await gone.json()).error.message]).toEqual([404, 'No key is kept as "cloud"']);
});
