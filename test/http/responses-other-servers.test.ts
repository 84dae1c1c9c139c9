/**
 * A Responses upstream that streams no deltas (gpt-5.3-codex-spark at times, some servers): its text
 * and its calls' arguments come whole in their `done` events alone. Translated for chat and Messages
 * clients, every call went out with empty arguments (Claude Code ran its tools with `{}` and looped)
 * and the text was lost. What a `done` event holds beyond what came before it now goes on. And one
 * that gives its reasoning as full text (`reasoning_text`, LM Studio's, vLLM's, Ollama's) rather
 * than OpenAI's summary: its reasoning was lost on the way to chat and Messages clients.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

let spark: FakeServer, thinker: FakeServer, h: Harness;

const config = () => ({
  version: 1,
  providers: [
    { name: 'openai', kind: 'openai', baseUrl: `${spark.url}/v1`, apiKey: 'env:TEST_KEY', apis: ['responses'] },
    { name: 'lm-studio', kind: 'openai', baseUrl: `${thinker.url}/v1`, local: true, apis: ['responses'] },
  ],
  deployments: [
    { name: 'spark', provider: 'openai', model: 'gpt-5.3-codex-spark' },
    { name: 'qwen', provider: 'lm-studio', model: 'qwen3-8b' },
  ],
  routes: [{ name: 'default', deployments: ['spark'] }],
});

beforeAll(async () => {
  [spark, thinker] = await Promise.all([startFakeOpenAI({ chunkQuirk: 'whole-in-done' }), startFakeOpenAI({ chunkQuirk: 'reasoning-text' })]);
  h = await startGateway(config());
});
afterAll(() => stopAll(h, spark, thinker));
beforeEach(() => resetBetweenTests(h, [spark, thinker], config()));

const weather = { type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };

describe('a Responses stream with its parts whole in their done events', () => {
  it('gives a chat client the text and the arguments', async () => {
    const text = await h.openai.chat.completions.create({ model: 'default', stream: true, messages: [{ role: 'user', content: 'one two three' }] });
    let said = '';
    for await (const chunk of text) said += chunk.choices[0]?.delta?.content ?? '';
    expect(said).toBe('Echo: one two three');
    const calls = await h.openai.chat.completions.stream({ model: 'default', messages: [{ role: 'user', content: 'weather in Paris?' }], tools: [weather] }).finalChatCompletion();
    expect(calls.choices[0]?.message.tool_calls?.map((c) => c.type === 'function' && [c.function.name, JSON.parse(c.function.arguments)])).toEqual([['get_weather', { city: 'Paris' }]]);
  });

  it("gives Claude Code the call's input, not {}", async () => {
    const claude = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
    const tool = { name: 'get_weather', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } };
    const message = await claude.messages.stream({ model: 'default', max_tokens: 100, tools: [tool], messages: [{ role: 'user', content: 'weather in Paris?' }] }).finalMessage();
    expect(message.content).toEqual([expect.objectContaining({ type: 'tool_use', name: 'get_weather', input: { city: 'Paris' } })]);
    expect(message.stop_reason).toBe('tool_use');
  });
});

describe('a Responses answer whose reasoning is its full text, not a summary', () => {
  it('gives chat and Messages clients that reasoning, streamed and whole', async () => {
    const ask = { model: 'qwen', reasoning_effort: 'high' as const, messages: [{ role: 'user' as const, content: 'one two' }] };
    const whole = await h.openai.chat.completions.create(ask);
    expect(whole.choices[0]?.message).toMatchObject({ content: 'Echo: one two', reasoning_content: 'Let me think about it.' });
    let thought = '';
    for await (const chunk of await h.openai.chat.completions.create({ ...ask, stream: true })) thought += (chunk.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? '';
    expect(thought).toBe('Let me think about it.');
    const claude = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
    const message = await claude.messages.stream({ model: 'qwen', max_tokens: 2_000, thinking: { type: 'enabled', budget_tokens: 1_024 }, messages: [{ role: 'user', content: 'one two' }] }).finalMessage();
    expect(message.content[0]).toMatchObject({ type: 'thinking', thinking: 'Let me think about it.' });
  });
});
