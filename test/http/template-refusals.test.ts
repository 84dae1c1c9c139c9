/**
 * llama.cpp's server renders a conversation with the model's chat template, and Mistral's and
 * Gemma's raise on roles that do not alternate: a 500, "Jinja Exception: After the optional system
 * message, conversation roles must alternate user and assistant roles" (mini-swe-agent met it on
 * Devstral; so did picoclaw and Jan). Started without --jinja, it refuses tools with a 500 too. Read
 * as a server down, an agent's few such requests opened a healthy local model's breaker and sent
 * everything to the cloud. Now a run of user messages is joined into one for a model refused so,
 * and what the model cannot take goes on to the next deployment with its breaker left shut.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, type Harness } from '../support/harness';

let llama: FakeServer;
let cloud: FakeServer;
let h: Harness;

beforeAll(async () => {
  [llama, cloud] = await Promise.all([startFakeOpenAI({ alternatingRoles: true, withoutJinja: true }), startFakeOpenAI()]);
  h = await startGateway({
    version: 1,
    providers: [
      { name: 'llamacpp', kind: 'openai', baseUrl: `${llama.url}/v1`, healthCheck: { intervalMs: 0 } },
      { name: 'cloud', kind: 'openai', baseUrl: `${cloud.url}/v1`, apiKey: 'env:TEST_KEY', healthCheck: { intervalMs: 0 } },
    ],
    deployments: [
      { name: 'devstral', provider: 'llamacpp', model: 'devstral-small-2', breaker: { failures: 3, cooldownMs: 600_000 } },
      { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' },
    ],
    routes: [{ name: 'agent', deployments: ['devstral', 'mini'] }],
  });
});
afterAll(() => stopAll(h, llama, cloud));
beforeEach(async () => {
  await Promise.all([llama.reset(), cloud.reset()]);
  h.gateway.breakers.reset('devstral');
});

type Message = { role: 'system' | 'user' | 'assistant'; content: string };
const WEATHER = [{ type: 'function' as const, function: { name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
const chat = (messages: Message[], tools?: typeof WEATHER, stream = false) =>
  stream
    ? h.openai.chat.completions.create({ model: 'agent', messages, stream: true }).then(async (chunks) => {
        let model = '';
        for await (const chunk of chunks) model = chunk.model;
        return model;
      })
    : h.openai.chat.completions.create({ model: 'agent', messages, ...(tools ? { tools } : {}) }).then((answer) => answer.model);
const sentMessages = () => llama.requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.body.messages);

it('joins two user messages in a row for the model whose template refused them, then sends its conversations joined', async () => {
  const twoUsers: Message[] = [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'fix the bug' }, { role: 'user', content: 'observation: a test failed' }];
  expect(await chat(twoUsers)).toBe('devstral-small-2');
  expect(sentMessages()).toEqual([twoUsers, [twoUsers[0], { role: 'user', content: 'fix the bug\n\nobservation: a test failed' }]]);
  // Learned: the next one, streamed, goes joined from the start.
  expect(await chat([...twoUsers, { role: 'assistant', content: 'done' }, { role: 'user', content: 'thanks' }, { role: 'user', content: 'bye' }], undefined, true)).toBe('devstral-small-2');
  expect(sentMessages()).toHaveLength(3);
  expect(sentMessages()[2]).toMatchObject([{ role: 'system' }, { role: 'user' }, { role: 'assistant', content: 'done' }, { role: 'user', content: 'thanks\n\nbye' }]);
  expect(h.gateway.breakers.snapshot('devstral').state).toBe('closed');
  expect(cloud.requests).toHaveLength(0);
});

it('passes a request the server cannot take on to the next deployment, and keeps the local model', async () => {
  for (let i = 0; i < 5; i++) expect(await chat([{ role: 'user', content: `weather in Paris ${i}` }], WEATHER)).toBe('gpt-4.1-mini');
  expect(h.gateway.breakers.snapshot('devstral').state).toBe('closed');
  expect(await chat([{ role: 'user', content: 'hello' }])).toBe('devstral-small-2');
});

it('says what the server refused, as a 400, when no deployment is left to try', async () => {
  const refused = await h.openai.chat.completions.create({ model: 'devstral', messages: [{ role: 'user', content: 'weather?' }], tools: WEATHER }).then(
    () => undefined,
    (error: { status?: number; message?: string }) => error,
  );
  // As a 400, which the SDK does not send again (it retries a 500 twice, to the same refusal).
  expect(refused?.status).toBe(400);
  expect(refused?.message).toMatch(/tools param requires --jinja flag/);
  expect(h.gateway.breakers.snapshot('devstral').state).toBe('closed');
});
