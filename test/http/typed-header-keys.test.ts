/**
 * A key typed for a provider's header (a proxy's `x-api-key`, Cloudflare Access's secret) where the
 * gateway keeps keys (the desktop app's encrypted store): kept as the API key is, the header naming
 * it, sent as the key; refused, saying what to do, where keys come from the environment; refused
 * with nothing kept where no header could carry it or the change is refused; and a connection test
 * sends a typed one to the server being tested alone.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createEncryptedSecrets } from '../../electron/main/secrets';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, tempDir, twoTierConfig, type Harness } from '../support/harness';

let ollama: FakeServer;
let openai: FakeServer;
let desktop: Harness;
let headless: Harness;
const dir = tempDir();
const cipher = { available: async () => true, backend: () => 'keychain', encrypt: async (text: string) => Buffer.from(text), decrypt: async (data: Buffer) => data.toString() };
const secrets = await createEncryptedSecrets({ cipher, file: join(dir.path, 'secrets.json'), env: { TEST_KEY: 'sk-test' } });
const config = () => twoTierConfig({ ollama: ollama.url, openai: openai.url });
const put = (h: Harness, body: Record<string, unknown>) => h.admin('/admin/api/providers/cloud', { method: 'PUT', body: JSON.stringify({ name: 'cloud', kind: 'openai', baseUrl: `${openai.url}/v1`, local: false, ...body }) });
const ask = (h: Harness) => h.openai.chat.completions.create({ model: 'mini', messages: [{ role: 'user', content: 'hi' }] });

beforeAll(async () => {
  ollama = await startFakeOllama();
  openai = await startFakeOpenAI();
  desktop = await startGateway(config(), { secrets });
  headless = await startGateway(config());
});
afterAll(async () => {
  await stopAll(desktop, headless, ollama, openai);
  dir.remove();
});
beforeEach(async () => {
  await resetBetweenTests(desktop, [ollama, openai], config());
  await resetBetweenTests(headless, [], config());
});

it("keeps a key typed for a header, in place of the header of that name in any case, and sends it as the header's value", async () => {
  const saved = await put(desktop, { headers: { 'x-api-key': 'plain-text', 'x-team': 'a' }, headerKeyValues: { 'X-Api-Key': '  proxy-secret-9876\n' } });
  expect(saved.status, await saved.clone().text()).toBe(200);
  const view = await saved.json();
  expect(view.headers).toEqual({ 'x-team': 'a', 'X-Api-Key': 'secret:cloud.x-api-key' });
  expect(view.headerKeys).toEqual([{ header: 'X-Api-Key', reference: 'secret:cloud.x-api-key', set: true }]);
  expect(JSON.stringify(view)).not.toContain('proxy-secret-9876');
  expect(secrets.resolve('secret:cloud.x-api-key')).toBe('proxy-secret-9876');
  await ask(desktop);
  expect(openai.requests.at(-1)?.headers).toMatchObject({ 'x-api-key': 'proxy-secret-9876', 'x-team': 'a', authorization: 'Bearer sk-test' });

  // Typed again, by a patch: kept under the same name (the same server), the new one sent.
  const patched = await desktop.admin('/admin/api/providers/cloud', { method: 'PATCH', body: JSON.stringify({ headerKeyValues: { 'X-Api-Key': 'proxy-secret-0000' } }) });
  expect(patched.status).toBe(200);
  expect((await patched.json()).headers['X-Api-Key']).toBe('secret:cloud.x-api-key');
  await ask(desktop);
  expect(openai.requests.at(-1)?.headers['x-api-key']).toBe('proxy-secret-0000');
});

it("keeps a header's key under a name of its own where another provider's header names that one, at the same server too", async () => {
  const [local, cloud] = config().providers;
  const twin = { ...cloud, name: 'cloud-b', apiKey: undefined, headers: { 'x-api-key': 'secret:cloud.x-api-key' } };
  desktop.gateway.applyConfig({ ...config(), providers: [local, cloud, twin] }, 'test');
  const saved = await put(desktop, { apiKey: 'env:TEST_KEY', headerKeyValues: { 'x-api-key': 'proxy-secret-2' } });
  expect(saved.status, await saved.clone().text()).toBe(200);
  expect((await saved.json()).headers).toEqual({ 'x-api-key': 'secret:cloud.x-api-key.2' });
  expect(secrets.resolve('secret:cloud.x-api-key.2')).toBe('proxy-secret-2');
});

it("keeps a header's key apart from the provider's other keys, and refuses a header given twice in any case", async () => {
  // Its x-b header's key named by hand as x-a's would be: typing x-a's key leaves it be.
  const saved = await put(desktop, { headers: { 'x-b': 'secret:cloud.x-a' }, headerKeyValues: { 'x-a': 'key-a' } });
  expect(saved.status, await saved.clone().text()).toBe(200);
  expect((await saved.json()).headers).toEqual({ 'x-b': 'secret:cloud.x-a', 'x-a': 'secret:cloud.x-a.2' });
  // Two long header names alike for the 128 characters a name may have: each its own key all the same.
  const [long1, long2] = [`x-${'a'.repeat(125)}1`, `x-${'a'.repeat(125)}2`];
  const alike = await put(desktop, { headerKeyValues: { [long1]: 'key-one', [long2]: 'key-two' } });
  expect(alike.status, await alike.clone().text()).toBe(200);
  const headers = (await alike.json()).headers as Record<string, string>;
  expect(headers[long1]).not.toBe(headers[long2]);
  expect([secrets.resolve(headers[long1]!), secrets.resolve(headers[long2]!)]).toEqual(['key-one', 'key-two']);
  const twice = await put(desktop, { headerKeyValues: { 'x-c': 'one', 'X-C': 'two' } });
  expect(twice.status).toBe(400);
  expect((await twice.json()).error).toMatchObject({ param: 'headerKeyValues.X-C', message: 'X-C is given twice (header names are the same in any case)' });
});

it('keeps nothing when the key could not be sent in a header or the change is refused, and does not say the key back', async () => {
  const before = secrets.kept?.() ?? [];
  const broken = await put(desktop, { headerKeyValues: { authorization: 'Basic dXNlcjpw\nYXNz' } });
  expect(broken.status).toBe(400);
  const text = await broken.text();
  expect(JSON.parse(text).error).toMatchObject({ param: 'headerKeyValues.authorization', message: expect.stringMatching(/^The authorization header's key has a line break \(at character 15\), which no HTTP header can carry/) });
  expect(text).not.toContain('dXNlcjpw');
  const refused = await put(desktop, { baseUrl: 'not a url', headerKeyValues: { authorization: 'Basic dXNlcjpwYXNz' } });
  expect(refused.status).toBe(400);
  expect(secrets.kept?.()).toEqual(before);
  expect(desktop.gateway.config().providers[1]?.headers).toBeUndefined();
});

it('refuses a typed header key where keys come from the environment, saying how to name one instead', async () => {
  const refused = await put(headless, { headerKeyValues: { 'x-api-key': 'proxy-secret' } });
  expect(refused.status).toBe(400);
  expect((await refused.json()).error).toMatchObject({ param: 'headerKeyValues', message: expect.stringMatching(/environment variables: set one .* write env:PROXY_TOKEN as the header's value$/) });
  expect(headless.gateway.config().providers[1]?.headers).toBeUndefined();
});

it("tests a provider with a header's key typed in the form, sent to the server tested alone and kept nowhere", async () => {
  const tested = await desktop.admin('/admin/api/providers/test', { method: 'POST', body: JSON.stringify({ name: 'draft', kind: 'openai', baseUrl: `${openai.url}/v1`, headers: { 'cf-access-client-id': 'id.access' }, headerKeyValues: { 'CF-Access-Client-Secret': 'cf-secret-1234' } }) });
  expect((await tested.json()).ok).toBe(true);
  expect(openai.requests.at(-1)?.headers).toMatchObject({ 'cf-access-client-id': 'id.access', 'cf-access-client-secret': 'cf-secret-1234' });
  expect(secrets.kept?.()).not.toContain('draft.cf-access-client-secret');
});
