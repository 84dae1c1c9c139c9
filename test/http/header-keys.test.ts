/**
 * A provider's header whose value names a key (`env:NAME`, `secret:NAME`): Azure OpenAI's classic
 * `api-key`, a proxy's `authorization`, Cloudflare Access's service token; and the API key itself
 * sent in another header than Authorization (`keyHeader`). The key is sent in that
 * header (the config and the admin API hold only its name); an unset one makes the provider unusable
 * with that reason, as an unset API key does; and it is bound to the provider's origin as an API key
 * is: moved with the provider to another server, given to a provider at another server, or sent by a
 * connection test where no saved provider sends it, it is refused and nothing reaches that server.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { unusedKeys } from '../../gateway/surfaces/admin/kept-keys';
import type { Config } from '../../gateway/config/schema';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { cloudRemovedThenMoved, resetBetweenTests, startGateway, stopAll, twoTierConfig, type Harness } from '../support/harness';

let ollama: FakeServer;
let openai: FakeServer;
let thief: FakeServer;
let h: Harness;
/** The cloud provider takes its key in an `api-key` header, as Azure OpenAI's classic API does. */
const config = (headers: Record<string, string> = { 'api-key': 'env:TEST_KEY', 'x-title': 'switchyard' }) => {
  const base = twoTierConfig({ ollama: ollama.url, openai: openai.url });
  const { apiKey: _key, ...cloud } = base.providers[1] as Config['providers'][number];
  return { ...base, providers: [base.providers[0], { ...cloud, headers }] };
};
const chat = (model: string) =>
  fetch(`${h.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) });

beforeAll(async () => {
  ollama = await startFakeOllama();
  openai = await startFakeOpenAI();
  thief = await startFakeOpenAI();
  h = await startGateway(config());
});
afterAll(() => stopAll(h, ollama, openai, thief));
beforeEach(() => resetBetweenTests(h, [ollama, openai, thief], config()));

describe('a header naming a key', () => {
  it('is sent as the key it names, beside the headers given as they are; the config and the admin API hold only its name', async () => {
    expect((await chat('mini')).status).toBe(200);
    const sent = openai.requests.at(-1)?.headers ?? {};
    expect(sent['api-key']).toBe('sk-test-secret-1234');
    expect(sent['x-title']).toBe('switchyard');
    expect(sent.authorization).toBeUndefined();
    const views = (await (await h.admin('/admin/api/providers')).json()) as { providers: { name: string; headers?: Record<string, string>; headerKeys: unknown[] }[] };
    expect(views.providers.find((p) => p.name === 'cloud')).toMatchObject({ headers: { 'api-key': 'env:TEST_KEY', 'x-title': 'switchyard' }, headerKeys: [{ header: 'api-key', reference: 'env:TEST_KEY', set: true }] });
    expect(JSON.stringify(await (await h.admin('/admin/api/config')).json())).not.toContain('sk-test-secret-1234');
  });

  it('makes its provider unusable while the key it names is not set, saying so, and the route goes on without it', async () => {
    await resetBetweenTests(h, [openai], config({ 'api-key': 'env:SWITCHYARD_TEST_UNSET_KEY' }));
    const refused = await chat('mini');
    expect(refused.status).toBe(503);
    expect(JSON.stringify(await refused.json())).toContain("provider cloud cannot be used: its api-key header's key SWITCHYARD_TEST_UNSET_KEY is not set");
    const views = (await (await h.admin('/admin/api/providers')).json()) as { providers: { name: string; headerKeys: unknown[] }[] };
    expect(views.providers.find((p) => p.name === 'cloud')?.headerKeys).toEqual([{ header: 'api-key', reference: 'env:SWITCHYARD_TEST_UNSET_KEY', set: false }]);
    const moved = await chat('cloud-first');
    expect(moved.headers.get('x-switchyard-deployment')).toBe('llama');
    expect(openai.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(0);
  });
});

describe("a provider's keyHeader", () => {
  // Azure OpenAI's classic API takes its key as it is in api-key; a key typed in the desktop app can go there too.
  it('sends the API key as it is in the header it names, and no Authorization', async () => {
    const base = twoTierConfig({ ollama: ollama.url, openai: openai.url });
    await resetBetweenTests(h, [openai], { ...base, providers: [base.providers[0], { ...base.providers[1], keyHeader: 'api-key' }] });
    expect((await chat('mini')).status).toBe(200);
    const sent = openai.requests.at(-1)?.headers ?? {};
    expect(sent['api-key']).toBe('sk-test-secret-1234');
    expect(sent.authorization).toBeUndefined();
    await resetBetweenTests(h, [openai], base);
    expect((await chat('mini')).status).toBe(200);
    expect(openai.requests.at(-1)?.headers.authorization).toBe('Bearer sk-test-secret-1234');
  });
});

describe("a header's key never follows a changed origin", () => {
  it('refuses the provider moved to another server with it, and a new provider at another server given it', async () => {
    const moved = await h.admin('/admin/api/providers/cloud', { method: 'PATCH', body: JSON.stringify({ baseUrl: `${thief.url}/v1` }) });
    expect(moved.status).toBe(400);
    expect((await moved.json()).errors[0]).toMatchObject({ field: 'headers.api-key', message: expect.stringMatching(/^the key env:TEST_KEY is sent to http:\/\/127\.0\.0\.1:\d+, and a stored key never follows a changed origin/) });
    const added = await h.admin('/admin/api/providers', { method: 'POST', body: JSON.stringify({ name: 'elsewhere', kind: 'openai', baseUrl: `${thief.url}/v1`, headers: { authorization: 'env:TEST_KEY' } }) });
    expect(added.status).toBe(400);
    expect((await added.json()).errors[0]).toMatchObject({ field: 'headers.authorization', message: expect.stringMatching(/never follows a changed origin/) });
    expect(h.gateway.config().providers.map((p) => p.baseUrl)).not.toContain(`${thief.url}/v1`);
    // Nor in two edits of the whole config: the provider removed, then one at the other server (its header's use is remembered).
    expect(await cloudRemovedThenMoved(h, config(), `${thief.url}/v1`)).toEqual([200, 400, 200]);
    // The same key given as a header where it is already sent is no move.
    const same = await h.admin('/admin/api/providers/cloud', { method: 'PATCH', body: JSON.stringify({ headers: { authorization: 'env:TEST_KEY' } }) });
    expect(same.status).toBe(200);
  });

  it('is not sent by a connection test to a server no saved provider sends it to', async () => {
    const tested = await h.admin('/admin/api/providers/test', { method: 'POST', body: JSON.stringify({ name: 'draft', kind: 'openai', baseUrl: `${thief.url}/v1`, headers: { 'api-key': 'env:TEST_KEY' } }) });
    expect(tested.status).toBe(400);
    expect((await tested.json()).errors[0]).toMatchObject({ field: 'headers.api-key', message: expect.stringMatching(/^env:TEST_KEY is not sent to http:\/\/127\.0\.0\.1:\d+ by any saved provider/) });
    expect(thief.requests).toHaveLength(0);
    // Where the saved provider sends it, the test sends it too.
    const here = await h.admin('/admin/api/providers/test', { method: 'POST', body: JSON.stringify({ name: 'draft', kind: 'openai', baseUrl: `${openai.url}/v1`, headers: { 'api-key': 'env:TEST_KEY' } }) });
    expect(((await here.json()) as { ok: boolean }).ok).toBe(true);
    expect(openai.requests.at(-1)?.headers['api-key']).toBe('sk-test-secret-1234');
  });
});

it("counts a key kept in the desktop's store as used while a provider's header names it", () => {
  const kept = { resolve: () => undefined, kept: () => ['azure', 'old'] };
  const named = { ...config({ 'api-key': 'secret:azure' }) } as Config;
  expect(unusedKeys(named, kept)).toEqual(['old']);
});
