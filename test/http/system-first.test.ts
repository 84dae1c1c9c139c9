/**
 * Qwen's chat templates (3.5 on, the most run local models of 2026) raise on a system message that
 * is not the first: "Jinja Exception: System message must be at the beginning", which llama.cpp's
 * server says with a 400 (lemonade, SillyTavern#5276, forgecode#2586) and vLLM says alone. Clients
 * and plugins add system messages later in a conversation (opencode's agent memory sends a second
 * one before the conversation), and every such request was refused, or sent to the cloud. Now those
 * before the conversation go as one for a model refused so, and a later one as a reminder in a user
 * message, as a Responses request's instructions and developer messages always go.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, type Harness } from '../support/harness';

let llama: FakeServer;
let vllm: FakeServer;
let cloud: FakeServer;
let h: Harness;

beforeAll(async () => {
  [llama, vllm, cloud] = await Promise.all([startFakeOpenAI({ systemFirst: 'llama.cpp' }), startFakeOpenAI({ systemFirst: 'vllm' }), startFakeOpenAI()]);
  h = await startGateway({
    version: 1,
    providers: [
      { name: 'llamacpp', kind: 'openai', baseUrl: `${llama.url}/v1`, healthCheck: { intervalMs: 0 } },
      { name: 'vllm', kind: 'openai', baseUrl: `${vllm.url}/v1`, healthCheck: { intervalMs: 0 } },
      { name: 'cloud', kind: 'openai', baseUrl: `${cloud.url}/v1`, apiKey: 'env:TEST_KEY', healthCheck: { intervalMs: 0 } },
    ],
    deployments: [
      { name: 'qwen', provider: 'llamacpp', model: 'qwen3.6-35b-a3b', breaker: { failures: 2, cooldownMs: 600_000 } },
      { name: 'qwen-vllm', provider: 'vllm', model: 'Qwen/Qwen3.6-27B' },
      { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' },
    ],
    routes: [
      { name: 'agent', deployments: ['qwen', 'mini'] },
      { name: 'served', deployments: ['qwen-vllm'] },
    ],
  });
});
afterAll(() => stopAll(h, llama, vllm, cloud));
beforeEach(async () => {
  await Promise.all([llama.reset(), vllm.reset(), cloud.reset()]);
});

type Message = { role: 'system' | 'user' | 'assistant'; content: string };
const sentTo = (server: FakeServer) => server.requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.body.messages);
const reminder = (text: string) => `<system-reminder>\n${text}\n</system-reminder>`;

it('sends a later system message as a reminder for the model whose template refused it, then sends its conversations so', async () => {
  const conversation: Message[] = [
    { role: 'system', content: 'You are a coding agent.' },
    { role: 'user', content: 'fix the failing test' },
    { role: 'assistant', content: 'Which test?' },
    { role: 'system', content: 'The user switched to plan mode.' },
    { role: 'user', content: 'the parser one' },
  ];
  const answer = await h.openai.chat.completions.create({ model: 'agent', messages: conversation });
  expect(answer.model).toBe('qwen3.6-35b-a3b');
  expect(sentTo(llama)).toEqual([conversation, [conversation[0], conversation[1], conversation[2], { role: 'user', content: reminder('The user switched to plan mode.') }, conversation[4]]]);

  // Learned: two system messages before the conversation (a plugin's memory beside the agent's prompt), streamed, go as one from the start.
  const stream = await h.openai.chat.completions.create({ model: 'agent', stream: true, messages: [{ role: 'system', content: 'You are a coding agent.' }, { role: 'system', content: 'Memory: the user prefers tabs.' }, { role: 'user', content: 'hello' }] });
  let model = '';
  for await (const chunk of stream) model = chunk.model;
  expect(model).toBe('qwen3.6-35b-a3b');
  expect(sentTo(llama)).toHaveLength(3);
  expect(sentTo(llama)[2]).toEqual([{ role: 'system', content: 'You are a coding agent.\n\nMemory: the user prefers tabs.' }, { role: 'user', content: 'hello' }]);

  expect(h.gateway.breakers.snapshot('qwen').state).toBe('closed');
  expect(cloud.requests).toHaveLength(0);
  const quirks = (await (await h.admin('/admin/api/quirks')).json()) as { quirks: { provider: string; model: string; learned: string }[] };
  expect(quirks.quirks).toContainEqual(expect.objectContaining({ provider: 'llamacpp', model: 'qwen3.6-35b-a3b', learned: 'takes one system message, first: a later one sent as a reminder in the user message before it' }));
});

it('reads vLLM\'s refusal, said without the template\'s name, as the same', async () => {
  const answer = await h.openai.chat.completions.create({ model: 'served', messages: [{ role: 'user', content: 'summarise the diff' }, { role: 'system', content: 'Answer in French.' }] });
  expect(answer.choices[0]?.message.content).toBeTruthy();
  expect(sentTo(vllm)).toEqual([
    [{ role: 'user', content: 'summarise the diff' }, { role: 'system', content: 'Answer in French.' }],
    [{ role: 'user', content: `summarise the diff\n${reminder('Answer in French.')}` }],
  ]);
});

it('does the same for a conversation that came in by Ollama\'s API', async () => {
  // The vLLM model learned in the test before; the llama.cpp one in the first.
  const answer = await h.ollama.chat({ model: 'agent', messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'Hello!' }, { role: 'system', content: 'Be terse.' }, { role: 'user', content: 'status?' }] });
  expect(answer.message.content).toBeTruthy();
  expect(sentTo(llama)).toEqual([[{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'Hello!' }, { role: 'user', content: reminder('Be terse.') }, { role: 'user', content: 'status?' }]]);
});

it('sends a model that takes system messages anywhere the conversation as it came', async () => {
  const conversation: Message[] = [{ role: 'user', content: 'hi' }, { role: 'system', content: 'Be terse.' }];
  await h.openai.chat.completions.create({ model: 'mini', messages: conversation });
  expect(sentTo(cloud)).toEqual([conversation]);
});
