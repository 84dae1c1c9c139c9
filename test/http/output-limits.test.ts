/**
 * A client's answer limit on a model that writes less. Claude Code asks for 32,000 tokens; a route or
 * alias may send that to gpt-4o (16,384) or Opus 4.1 (32,000 with a thinking budget under it), which
 * refuse a larger limit outright. The gateway asks each model for at most what it writes (the
 * bundled table, or a deployment's own `maxOutputTokens`), and sizes a request against a context
 * window by that. The fakes refuse an over-large limit as OpenAI and Anthropic do.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

let openai: FakeServer;
let anthropic: FakeServer;
let h: Harness;

const config = () => ({
  version: 1,
  providers: [
    { name: 'cloud', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY', apis: ['chat', 'responses'] },
    { name: 'claude', kind: 'anthropic', baseUrl: anthropic.url, apiKey: 'env:TEST_KEY' },
  ],
  deployments: [
    { name: '4o', provider: 'cloud', model: 'gpt-4o' },
    { name: 'opus-4-1', provider: 'claude', model: 'claude-opus-4-1' },
    // A model the table does not know, with its limit and window set by hand.
    { name: 'house', provider: 'cloud', model: 'house-model', maxOutputTokens: 2_000, contextWindow: 20_000 },
    // One nothing describes, whose upstream names its limit when it refuses a larger one (as Groq does).
    { name: 'kimi', provider: 'cloud', model: 'moonshotai/kimi-k2-instruct-0905' },
    // Another, on Ollama's cloud (its OpenAI-compatible API), which names its limit in its own words.
    { name: 'v4-flash', provider: 'cloud', model: 'deepseek-v4-flash:0731' },
    // And on Alibaba's DashScope and Volcengine's Ark, each in its own words.
    { name: 'qwen-max', provider: 'cloud', model: 'qwen3-max-2026-01-23' },
    { name: 'doubao', provider: 'cloud', model: 'doubao-seed-2-0-code-preview' },
  ],
  routes: [],
  aliases: { 'claude-sonnet-4-5': '4o', 'claude-opus-4-1-20250805': 'opus-4-1' },
});

beforeAll(async () => {
  [openai, anthropic] = await Promise.all([startFakeOpenAI(), startFakeAnthropic()]);
  h = await startGateway(config(), { env: { TEST_KEY: 'sk-test' } });
});
afterAll(() => stopAll(h, openai, anthropic));
beforeEach(() => resetBetweenTests(h, [openai, anthropic], config()));

const claudeCode = () => new Anthropic({ baseURL: h.url, apiKey: 'k', maxRetries: 0 });

it('asks gpt-4o for the most it writes when Claude Code asks for 32,000 tokens', async () => {
  const stream = claudeCode().messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 32_000, messages: [{ role: 'user', content: 'hello' }] });
  const message = await stream.finalMessage();
  expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: 'Echo: hello' })]);
  expect(openai.requests.at(-1)?.body).toMatchObject({ model: 'gpt-4o', max_tokens: 16_384 });
  // A limit the model takes is sent as asked.
  await h.openai.chat.completions.create({ model: '4o', max_tokens: 500, messages: [{ role: 'user', content: 'x' }] });
  expect(openai.requests.at(-1)?.body.max_tokens).toBe(500);
});

it('caps a passed-through Messages limit at Opus 4.1\'s 32,000, with its thinking budget under it', async () => {
  const message = await claudeCode()
    .messages.stream({ model: 'claude-opus-4-1-20250805', max_tokens: 64_000, thinking: { type: 'enabled', budget_tokens: 40_000 }, messages: [{ role: 'user', content: 'why' }] })
    .finalMessage();
  expect(message.stop_reason).toBe('end_turn');
  expect(anthropic.requests.at(-1)?.body).toMatchObject({ model: 'claude-opus-4-1', max_tokens: 32_000, thinking: { type: 'enabled', budget_tokens: 30_976 } });
  // Translated, the budget a reasoning effort asks for fits too.
  await h.openai.chat.completions.create({ model: 'opus-4-1', reasoning_effort: 'xhigh' as never, max_tokens: 64_000, messages: [{ role: 'user', content: 'why' }] });
  expect(anthropic.requests.at(-1)?.body).toMatchObject({ max_tokens: 32_000, thinking: { type: 'enabled', budget_tokens: 30_976 } });
});

it('keeps a deployment\'s own limit on every API, and sizes a long prompt against its window by it', async () => {
  await h.openai.chat.completions.create({ model: 'house', max_completion_tokens: 8_000, messages: [{ role: 'user', content: 'x' }] });
  expect(openai.requests.at(-1)?.body.max_completion_tokens).toBe(2_000);
  await h.openai.responses.create({ model: 'house', max_output_tokens: 8_000, input: 'x' });
  expect(openai.requests.at(-1)?.body).toMatchObject({ model: 'house-model', max_output_tokens: 2_000 });
  // About 15,000 prompt tokens and 32,000 asked for: over the 20,000 window as asked, within it as sent.
  const long = 'lorem ipsum dolor sit amet '.repeat(3_000);
  const answer = await h.openai.chat.completions.create({ model: 'house', max_tokens: 32_000, messages: [{ role: 'user', content: long }] });
  expect(answer.choices[0]?.message.content).toContain('Echo:');
  expect(openai.requests.at(-1)?.body.max_tokens).toBe(2_000);
});

it('asks a model nothing describes again within the limit its upstream named, and sends that limit from then on', async () => {
  const answer = await h.openai.chat.completions.create({ model: 'kimi', max_tokens: 32_000, messages: [{ role: 'user', content: 'x' }] });
  expect(answer.choices[0]?.message.content).toBe('Echo: x');
  expect(openai.requests.map((r) => r.body.max_tokens)).toEqual([32_000, 16_384]);
  // One attempt as the router counts them, which succeeded.
  const stream = claudeCode().messages.stream({ model: 'kimi', max_tokens: 32_000, messages: [{ role: 'user', content: 'y' }] });
  expect((await stream.finalMessage()).content).toEqual([expect.objectContaining({ text: 'Echo: y' })]);
  expect(openai.requests.at(-1)?.body.max_tokens).toBe(16_384);
  expect(openai.requests).toHaveLength(3);
});


it("reads the limit Ollama's cloud models name in their own words (Grok Build asks 384,000 tokens of a model that writes 65,536)", async () => {
  const answer = await h.openai.chat.completions.create({ model: 'v4-flash', max_tokens: 384_000, messages: [{ role: 'user', content: 'x' }] });
  expect(answer.choices[0]?.message.content).toBe('Echo: x');
  expect(openai.requests.map((r) => r.body.max_tokens)).toEqual([384_000, 65_536]);
});

it("reads the limits DashScope and Ark name (Claude Code asks 32,000 and 64,000 tokens)", async () => {
  const claude = claudeCode();
  await claude.messages.stream({ model: 'qwen-max', max_tokens: 32_000, messages: [{ role: 'user', content: 'x' }] }).finalMessage();
  await claude.messages.stream({ model: 'doubao', max_tokens: 64_000, messages: [{ role: 'user', content: 'y' }] }).finalMessage();
  expect(openai.requests.map((r) => [r.body.model, r.body.max_tokens])).toEqual([
    ['qwen3-max-2026-01-23', 32_000],
    ['qwen3-max-2026-01-23', 8_192],
    ['doubao-seed-2-0-code-preview', 64_000],
    ['doubao-seed-2-0-code-preview', 32_768],
  ]);
});
