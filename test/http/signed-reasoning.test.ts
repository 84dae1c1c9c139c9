/**
 * Agents' histories through a route that moves between signers of their reasoning. Anthropic binds
 * each thinking block's signature to the model that wrote it, and wants a thinking turn that calls
 * tools to begin with its thinking; OpenAI encrypts Responses reasoning for one account. Each refuses
 * another's (the fakes do too). Claude Code and Codex resend their whole history every turn: without
 * care, one fallback would wedge the session for good.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';
import { startFakeOpenAI } from '../support/fake-openai';
import { signatureFor } from '../support/messages-wire';
import { encryptedFor } from '../support/responses-wire';

let opusHost: FakeServer;
let sonnetHost: FakeServer;
let accountA: FakeServer;
let accountB: FakeServer;
let h: Harness;

const config = () => ({
  version: 1,
  providers: [
    { name: 'a1', kind: 'anthropic', baseUrl: opusHost.url, apiKey: 'env:TEST_KEY' },
    { name: 'a2', kind: 'anthropic', baseUrl: sonnetHost.url, apiKey: 'env:TEST_KEY' },
    { name: 'work', kind: 'openai', baseUrl: `${accountA.url}/v1`, apiKey: 'env:TEST_KEY', apis: ['chat', 'responses'] },
    { name: 'personal', kind: 'openai', baseUrl: `${accountB.url}/v1`, apiKey: 'env:TEST_KEY', apis: ['chat', 'responses'] },
  ],
  deployments: [
    { name: 'opus', provider: 'a1', model: 'claude-opus-4-5' },
    { name: 'sonnet', provider: 'a2', model: 'claude-sonnet-4-5' },
    { name: 'opus-4-6', provider: 'a2', model: 'claude-opus-4-6' },
    { name: 'gpt-work', provider: 'work', model: 'gpt-5.4' },
    { name: 'gpt-personal', provider: 'personal', model: 'gpt-5.4' },
  ],
  routes: [
    { name: 'opus-first', deployments: ['opus', 'sonnet'] },
    { name: 'sonnet-only', deployments: ['sonnet'] },
    { name: 'work-first', deployments: ['gpt-work', 'gpt-personal'] },
    { name: 'personal-only', deployments: ['gpt-personal'] },
    { name: 'claude-then-gpt', deployments: ['sonnet', 'gpt-work'] },
  ],
});

beforeAll(async () => {
  [opusHost, sonnetHost, accountA, accountB] = await Promise.all([startFakeAnthropic(), startFakeAnthropic(), startFakeOpenAI({ account: 'acct_work' }), startFakeOpenAI({ account: 'acct_personal' })]);
  h = await startGateway(config());
});
afterAll(() => stopAll(h, opusHost, sonnetHost, accountA, accountB));
beforeEach(() => resetBetweenTests(h, [opusHost, sonnetHost, accountA, accountB], config()));

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

it('continues a tool call whose thinking no upstream signed (a translated turn), without thinking for that request', async () => {
  // The gateway's own thinking block, made from a local model's reasoning: Anthropic would refuse it.
  const history: Anthropic.MessageParam[] = [
    { role: 'user', content: 'Weather in Paris?' },
    { role: 'assistant', content: [{ type: 'thinking', thinking: 'Local reasoning.', signature: '' }, { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Paris' } }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'fog' }] },
  ];
  const answer = await ask('sonnet-only', history);
  expect(answer.content.find((b) => b.type === 'text')).toMatchObject({ text: 'The tool said: fog' });
  expect(sent(sonnetHost)).toHaveLength(1);
  expect(thinkingBlocks(sent(sonnetHost)[0])).toEqual([]);
  expect(sent(sonnetHost)[0]).not.toHaveProperty('thinking');
});

it('continues on Claude a tool call another kind of deployment made (a route that fell back and came back), without thinking for that step', async () => {
  const question: Anthropic.MessageParam = { role: 'user', content: 'Weather in Paris?' };
  // Claude down: GPT answered the turn through a translation, with no thinking block.
  const first = await ask('gpt-work', [question]);
  expect(first.content.map((b) => b.type)).toEqual(['tool_use']);
  const call = first.content[0] as Anthropic.ToolUseBlock;
  const history: Anthropic.MessageParam[] = [question, { role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'sunny' }] }];
  const second = await ask('sonnet-only', history);
  expect(second.content.find((b) => b.type === 'text')).toMatchObject({ text: 'The tool said: sunny' });
  expect(sent(sonnetHost)).toHaveLength(1);
  expect(sent(sonnetHost)[0]).not.toHaveProperty('thinking');
  // The next turn the user begins thinks again.
  await ask('sonnet-only', [...history, { role: 'assistant', content: second.content }, { role: 'user', content: 'And in Tokyo?' }]);
  expect(sent(sonnetHost)[1]).toMatchObject({ thinking: { type: 'enabled' } });
});

it('keeps adaptive thinking on for a step after a tool call Claude made without thinking (adaptive thinking may skip it)', async () => {
  const history: Anthropic.MessageParam[] = [
    { role: 'user', content: 'Weather in Paris?' },
    { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Paris' } }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'fog' }] },
  ];
  await new Anthropic({ baseURL: h.url, apiKey: 'k', maxRetries: 0 }).messages.create({ model: 'opus-4-6', max_tokens: 4_000, thinking: { type: 'adaptive' }, tools: [weather], messages: history });
  expect(sent(sonnetHost)[0]).toMatchObject({ thinking: { type: 'adaptive' } });
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

describe("Codex's encrypted reasoning", () => {
  const codex = (model: string, input: unknown[]) => h.openai.responses.create({ model, input: input as never, store: false, reasoning: { effort: 'medium' }, include: ['reasoning.encrypted_content'], tools: [{ type: 'function', name: 'weather', parameters: weather.input_schema, strict: false }] });
  const reasoningSent = (host: FakeServer) => host.requests.filter((r) => r.path === '/v1/responses').map((r) => (r.body.input as { type: string }[]).filter((i) => i.type === 'reasoning').length);

  it('carries a session over from one OpenAI account to another when the first goes down', async () => {
    const question = { type: 'message', role: 'user', content: 'Weather in Paris?' };
    const first = await codex('work-first', [question]);
    const reasoning = first.output.find((i) => i.type === 'reasoning');
    const call = first.output.find((i) => i.type === 'function_call') as { call_id: string };
    expect(reasoning).toMatchObject({ encrypted_content: expect.stringMatching(/^gAAAAA/) });

    await accountA.setMode({ kind: 'status', status: 503 });
    const second = await codex('work-first', [question, ...first.output, { type: 'function_call_output', call_id: call.call_id, output: 'sunny' }]);
    expect(second.output_text).toBe('The tool said: sunny');
    // The other account is sent the rest of the history, once.
    expect(reasoningSent(accountB)).toEqual([0]);
  });

  it("carries a session over from Claude to OpenAI without Claude's thinking, in one request", async () => {
    const question = { type: 'message', role: 'user', content: 'Weather in Paris?' };
    const first = await codex('claude-then-gpt', [question]);
    const reasoning = first.output.find((i) => i.type === 'reasoning');
    const call = first.output.find((i) => i.type === 'function_call') as { call_id: string };
    // Claude's signed thinking, which Codex hands back next turn.
    expect(reasoning).toMatchObject({ encrypted_content: expect.stringMatching(/^switchyard-thinking-v1:/) });

    await sonnetHost.setMode({ kind: 'status', status: 529 });
    const second = await codex('claude-then-gpt', [question, ...first.output, { type: 'function_call_output', call_id: call.call_id, output: 'sunny' }]);
    expect(second.output_text).toBe('The tool said: sunny');
    expect(reasoningSent(accountA)).toEqual([0]);
    // A chat client's conversation too: no OpenAI-compatible server is sent the signatures.
    const chat = await h.openai.chat.completions.create({ model: 'gpt-work', messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'yo', signed_thinking: [{ type: 'thinking', thinking: 't', signature: 's' }] } as never, { role: 'user', content: 'again' }] });
    expect(chat.choices[0]?.message.content).toBeTruthy();
    expect(accountA.requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.body.messages[1])).toEqual([{ role: 'assistant', content: 'yo' }]);
  });

  it("carries a session compacted on one OpenAI account over to another, without the compaction only the first can read", async () => {
    const history = [{ type: 'message', role: 'user', content: 'Weather in Paris?' }, { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Sunny.' }] }];
    const compacted = (await h.openai.post('/responses/compact', { body: { model: 'work-first', input: history } })) as { output: { type: string }[] };
    expect(compacted.output.map((i) => i.type)).toContain('compaction');
    await accountA.setMode({ kind: 'status', status: 503 });
    const next = await codex('work-first', [...compacted.output, { type: 'message', role: 'user', content: 'And Tokyo?' }]);
    expect(next.status).toBe('completed');
    // Left out at once: the book knows whose it is.
    expect(accountB.requests.filter((r) => r.path === '/v1/responses').map((r) => (r.body.input as { type: string }[]).some((i) => i.type === 'compaction'))).toEqual([false]);
  });

  it('sends reasoning it never saw encrypted again without it when refused, and leaves it out from then on', async () => {
    const input = [{ type: 'message', role: 'user', content: 'Hi' }, { type: 'reasoning', id: 'rs_old', summary: [], encrypted_content: encryptedFor('acct_work') }, { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hello.' }] }, { type: 'message', role: 'user', content: 'Again?' }];
    expect((await codex('personal-only', input)).status).toBe('completed');
    expect(reasoningSent(accountB)).toEqual([1, 0]);
    await codex('personal-only', input);
    expect(reasoningSent(accountB)).toEqual([1, 0, 0]);
  });
});

