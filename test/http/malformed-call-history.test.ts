/**
 * A conversation whose history holds a tool call with arguments that are not JSON: a small local
 * model's call cut off by its answer limit (`{"city": "Par`), or written wrong, which the client
 * sends back every turn after. The gateway refused it toward Ollama and Anthropic ("tool call
 * arguments must be a JSON object"), and llama.cpp's server answers it with a 500 ("Failed to parse
 * tool call arguments as JSON", llama.cpp#25510; OpenHands and pentagi wedged on it): every later
 * turn of the session failed, and the 500s opened the server's breaker. Now the arguments go as an
 * object that keeps their text, `{"arguments": "<as sent>"}`, and the session goes on.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, type Harness } from '../support/harness';

let ollama: FakeServer;
let llama: FakeServer;
let anthropic: FakeServer;
let h: Harness;

beforeAll(async () => {
  [ollama, llama, anthropic] = await Promise.all([startFakeOllama({ models: ['qwen2.5:7b'] }), startFakeOpenAI({ parsesCallArguments: true }), startFakeAnthropic()]);
  h = await startGateway({
    version: 1,
    providers: [
      { name: 'local', kind: 'ollama', baseUrl: ollama.url, healthCheck: { intervalMs: 0 } },
      { name: 'llamacpp', kind: 'openai', baseUrl: `${llama.url}/v1`, healthCheck: { intervalMs: 0 } },
      { name: 'claude', kind: 'anthropic', baseUrl: anthropic.url, apiKey: 'env:TEST_KEY', healthCheck: { intervalMs: 0 } },
    ],
    deployments: [
      { name: 'qwen', provider: 'local', model: 'qwen2.5:7b' },
      { name: 'glm', provider: 'llamacpp', model: 'glm-5.3-flash', breaker: { failures: 2, cooldownMs: 600_000 } },
      { name: 'haiku', provider: 'claude', model: 'claude-haiku-4-5' },
    ],
    routes: [],
  });
});
afterAll(() => stopAll(h, ollama, llama, anthropic));
beforeEach(async () => {
  await Promise.all([ollama.reset(), llama.reset(), anthropic.reset()]);
  h.gateway.breakers.reset('glm');
});

const CUT = '{"city": "Par';
const history = [
  { role: 'user' as const, content: 'weather in Paris?' },
  { role: 'assistant' as const, content: null, tool_calls: [{ id: 'call_1', type: 'function' as const, function: { name: 'weather', arguments: CUT } }] },
  { role: 'tool' as const, tool_call_id: 'call_1', content: 'error: the arguments were not valid JSON' },
  { role: 'user' as const, content: 'try again' },
];
const tools = [{ type: 'function' as const, function: { name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];

it.each(['qwen', 'glm', 'haiku'])('goes on with a session whose history holds a call cut short, on %s', async (model) => {
  for (let turn = 0; turn < 3; turn++) {
    const answer = await h.openai.chat.completions.create({ model, messages: history, tools });
    expect(answer.choices[0]?.finish_reason).toMatch(/^(?:stop|tool_calls)$/);
  }
  expect(h.gateway.breakers.snapshot(model).state).toBe('closed');
});

it('sends the cut arguments as an object that keeps their text', async () => {
  await h.openai.chat.completions.create({ model: 'qwen', messages: history, tools });
  const sent = ollama.requests.find((r) => r.path === '/api/chat')?.body.messages[1];
  expect(sent.tool_calls[0].function.arguments).toEqual({ arguments: CUT });
  await h.openai.chat.completions.create({ model: 'haiku', messages: history, tools });
  const block = anthropic.requests.find((r) => r.path === '/v1/messages')?.body.messages[1].content[0];
  expect(block).toMatchObject({ type: 'tool_use', name: 'weather', input: { arguments: CUT } });
  // llama.cpp's server: refused once, then sent parsable from the start.
  await h.openai.chat.completions.create({ model: 'glm', messages: history, tools });
  await h.openai.chat.completions.create({ model: 'glm', messages: history, tools });
  const calls = llama.requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.body.messages[1].tool_calls[0].function.arguments);
  expect(calls.at(-1)).toBe(JSON.stringify({ arguments: CUT }));
  expect(calls.filter((a) => a === CUT).length).toBeLessThanOrEqual(1);
});
