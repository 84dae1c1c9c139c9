/**
 * A Responses request that names state only the server holding it has (an OpenAI conversation's
 * items, a stored prompt): a translation or an Ollama's Responses API would answer without it,
 * silently. Such deployments are passed over as unable to serve it; with none left the answer is a
 * 400 that says why.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

let ollama: FakeServer;
let openai: FakeServer;
let h: Harness;

const config = () => ({
  version: 1,
  providers: [
    { name: 'local', kind: 'ollama', baseUrl: ollama.url, apis: ['chat', 'responses'] },
    { name: 'openai', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY', apis: ['chat', 'responses'] },
    { name: 'compat', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY' },
  ],
  deployments: [
    { name: 'llama', provider: 'local', model: 'llama3.2:3b' },
    { name: 'gpt', provider: 'openai', model: 'gpt-5.1' },
    { name: 'mini', provider: 'compat', model: 'gpt-4.1-mini' },
  ],
  routes: [
    { name: 'local-first', deployments: ['llama', 'gpt'] },
    { name: 'no-openai', deployments: ['llama', 'mini'] },
  ],
});

beforeAll(async () => {
  [ollama, openai] = await Promise.all([startFakeOllama({ version: '0.14.0', models: ['llama3.2:3b'] }), startFakeOpenAI()]);
  h = await startGateway(config(), { env: { TEST_KEY: 'sk-test' } });
});
afterAll(() => stopAll(h, ollama, openai));
beforeEach(() => resetBetweenTests(h, [ollama, openai], config()));

const respond = (model: string, extra: Record<string, unknown>) =>
  fetch(`${h.url}/v1/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, input: 'and then?', ...extra }) });

describe('a Responses request that names a conversation or a stored prompt', () => {
  it('passes over the local Ollama to the OpenAI deployment that holds it', async () => {
    for (const extra of [{ conversation: 'conv_123' }, { conversation: { id: 'conv_123' } }, { prompt: { id: 'pmpt_1', version: '2' } }]) {
      const res = await respond('local-first', extra);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-switchyard-deployment')).toBe('gpt');
      expect(openai.requests.at(-1)?.body).toMatchObject(extra);
    }
    expect(ollama.requests.filter((r) => r.path === '/v1/responses')).toEqual([]);
    // Never from the answer cache: the conversation may have moved on since.
    const before = openai.requests.length;
    for (let i = 0; i < 2; i++) expect((await respond('local-first', { conversation: 'conv_123', temperature: 0 })).headers.get('x-switchyard-cache')).not.toBe('hit');
    expect(openai.requests.length).toBe(before + 2);
    // Without one, the local model answers as the route says.
    expect((await respond('local-first', {})).headers.get('x-switchyard-deployment')).toBe('llama');
  });

  it('is refused with a reason when no deployment can use it, and nothing goes upstream', async () => {
    const res = await respond('no-openai', { conversation: 'conv_123' });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { message: string } };
    expect(error.message).toMatch(/conversation "conv_123" is kept by the OpenAI-compatible server that made it/);
    expect([...ollama.requests, ...openai.requests].filter((r) => r.method === 'POST')).toEqual([]);
  });
});
