/**
 * Claude Code's history through a route that moves between Claude models. Anthropic binds each
 * thinking block's signature to the model that wrote it and refuses it from another (the fake does
 * too), and it wants a thinking turn that calls tools to begin with its thinking. Claude Code resends
 * its whole history every turn: without care, one fallback would wedge the session for good.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';
import { signatureFor } from '../support/messages-wire';

let opusHost: FakeServer;
let sonnetHost: FakeServer;
let h: Harness;

const config = () => ({
  version: 1,
  providers: [
    { name: 'a1', kind: 'anthropic', baseUrl: opusHost.url, apiKey: 'env:TEST_KEY' },
    { name: 'a2', kind: 'anthropic', baseUrl: sonnetHost.url, apiKey: 'env:TEST_KEY' },
  ],
  deployments: [
    { name: 'opus', provider: 'a1', model: 'claude-opus-4-5' },
    { name: 'sonnet', provider: 'a2', model: 'claude-sonnet-4-5' },
  ],
  routes: [
    { name: 'opus-first', deployments: ['opus', 'sonnet'] },
    { name: 'sonnet-only', deployments: ['sonnet'] },
  ],
});

beforeAll(async () => {
  [opusHost, sonnetHost] = await Promise.all([startFakeAnthropic(), startFakeAnthropic()]);
  h = await startGateway(config());
});
afterAll(() => stopAll(h, opusHost, sonnetHost));
beforeEach(() => resetBetweenTests(h, [opusHost, sonnetHost], config()));

const weather = { name: 'weather', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } };
const ask = (model: string, messages: Anthropic.MessageParam[]) =>
  new Anthropic({ baseURL: h.url, apiKey: 'k', maxRetries: 0 }).messages.stream({ model, max_tokens: 4_000, thinking: { type: 'enabled', budget_tokens: 2_000 }, tools: [weather], messages }).finalMessage();
const sent = (host: FakeServer) => host.requests.filter((r) => r.path === '/v1/messages').map((r) => r.body);
const thinkingBlocks = (body: { messages: { content: unknown }[] }) => body.messages.flatMap((m) => (Array.isArray(m.content) ? m.content : [])).filter((b: { type?: string }) => b.type === 'thinking');

it('carries a tool-calling session over from Opus to Sonnet when Opus goes down, in one request each turn', async () => {
  const question: Anthropic.MessageParam = { role: 'user', content: 'Weather in Paris?' };
  const first = await ask('opus-first', [question]);
  expect(first.content.map((b) => b.type)).toEqual(['thinking', 'tool_use']);
  const call = first.content[1] as Anthropic.ToolUseBlock;

  await opusHost.setMode({ kind: 'status', status: 529 });
  const history: Anthropic.MessageParam[] = [question, { role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'sunny' }] }];
  const second = await ask('opus-first', history);
  expect(second.content.find((b) => b.type === 'text')).toMatchObject({ text: 'The tool said: sunny' });
  // Opus's thinking is left out for Sonnet, and with it thinking for this turn, which continues Opus's tool call.
  expect(sent(sonnetHost)).toHaveLength(1);
  expect(thinkingBlocks(sent(sonnetHost)[0])).toEqual([]);
  expect(sent(sonnetHost)[0]).not.toHaveProperty('thinking');

  // The next turn begins anew: Sonnet thinks again, and Opus's old block stays out.
  const third = await ask('opus-first', [...history, { role: 'assistant', content: second.content }, { role: 'user', content: 'And in Tokyo?' }]);
  expect(third.content.map((b) => b.type)).toEqual(['thinking', 'tool_use']);
  expect(sent(sonnetHost)).toHaveLength(2);
  expect(sent(sonnetHost)[1]).toMatchObject({ thinking: { type: 'enabled' } });
  expect(thinkingBlocks(sent(sonnetHost)[1])).toEqual([]);
});

it('sends a history the gateway never saw signed (from before it started) again without the blocks refused, and leaves them out from then on', async () => {
  const history: Anthropic.MessageParam[] = [
    { role: 'user', content: 'Weather in Paris?' },
    { role: 'assistant', content: [{ type: 'thinking', thinking: 'Let me look.', signature: signatureFor('claude-opus-4-5') }, { type: 'text', text: 'Sunny.' }] },
    { role: 'user', content: 'Thanks. Tokyo?' },
  ];
  const answer = await ask('sonnet-only', history);
  expect(answer.content.map((b) => b.type)).toEqual(['thinking', 'tool_use']);
  expect(sent(sonnetHost).map((b) => thinkingBlocks(b).length)).toEqual([1, 0]);

  await ask('sonnet-only', history);
  expect(sent(sonnetHost).map((b) => thinkingBlocks(b).length)).toEqual([1, 0, 0]);
});

it("keeps a model's own thinking in the history it is sent", async () => {
  const question: Anthropic.MessageParam = { role: 'user', content: 'Weather in Paris?' };
  const first = await ask('sonnet-only', [question]);
  const call = first.content[1] as Anthropic.ToolUseBlock;
  await ask('sonnet-only', [question, { role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'rain' }] }]);
  expect(sent(sonnetHost)).toHaveLength(2);
  expect(thinkingBlocks(sent(sonnetHost)[1])).toHaveLength(1);
  expect(sent(sonnetHost)[1]).toMatchObject({ thinking: { type: 'enabled' } });
});
