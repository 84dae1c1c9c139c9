/**
 * A conversation that ends in an assistant message asks the model to continue that answer (a
 * prefill: `{"name": ` for JSON, an agent's answer cut short). llama.cpp's server refuses one to a
 * thinking model with a 400, "Assistant response prefill is incompatible with enable_thinking"
 * (opencode, Hermes and Mastra met it on Qwen 3.5 and 3.6), and the gateway handed the refusal back
 * though the server takes the same request with the template's thinking off, and a cloud model
 * would take it as it is. Now the model is sent such conversations with thinking off, from its first
 * refusal on, and its server is as healthy as it was.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, type Harness } from '../support/harness';

let llama: FakeServer;
let cloud: FakeServer;
let h: Harness;

beforeAll(async () => {
  [llama, cloud] = await Promise.all([startFakeOpenAI({ thinksByDefault: true }), startFakeOpenAI()]);
  h = await startGateway({
    version: 1,
    providers: [
      { name: 'llamacpp', kind: 'openai', baseUrl: `${llama.url}/v1`, healthCheck: { intervalMs: 0 } },
      { name: 'cloud', kind: 'openai', baseUrl: `${cloud.url}/v1`, apiKey: 'env:TEST_KEY', healthCheck: { intervalMs: 0 } },
    ],
    deployments: [
      { name: 'qwen', provider: 'llamacpp', model: 'qwen3.6-27b', breaker: { failures: 2, cooldownMs: 600_000 } },
      { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' },
    ],
    routes: [{ name: 'agent', deployments: ['qwen', 'mini'] }],
  });
});
afterAll(() => stopAll(h, llama, cloud));
beforeEach(async () => {
  await Promise.all([llama.reset(), cloud.reset()]);
});

const sent = () => llama.requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.body);

it('continues an answer with the template\'s thinking off for the model whose server refused it, then sends its continuations so', async () => {
  const messages = [
    { role: 'user' as const, content: 'Describe a cat as JSON.' },
    { role: 'assistant' as const, content: '{"name": ' },
  ];
  const answer = await h.openai.chat.completions.create({ model: 'agent', messages });
  expect(answer.model).toBe('qwen3.6-27b');
  expect(sent().map((body) => body.chat_template_kwargs)).toEqual([undefined, { enable_thinking: false }]);
  expect(sent()[1]?.messages).toEqual(messages);
  expect(cloud.requests).toHaveLength(0);
  expect(h.gateway.breakers.snapshot('qwen').state).toBe('closed');
  const quirks = (await (await h.admin('/admin/api/quirks')).json()) as { quirks: { model: string; learned: string }[] };
  expect(quirks.quirks).toContainEqual(expect.objectContaining({ model: 'qwen3.6-27b', learned: 'thinks in no continued answer: a conversation ending in an assistant message sent with thinking off' }));

  // Learned: a Messages client's prefill goes with thinking off from the start; the client's own template arguments stay beside it.
  const anthropic = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
  const message = await anthropic.messages.create({ model: 'agent', max_tokens: 200, messages: [{ role: 'user', content: 'List three colours.' }, { role: 'assistant', content: '1.' }] });
  expect(message.content[0]?.type).toBe('text');
  await h.openai.chat.completions.create({ model: 'agent', messages, chat_template_kwargs: { reasoning_effort: 'low' } } as never);
  expect(sent().slice(2).map((body) => body.chat_template_kwargs)).toEqual([{ enable_thinking: false }, { reasoning_effort: 'low', enable_thinking: false }]);
});

it('leaves a conversation that ends with the user as it was, thinking and all', async () => {
  await h.openai.chat.completions.create({ model: 'agent', messages: [{ role: 'user', content: 'hello' }] });
  expect(sent()).toHaveLength(1);
  expect(sent()[0]).not.toHaveProperty('chat_template_kwargs');
});
