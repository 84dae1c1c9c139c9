/**
 * A thinking model's API wants its reasoning back on each assistant turn of the history that called
 * a tool: Moonshot's (Kimi K2.5, K2.6) refuses one without, "thinking is enabled but
 * reasoning_content is missing in assistant tool call message at index 2", and DeepSeek's says "The
 * `reasoning_content` in the thinking mode must be passed back to the API" (opencode, Mastra,
 * Hermes, new-api met both). Through the gateway a session moves between models: one that began on a
 * local model and fell back to Kimi has turns with no reasoning at all, and every later turn was
 * refused. Now such turns go with an empty reasoning (as Kimi's own client sends one), for that
 * model from its first refusal on.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

let moonshot: FakeServer, deepseek: FakeServer, h: Harness;

const config = () => ({
  version: 1,
  providers: [
    { name: 'moonshot', kind: 'openai', baseUrl: `${moonshot.url}/v1`, apiKey: 'env:TEST_KEY' },
    { name: 'deepseek', kind: 'openai', baseUrl: `${deepseek.url}/v1`, apiKey: 'env:TEST_KEY' },
  ],
  deployments: [
    { name: 'kimi', provider: 'moonshot', model: 'kimi-k2.6' },
    { name: 'reasoner', provider: 'deepseek', model: 'deepseek-reasoner' },
  ],
  routes: [],
});

beforeAll(async () => {
  [moonshot, deepseek] = await Promise.all([startFakeOpenAI({ wantsHistoryReasoning: 'kimi' }), startFakeOpenAI({ wantsHistoryReasoning: 'deepseek' })]);
  h = await startGateway(config(), { env: { TEST_KEY: 'sk-test' } });
});
afterAll(() => stopAll(h, moonshot, deepseek));
beforeEach(() => resetBetweenTests(h, [moonshot, deepseek], config()));

const assistantTurns = (server: FakeServer) =>
  server.requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.body.messages.filter((m: { role: string }) => m.role === 'assistant').map((m: { reasoning_content?: unknown }) => m.reasoning_content));

it("gives Kimi an empty reasoning for a Claude Code turn another model answered, from then on", async () => {
  const claudeCode = new Anthropic({ baseURL: h.url, apiKey: 'k', maxRetries: 0 });
  const read = { name: 'Read', description: 'Reads a file', input_schema: { type: 'object' as const, properties: { path: { type: 'string' } } } };
  const history = [
    { role: 'user' as const, content: 'what is in the README?' },
    { role: 'assistant' as const, content: [{ type: 'tool_use' as const, id: 'toolu_01', name: 'Read', input: { path: 'README.md' } }] },
    { role: 'user' as const, content: [{ type: 'tool_result' as const, tool_use_id: 'toolu_01', content: '# Switchyard' }] },
  ];
  const message = await claudeCode.messages.stream({ model: 'kimi', max_tokens: 2_000, tools: [read], messages: history }).finalMessage();
  expect(message.content.length).toBeGreaterThan(0);
  expect(assistantTurns(moonshot)).toEqual([[undefined], ['']]);

  await claudeCode.messages.stream({ model: 'kimi', max_tokens: 2_000, tools: [read], messages: [...history, { role: 'assistant', content: 'It is the gateway.' }, { role: 'user', content: 'thanks' }] }).finalMessage();
  expect(assistantTurns(moonshot)).toHaveLength(3);
  expect(assistantTurns(moonshot)[2]).toEqual(['', '']);
  const quirks = (await (await h.admin('/admin/api/quirks')).json()) as { quirks: { model: string; learned: string }[] };
  expect(quirks.quirks).toContainEqual(expect.objectContaining({ model: 'kimi-k2.6', learned: 'wants its reasoning back on every assistant turn: a turn without any sent with an empty one' }));
});

it("keeps the reasoning a turn has, and reads DeepSeek's words the same", async () => {
  const messages = [
    { role: 'user', content: 'weather in Paris?' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }] },
    { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
    { role: 'assistant', content: null, reasoning_content: 'Now London.', tool_calls: [{ id: 'call_2', type: 'function', function: { name: 'weather', arguments: '{"city":"London"}' } }] },
    { role: 'tool', tool_call_id: 'call_2', content: 'rain' },
  ];
  const tools = [{ type: 'function', function: { name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
  const answer = await h.openai.chat.completions.create({ model: 'reasoner', messages, tools } as never);
  expect(answer.choices[0]?.message).toBeTruthy();
  expect(assistantTurns(deepseek)).toEqual([[undefined, 'Now London.'], ['', 'Now London.']]);
});
