/**
 * A prompt no deployment's window takes, said in the words agents know an overflow by. Agents read
 * Anthropic's "prompt is too long: N tokens > M maximum" (and "input length and `max_tokens` exceed
 * context limit: P + O > M") to compact a conversation or lower `max_tokens`, and OpenAI's "maximum
 * context length is M tokens. However, you requested N tokens"; the gateway's own refusal said "The
 * request is too long for every deployment", which none of them recognise.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { anthropicError } from '../support/messages-wire';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

let openai: FakeServer, anthropic: FakeServer, h: Harness;
const config = () => ({
  version: 1,
  providers: [
    { name: 'vllm', kind: 'openai', baseUrl: `${openai.url}/v1` },
    { name: 'claude', kind: 'anthropic', baseUrl: anthropic.url, apiKey: 'env:TEST_KEY' },
  ],
  deployments: [
    { name: 'qwen', provider: 'vllm', model: 'qwen3-coder', contextWindow: 8_000 },
    { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5' },
    { name: 'sonnet-plain', provider: 'claude', model: 'claude-sonnet-4-5', capabilities: ['completion'] },
  ],
  routes: [
    { name: 'coder', deployments: ['qwen', 'sonnet'] },
    { name: 'coder-plain', deployments: ['qwen', 'sonnet-plain'] },
  ],
});
beforeAll(async () => {
  [openai, anthropic] = await Promise.all([startFakeOpenAI(), startFakeAnthropic()]);
  h = await startGateway(config());
});
afterAll(() => stopAll(h, openai, anthropic));
beforeEach(() => resetBetweenTests(h, [openai, anthropic], config()));

const claude = () => new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
const refusal = (error: unknown) => ((error as InstanceType<typeof Anthropic.APIError>).error as { error: { type: string; message: string } }).error;
const words = (n: number) => 'word '.repeat(n);

describe('a prompt no deployment takes', () => {
  it("is refused to a Messages client in Anthropic's words, with numbers it can act on", async () => {
    const error = await claude().messages.create({ model: 'qwen', max_tokens: 1_000, messages: [{ role: 'user', content: words(20_000) }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    const match = /^prompt is too long: (\d+) tokens > (\d+) maximum/.exec(refusal(error).message);
    expect(match?.[2]).toBe('8000');
    expect(Number(match?.[1])).toBeGreaterThan(8_000);
    expect(refusal(error).type).toBe('invalid_request_error');
    // Streamed as well: the refusal comes before the stream.
    const streamed = await claude().messages.stream({ model: 'qwen', max_tokens: 1_000, messages: [{ role: 'user', content: words(20_000) }] }).finalMessage().catch((e: unknown) => e);
    expect(refusal(streamed).message).toMatch(/^prompt is too long: \d+ tokens > 8000 maximum/);
    expect(openai.requests).toHaveLength(0);
  });

  it('says the answer limit is what overflows when the prompt alone fits, so the client lowers max_tokens', async () => {
    const error = await claude().messages.create({ model: 'qwen', max_tokens: 7_000, messages: [{ role: 'user', content: words(2_000) }] }).catch((e: unknown) => e);
    const match = /^input length and `max_tokens` exceed context limit: (\d+) \+ (\d+) > (\d+), decrease input length or `max_tokens` and try again/.exec(refusal(error).message);
    expect([match?.[2], match?.[3]]).toEqual(['7000', '8000']);
    expect(Number(match?.[1]) + 7_000).toBeGreaterThan(8_000);
    // Lowered as the words say, it is answered.
    const room = 8_000 - Number(match?.[1]) - 100;
    const answer = await claude().messages.create({ model: 'qwen', max_tokens: room, messages: [{ role: 'user', content: words(2_000) }] });
    expect(answer.content[0]).toMatchObject({ type: 'text' });
  });

  it("is refused to an OpenAI client in OpenAI's words, with the estimate beside the code", async () => {
    const error = (await new OpenAI({ baseURL: h.baseUrl, apiKey: 'any', maxRetries: 0 }).chat.completions.create({ model: 'qwen', max_tokens: 500, messages: [{ role: 'user', content: words(20_000) }] }).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.code).toBe('context_length_exceeded');
    expect(error.message).toMatch(/maximum context length is 8000 tokens\. However, you requested \d+ tokens \(\d+ in the messages, 500 in the completion/);
    expect(error.error).toMatchObject({ largest_context_window: 8_000, max_tokens: 500, prompt_tokens: expect.any(Number) });
  });

  it("keeps an upstream's own refusal, put in Anthropic's words where it had other words", async () => {
    await anthropic.setMode({ kind: 'status', status: 400, body: anthropicError(400, 'prompt is too long: 250000 tokens > 200000 maximum') });
    const passed = await claude().messages.create({ model: 'sonnet', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(refusal(passed).message).toMatch(/prompt is too long: 250000 tokens > 200000 maximum/);
    await openai.setMode({ kind: 'status', status: 400, body: { error: { message: "This model's maximum context length is 8000 tokens. However, your messages resulted in 9000 tokens.", type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } } });
    const translated = await claude().messages.create({ model: 'qwen', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(refusal(translated).message).toMatch(/^prompt is too long: .*maximum context length is 8000 tokens/);
  });

  describe('where the rest of the route lacks what the request uses', () => {
    const tools = [{ name: 'read', description: 'reads a file', input_schema: { type: 'object' as const, properties: {} } }];

    it("is an overflow still, so an agent compacts and the deployment that was too small answers", async () => {
      await anthropic.setMode({ kind: 'status', status: 400, body: anthropicError(400, 'This model does not support tools') });
      const error = await claude().messages.create({ model: 'coder', max_tokens: 1_000, tools, messages: [{ role: 'user', content: words(20_000) }] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Anthropic.BadRequestError);
      expect(refusal(error).message).toMatch(/^prompt is too long: \d+ tokens > 8000 maximum/);
      expect(anthropic.requests).toHaveLength(1);
      const compacted = await claude().messages.create({ model: 'coder', max_tokens: 1_000, tools, messages: [{ role: 'user', content: words(2_000) }] });
      expect([compacted.content.length > 0, openai.requests.length, anthropic.requests.length]).toEqual([true, 1, 1]);
    });

    it('says why the others cannot take it, to an OpenAI client as well, when they were skipped unasked', async () => {
      const client = new OpenAI({ baseURL: h.baseUrl, apiKey: 'any', maxRetries: 0 });
      const fn = { type: 'function' as const, function: { name: 'read', parameters: { type: 'object' } } };
      const error = (await client.chat.completions.create({ model: 'coder-plain', max_tokens: 500, tools: [fn], messages: [{ role: 'user', content: words(20_000) }] }).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error.code).toBe('context_length_exceeded');
      expect(error.message).toMatch(/maximum context length is 8000 tokens\. However, you requested \d+ tokens .*The others lack what it uses: sonnet-plain \(claude-sonnet-4-5\) has no tools capability/);
      expect([openai.requests.length, anthropic.requests.length]).toEqual([0, 0]);
    });
  });
});
