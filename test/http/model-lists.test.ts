/**
 * What the gateway says about models. Health's "is the model in its provider's list" for a cloud
 * provider whose list names snapshots (Anthropic lists `claude-haiku-4-5-20251001`, first start
 * configures `claude-haiku-4-5`); one model retrieved in OpenAI's and Anthropic's shapes, by the real
 * SDKs; the lists a client key limited to some routes is shown; and Anthropic's list paged by its
 * cursors both ways.
 */
import Anthropic, { NotFoundError as AnthropicNotFound } from '@anthropic-ai/sdk';
import OpenAI, { NotFoundError } from 'openai';
import { Ollama } from 'ollama';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startGateway, stopAll, type Harness } from '../support/harness';

let anthropic: FakeServer;
let h: Harness;

beforeAll(async () => {
  anthropic = await startFakeAnthropic();
  const deployment = (name: string, model: string) => ({ name, provider: 'claude', model });
  h = await startGateway(
    {
      version: 1,
      providers: [{ name: 'claude', kind: 'anthropic', baseUrl: anthropic.url, apiKey: 'env:ANTHROPIC_TEST_KEY' }],
      deployments: [deployment('alias', 'claude-haiku-4-5'), deployment('snapshot', 'claude-sonnet-4-5-20250929'), deployment('typo', 'claude-haiku-4-6')],
      routes: [
        { name: 'default', deployments: ['alias', 'snapshot', 'typo'] },
        { name: 'fast', deployments: ['alias'] },
      ],
      aliases: { 'claude-*': 'fast', quick: 'fast', careful: 'default' },
    },
    { env: { ANTHROPIC_TEST_KEY: 'sk-ant-test' } },
  );
});
afterAll(() => stopAll(h, anthropic));

it('counts an alias as listed when its dated snapshot is, and still flags a name nothing lists', async () => {
  await h.gateway.health.probeAll();
  const health = await fetch(`${h.url}/health`).then((r) => r.json());
  expect(anthropic.requests.some((r) => r.method === 'GET' && r.path === '/v1/models')).toBe(true);
  const available = Object.fromEntries(health.deployments.map((d: { name: string; modelAvailable: boolean | null }) => [d.name, d.modelAvailable]));
  expect(available).toEqual({ alias: true, snapshot: true, typo: false });
  // What the name nothing lists most likely meant: the listed snapshot's alias a letter off.
  expect(health.deployments.map((d: { modelMeant: string | null }) => d.modelMeant)).toEqual([null, null, 'claude-haiku-4-5']);
});

it('retrieves one model in OpenAI\'s shape, and in Anthropic\'s for a client that says it speaks it', async () => {
  const openai = new OpenAI({ baseURL: h.baseUrl, apiKey: 'any', maxRetries: 0 });
  const anthropicClient = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
  expect(await openai.models.retrieve('default')).toMatchObject({ id: 'default', object: 'model', owned_by: 'switchyard' });
  expect(await openai.models.retrieve('snapshot')).toMatchObject({ id: 'snapshot', object: 'model', owned_by: 'claude' });
  // A name an alias pattern matches is a model a request can name, so it can be retrieved too.
  expect(await openai.models.retrieve('claude-opus-4-7')).toMatchObject({ id: 'claude-opus-4-7', owned_by: 'switchyard' });
  expect(await anthropicClient.models.retrieve('fast')).toMatchObject({ type: 'model', id: 'fast', display_name: 'fast (Switchyard route)' });
  expect(await anthropicClient.models.retrieve('quick')).toMatchObject({ type: 'model', id: 'quick', display_name: 'quick (alias of fast)' });

  const missing = await openai.models.retrieve('nothing/of-the-sort').catch((e: unknown) => e);
  expect(missing).toBeInstanceOf(NotFoundError);
  expect((missing as NotFoundError).error).toMatchObject({ code: 'model_not_found', param: 'model', message: 'The model "nothing/of-the-sort" does not exist' });
  const missingAnthropic = await anthropicClient.models.retrieve('gpt-9').catch((e: unknown) => e);
  expect(missingAnthropic).toBeInstanceOf(AnthropicNotFound);
  expect((missingAnthropic as AnthropicNotFound).error).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
});

it('shows a key limited to some routes only those, and the aliases that reach them, in every list', async () => {
  const { key } = h.gateway.keys.create('fast-only', { allowedRoutes: ['fast'] });
  const openai = new OpenAI({ baseURL: h.baseUrl, apiKey: key, maxRetries: 0 });
  const ids = (await openai.models.list()).data.map((m) => m.id);
  expect(ids).toEqual(['fast', 'quick']);
  const anthropicIds = (await new Anthropic({ baseURL: h.url, apiKey: key, maxRetries: 0 }).models.list()).data.map((m) => m.id);
  expect(anthropicIds).toEqual(['fast', 'quick']);
  const tags = await new Ollama({ host: h.url, headers: { authorization: `Bearer ${key}` } }).list();
  expect(tags.models.map((m) => m.name)).toEqual(['fast', 'quick']);
  // What it may not use is not found for it; without the key, everything is listed.
  expect(await openai.models.retrieve('default').catch((e: unknown) => e)).toBeInstanceOf(NotFoundError);
  expect(await openai.models.retrieve('claude-sonnet-4-6')).toMatchObject({ id: 'claude-sonnet-4-6' });
  // A typo is told the name it was meant to be, among what this key may list only.
  expect(((await openai.models.retrieve('fats').catch((e: unknown) => e)) as NotFoundError).error).toMatchObject({ message: 'The model "fats" does not exist (did you mean "fast"?)' });
  expect(((await openai.models.retrieve('defualt').catch((e: unknown) => e)) as NotFoundError).error).toMatchObject({ message: 'The model "defualt" does not exist' });
  // A name with a vendor's prefix, as a LiteLLM-style tool writes it.
  expect(((await openai.models.retrieve('openai/fast').catch((e: unknown) => e)) as NotFoundError).error).toMatchObject({ message: 'The model "openai/fast" does not exist (did you mean "fast"?)' });
  // Ollama's /api/show says the same (a limited key is told the names it may use, before any lookup).
  await expect(new Ollama({ host: h.url }).show({ model: 'defualt' })).rejects.toMatchObject({ status_code: 404, error: 'model "defualt" not found (did you mean "default"?)' });
  const everything = (await new OpenAI({ baseURL: h.baseUrl, apiKey: 'any', maxRetries: 0 }).models.list()).data.map((m) => m.id);
  expect(everything).toEqual(['default', 'fast', 'alias', 'snapshot', 'typo', 'quick', 'careful']);
});

it('gives Codex, which asks with its version, the `models` catalog it decodes, beside the list every other client reads', async () => {
  const codex = await fetch(`${h.baseUrl}/models?client_version=0.144.6`, { headers: { authorization: 'Bearer k' } }).then((r) => r.json());
  expect(codex.models).toEqual([]);
  expect(codex.data.map((m: { id: string }) => m.id)).toContain('default');
  const plain = await fetch(`${h.baseUrl}/models`).then((r) => r.json());
  expect(plain).not.toHaveProperty('models');
  expect(plain).toEqual({ object: 'list', data: codex.data });
});

it('pages the Anthropic list forward and back with the SDK, and says a cursor no longer listed is not', async () => {
  const client = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
  const whole = (await client.models.list({ limit: 1000 })).data.map((m) => m.id);
  expect(whole.length).toBeGreaterThan(4);
  const forward: string[] = [];
  for await (const model of client.models.list({ limit: 2 })) forward.push(model.id);
  expect(forward).toEqual(whole);
  const back = await client.models.list({ limit: 2, before_id: whole[3] });
  expect(back.data.map((m) => m.id)).toEqual(whole.slice(1, 3));
  // A route renamed between pages: its id as a cursor gave the first page again (a pager saw every model twice).
  for (const cursor of ['after_id', 'before_id']) {
    const res = await fetch(`${h.url}/v1/models?${cursor}=gone-route`, { headers: { 'anthropic-version': '2023-06-01' } });
    expect([res.status, await res.json()]).toEqual([400, { type: 'error', error: { type: 'invalid_request_error', message: `${cursor} "gone-route" is not a model in this list (the models changed since the page that gave it?): list again from the first page` }, request_id: expect.stringMatching(/^req_/) }]);
  }
  // A cursor is a model's id: one longer than any is refused before a lookup, and said back cut short.
  const long = await fetch(`${h.url}/v1/models?after_id=${'x'.repeat(3000)}`, { headers: { 'anthropic-version': '2023-06-01' } });
  expect([long.status, (await long.json()).error.message]).toEqual([400, expect.stringMatching(/^Invalid query string: after_id must not have more than 256 characters \(got "x{20,100}\.\.\.\)$/)]);
});

it("leaves embeddings out of Anthropic's list (the Messages API cannot use them): the deployments, a route of them and an alias of either", async () => {
  const mixed = await startGateway({
    version: 1,
    providers: [{ name: 'local', kind: 'ollama', baseUrl: 'http://127.0.0.1:9' }],
    deployments: [
      { name: 'llama', provider: 'local', model: 'llama3.2:3b' },
      { name: 'embedder', provider: 'local', model: 'nomic-embed-text', type: 'embedding' },
    ],
    routes: [
      { name: 'chat', deployments: ['llama'] },
      { name: 'embed', deployments: ['embedder'] },
    ],
    aliases: { talk: 'chat', vectors: 'embed', 'nomic-raw': 'embedder' },
  });
  try {
    const anthropicClient = new Anthropic({ baseURL: mixed.url, apiKey: 'any', maxRetries: 0 });
    expect((await anthropicClient.models.list()).data.map((m) => m.id)).toEqual(['chat', 'llama', 'talk']);
    for (const name of ['embed', 'embedder', 'vectors', 'nomic-raw']) {
      const refused = await anthropicClient.models.retrieve(name).catch((e: unknown) => e);
      expect(refused, name).toBeInstanceOf(AnthropicNotFound);
    }
    // OpenAI's list names them all: its clients embed too.
    expect((await mixed.openai.models.list()).data.map((m) => m.id)).toEqual(['chat', 'embed', 'llama', 'embedder', 'talk', 'vectors', 'nomic-raw']);
  } finally {
    await mixed.stop();
  }
});
