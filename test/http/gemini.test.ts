/**
 * Gemini through Google's OpenAI compatibility layer, as agents reach it: Claude Code's Messages and
 * Codex's Responses translated to chat, and a chat client that keeps what Gemini sends. The fake
 * (test/support/fake-gemini.ts) reads requests as strictly as Google does, signs its function calls
 * and refuses a history without signatures as Gemini 3 does, answers errors as a list, and says a
 * per-minute quota with its delay in the body.
 */
import Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeGemini } from '../support/fake-gemini';
import { startFakeOpenAI } from '../support/fake-openai';
import { assertMatchesSpec } from '../support/spec';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

let gemini: FakeServer;
let openai: FakeServer;
let h: Harness;

const config = () => ({
  version: 1,
  providers: [
    { name: 'gemini', kind: 'openai', baseUrl: `${gemini.url}/v1beta/openai`, apiKey: 'env:TEST_KEY' },
    { name: 'cloud', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY' },
  ],
  deployments: [
    { name: 'flash', provider: 'gemini', model: 'gemini-3.5-flash' },
    { name: 'pro', provider: 'gemini', model: 'gemini-3.1-pro-preview' },
    { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' },
  ],
  routes: [
    { name: 'agent', deployments: ['flash'] },
    { name: 'free-first', deployments: ['flash', 'mini'] },
  ],
  aliases: { 'claude-sonnet-4-6': 'agent' },
});

beforeAll(async () => {
  [gemini, openai] = await Promise.all([startFakeGemini(), startFakeOpenAI()]);
  h = await startGateway(config());
});
afterAll(() => stopAll(h, gemini, openai));
beforeEach(() => resetBetweenTests(h, [gemini, openai], config()));

// With the JSON Schema Claude Code's and MCP servers' tools carry, which Gemini refuses as it stands.
const weather = {
  name: 'weather',
  description: 'The weather in a city',
  input_schema: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object' as const,
    additionalProperties: false,
    properties: {
      city: { type: 'string' },
      days: { type: 'number', exclusiveMinimum: 0 },
      units: { const: 'metric' },
      source: { type: ['string', 'null'], format: 'uri' },
      tags: { type: 'object', propertyNames: { pattern: '^[a-z]+$' }, additionalProperties: { type: 'string' } },
      place: { $ref: '#/$defs/place' },
      // As MCP servers write an object: no type.
      filters: { description: 'what to leave out', properties: { kind: { type: 'string' } }, required: ['kind'] },
    },
    required: ['city'],
    $defs: { place: { type: 'object', properties: { lat: { type: 'number' }, near: { $ref: '#/$defs/place' } } } },
  },
};
const chats = () => gemini.requests.filter((r) => r.path === '/v1beta/openai/chat/completions');

it('reads the list Google gives by resource name (models/gemini-...) as the names its API takes: no "not in its model list" warning', async () => {
  await h.gateway.health.probeAll();
  const report = await (await h.admin('/admin/api/health')).json();
  const gemini = report.providers.find((p: { name: string }) => p.name === 'gemini');
  expect(gemini.probe.models).toEqual(['gemini-3.5-flash']);
  // And model discovery offers the names the bundled table (prices, windows) knows them by.
  expect(await (await h.admin('/admin/api/providers/gemini/models')).json()).toEqual({ models: ['gemini-3.5-flash'], error: null });
  const available = Object.fromEntries(report.deployments.map((d: { name: string; modelAvailable: boolean | null }) => [d.name, d.modelAvailable]));
  // Flash is listed; Pro (a preview this key does not list) is not.
  expect(available).toMatchObject({ flash: true, pro: false });
});

it('serves Claude Code through two tool-calling turns: unsigned calls pass, and a field Google does not know is left out from then on', async () => {
  const claude = new Anthropic({ baseURL: h.url, apiKey: 'k', maxRetries: 0 });
  const ask = (messages: Anthropic.MessageParam[]) =>
    claude.messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 8_000, thinking: { type: 'enabled', budget_tokens: 4_000 }, metadata: { user_id: 'user_abc' }, tools: [weather], messages }).finalMessage();

  const first = await ask([{ role: 'user', content: 'Weather in Paris?' }]);
  // Gemini says "stop" after its calls; Claude Code waits for tool results only on tool_use.
  expect(first.stop_reason).toBe('tool_use');
  const call = first.content.find((b) => b.type === 'tool_use')!;
  expect(call).toMatchObject({ name: 'weather', input: { city: 'Paris' } });
  // Refused once for `user` (Claude Code's metadata), asked again at once without it.
  expect(chats().map((r) => 'user' in r.body)).toEqual([true, false]);

  const second = await ask([
    { role: 'user', content: 'Weather in Paris?' },
    { role: 'assistant', content: first.content },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'sunny, 21 C' }] },
  ]);
  expect(second.content).toEqual([expect.objectContaining({ type: 'text', text: 'The tool said: sunny, 21 C' })]);
  // One request: the field stays out, and the call Claude Code sent back (no signature) carries the skip value.
  const sent = chats().slice(2);
  expect(sent).toHaveLength(1);
  expect(sent[0]!.body).not.toHaveProperty('user');
  expect(sent[0]!.body.messages[1].tool_calls[0].extra_content).toEqual({ google: { thought_signature: 'skip_thought_signature_validator' } });
  expect(sent[0]!.body.reasoning_effort).toBe('medium');
  expect(sent[0]!.body.tools[0].function.parameters.properties.units).toEqual({ type: 'string', enum: ['metric'] });
});

it("serves Codex's Responses with its xhigh effort and function call history", async () => {
  const stream = await h.openai.responses.create({
    model: 'agent',
    stream: true,
    store: false,
    reasoning: { effort: 'xhigh' as 'high' },
    include: ['reasoning.encrypted_content'],
    tools: [{ type: 'function', name: 'weather', parameters: weather.input_schema, strict: false }],
    input: [
      { type: 'message', role: 'user', content: 'Weather in Paris?' },
      { type: 'function_call', call_id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call_output', call_id: 'call_1', output: 'rain' },
    ],
  });
  let text = '';
  for await (const event of stream) if (event.type === 'response.output_text.delta') text += event.delta;
  expect(text).toBe('The tool said: rain');
  expect(chats().at(-1)?.body).toMatchObject({ reasoning_effort: 'high' });
});

it('keeps the signature Gemini gave a chat client that sends it back, and says tool_calls where Gemini said stop', async () => {
  const tools: OpenAI.ChatCompletionTool[] = [{ type: 'function', function: { name: 'weather', parameters: weather.input_schema } }];
  const asked: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
  const first = await h.openai.chat.completions.create({ model: 'agent', tools, messages: asked });
  expect(first.choices[0]!.finish_reason).toBe('tool_calls');
  assertMatchesSpec('openai', 'CreateChatCompletionResponse', first);
  const message = first.choices[0]!.message;
  const signature = (message.tool_calls![0] as { extra_content?: { google?: { thought_signature?: string } } }).extra_content?.google?.thought_signature;
  expect(signature).toMatch(/^sig-\d+$/);

  const second = await h.openai.chat.completions.create({ model: 'agent', tools, messages: [...asked, message, { role: 'tool', tool_call_id: message.tool_calls![0]!.id, content: 'fog' }] });
  expect(second.choices[0]!.message.content).toBe('The tool said: fog');
  expect(chats().at(-1)?.body.messages[1].tool_calls[0].extra_content).toEqual({ google: { thought_signature: signature } });

  // Streamed: Google leaves out each call's index and sends fragments with neither index nor id; a
  // client reading OpenAI's contract gets every fragment indexed, each call whole, and tool_calls.
  const both: OpenAI.ChatCompletionTool[] = [...tools, { type: 'function', function: { name: 'time', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
  const stream = await h.openai.chat.completions.create({ model: 'agent', tools: both, messages: [{ role: 'user', content: 'Weather and time in both cities?' }], stream: true });
  const finishes: (string | null)[] = [];
  const calls = new Map<number, { id: string; name: string; args: string; signature?: string }>();
  for await (const chunk of stream) {
    assertMatchesSpec('openai', 'CreateChatCompletionStreamResponse', chunk);
    for (const choice of chunk.choices) {
      finishes.push(choice.finish_reason);
      for (const call of choice.delta.tool_calls ?? []) {
        expect(call.index).toEqual(expect.any(Number));
        const entry = calls.get(call.index) ?? { id: '', name: '', args: '' };
        entry.id ||= call.id ?? '';
        entry.name += call.function?.name ?? '';
        entry.args += call.function?.arguments ?? '';
        entry.signature ??= (call as { extra_content?: { google?: { thought_signature?: string } } }).extra_content?.google?.thought_signature;
        calls.set(call.index, entry);
      }
    }
  }
  expect(finishes.filter(Boolean)).toEqual(['tool_calls']);
  expect([...calls.values()].map((c) => ({ ...c, args: JSON.parse(c.args) }))).toEqual([
    { id: 'function-call-1', name: 'weather', args: { city: 'Paris' }, signature: expect.stringMatching(/^sig-/) },
    { id: 'function-call-2', name: 'time', args: { city: 'Tokyo' }, signature: undefined },
  ]);
});

it("gives Claude Code each of Gemini's parallel calls whole, though Google streams them without an index", async () => {
  const claude = new Anthropic({ baseURL: h.url, apiKey: 'k', maxRetries: 0 });
  const time = { name: 'time', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } };
  const message = await claude.messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 1_000, tools: [weather, time], messages: [{ role: 'user', content: 'Weather and time in both cities?' }] }).finalMessage();
  expect(message.stop_reason).toBe('tool_use');
  expect(message.content.filter((b) => b.type === 'tool_use').map((b) => [b.name, b.input])).toEqual([
    ['weather', { city: 'Paris' }],
    ['time', { city: 'Tokyo' }],
  ]);
});

it("waits out a per-minute quota for the delay Google's body names, instead of keeping Gemini out for half an hour", async () => {
  await gemini.setMode({ kind: 'status', status: 429 });
  const answer = await h.openai.chat.completions.create({ model: 'free-first', messages: [{ role: 'user', content: 'hi' }] });
  expect(answer.choices[0]!.message.content).toBe('Echo: hi');
  const breaker = h.gateway.breakers.snapshot('flash');
  expect(breaker).toMatchObject({ blockedBy: null });
  expect(breaker.coolingUntil! - Date.now()).toBeGreaterThan(1_000);
  expect(breaker.coolingUntil! - Date.now()).toBeLessThanOrEqual(2_000);
});

it("passes on Google's own words for a request it refuses, not its error list as text", async () => {
  await gemini.setMode({ kind: 'status', status: 400 });
  const error = await h.openai.chat.completions.create({ model: 'agent', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
  expect(error).toMatchObject({ status: 400, message: expect.stringContaining('fake upstream error 400') });
  expect((error as { error?: { code?: unknown } }).error?.code).toBe('INVALID_ARGUMENT');
  expect((error as Error).message).not.toContain('[{');
});

it('falls back past a key Google refuses with a 400, and keeps that deployment out until it changes', async () => {
  const refused = [{ error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT', details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' }] } }];
  await gemini.setMode({ kind: 'status', status: 400, body: refused });
  const answer = await h.openai.chat.completions.create({ model: 'free-first', messages: [{ role: 'user', content: 'hi' }] });
  expect(answer.choices[0]!.message.content).toBe('Echo: hi');
  expect(h.gateway.breakers.snapshot('flash')).toMatchObject({ state: 'open', blockedBy: 'auth', blockedMessage: expect.stringContaining('API key not valid') });
});

it('falls back past a prompt longer than the window Google names, its breaker untouched', async () => {
  const tooLong = [{ error: { code: 400, message: 'The input token count (134123) exceeds the maximum number of tokens allowed (131072).', status: 'INVALID_ARGUMENT' } }];
  await gemini.setMode({ kind: 'status', status: 400, body: tooLong });
  const answer = await h.openai.chat.completions.create({ model: 'free-first', messages: [{ role: 'user', content: 'hi' }] });
  expect(answer.choices[0]!.message.content).toBe('Echo: hi');
  expect(h.gateway.breakers.snapshot('flash')).toMatchObject({ state: 'closed', consecutiveFailures: 0, blockedBy: null });
});

it('asks a model that refuses an effort for its own thinking from then on (Gemini Pro has no medium)', async () => {
  const claude = new Anthropic({ baseURL: h.url, apiKey: 'k', maxRetries: 0 });
  const ask = () => claude.messages.create({ model: 'pro', max_tokens: 8_000, thinking: { type: 'enabled', budget_tokens: 4_000 }, messages: [{ role: 'user', content: 'hi' }] });
  expect((await ask()).content).toEqual([expect.objectContaining({ text: 'Echo: hi' })]);
  await ask();
  expect(chats().map((r) => r.body.reasoning_effort)).toEqual(['medium', undefined, undefined]);
});

