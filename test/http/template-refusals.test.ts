/**
 * llama.cpp's server renders a conversation with the model's chat template, and Mistral's and
 * Gemma's raise on roles that do not alternate: a 500, "Jinja Exception: After the optional system
 * message, conversation roles must alternate user and assistant roles" (mini-swe-agent met it on
 * Devstral; so did picoclaw and Jan). Read as a server down, an agent's few such requests opened a
 * healthy local model's breaker and sent everything to the cloud. Now it is a request that model
 * cannot take: the route moves on, the breaker stays shut, and the next request is served locally.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, type Harness } from '../support/harness';

let llama: FakeServer;
let cloud: FakeServer;
let h: Harness;

beforeAll(async () => {
  [llama, cloud] = await Promise.all([startFakeOpenAI({ alternatingRoles: true }), startFakeOpenAI()]);
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

const chat = (messages: { role: 'system' | 'user' | 'assistant'; content: string }[]) => h.openai.chat.completions.create({ model: 'agent', messages }).then((answer) => answer.model);

it('passes a conversation the template refuses on to the next deployment, and keeps the local model', async () => {
  // Two user messages in a row: the agent's instructions, then its observation.
  for (let i = 0; i < 5; i++) expect(await chat([{ role: 'system', content: 'be brief' }, { role: 'user', content: 'fix the bug' }, { role: 'user', content: `observation ${i}` }])).toBe('gpt-4.1-mini');
  expect(h.gateway.breakers.snapshot('devstral').state).toBe('closed');
  expect(await chat([{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hello' }])).toBe('devstral-small-2');
});

it('says what the template refused when no deployment is left to try', async () => {
  const refused = await h.openai.chat.completions.create({ model: 'devstral', messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }] }).then(
    () => undefined,
    (error: { status?: number; message?: string }) => error,
  );
  // As a 400, which the SDK does not send again (it retries a 500 twice, to the same refusal).
  expect(refused?.status).toBe(400);
  expect(refused?.message).toMatch(/conversation roles must alternate/);
  expect(h.gateway.breakers.snapshot('devstral').state).toBe('closed');
});
