/**
 * DeepSeek says the prompt tokens it read from its prompt cache in its own `prompt_cache_hit_tokens`,
 * Moonshot's Kimi in a top-level `cached_tokens` (and a stream's usage inside its last choice), not
 * in OpenAI's `prompt_tokens_details.cached_tokens`. Read as none, an agent's prompt (mostly cache
 * hits, at a tenth of the price or less) was priced as fresh input, and Claude Code and chat clients
 * were told no cache was read. Each front door now says them where its clients read them.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, type Harness } from '../support/harness';

const PROMPT = 3_000;
const HITS = 2_944;
let deepseek: FakeServer, kimi: FakeServer, h: Harness;

beforeAll(async () => {
  [deepseek, kimi] = await Promise.all([startFakeOpenAI({ promptTokens: PROMPT, deepseekCacheHits: HITS }), startFakeOpenAI({ promptTokens: PROMPT, kimiCachedTokens: HITS })]);
  h = await startGateway(
    {
      version: 1,
      providers: [
        { name: 'deepseek', kind: 'openai', baseUrl: `${deepseek.url}/v1`, apiKey: 'env:TEST_KEY', local: false },
        { name: 'moonshot', kind: 'openai', baseUrl: `${kimi.url}/v1`, apiKey: 'env:TEST_KEY', local: false },
      ],
      deployments: [
        { name: 'chat', provider: 'deepseek', model: 'deepseek-chat' },
        { name: 'kimi', provider: 'moonshot', model: 'kimi-k2.6' },
      ],
      routes: [],
    },
    { env: { TEST_KEY: 'sk-test' } },
  );
});
afterAll(() => stopAll(h, deepseek, kimi));

const rows = (deployment = 'chat') => [...h.gateway.usage.iterate({ since: 0 })].filter((r) => r.deployment === deployment);

/** The cached tokens a chat client is told of, asking once whole and once streamed (with its usage). */
async function cachedToldToChat(model: string): Promise<[number | undefined, number | undefined]> {
  const whole = await h.openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });
  const stream = await h.openai.chat.completions.create({ model, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi' }] });
  let streamed: number | undefined;
  for await (const chunk of stream) streamed ??= chunk.usage?.prompt_tokens_details?.cached_tokens;
  return [whole.usage?.prompt_tokens_details?.cached_tokens, streamed];
}

describe('prompt cache reads in a provider\'s own fields', () => {
  it("are DeepSeek's cached tokens to a chat client, whole and streamed, and in the row priced as cache reads", async () => {
    expect(await cachedToldToChat('chat')).toEqual([HITS, HITS]);
    await expect.poll(() => rows().length).toBe(2);
    for (const row of rows()) expect(row).toMatchObject({ inputTokens: PROMPT, cacheReadTokens: HITS });
    // DeepSeek's cache hits cost a tenth of its input price or less: the whole prompt at the input price would be several times more.
    const row = rows()[0]!;
    expect(row.cost).toBeLessThan((PROMPT * 0.28) / 1_000_000);
  });

  it("are DeepSeek's cache reads to Claude Code through the Messages API", async () => {
    const claude = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
    const message = await claude.messages.create({ model: 'chat', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    expect(message.usage.cache_read_input_tokens).toBe(HITS);
    expect(message.usage.input_tokens).toBe(PROMPT - HITS);
    const stream = claude.messages.stream({ model: 'chat', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    expect((await stream.finalMessage()).usage.cache_read_input_tokens).toBe(HITS);
  });

  it("are read from Kimi's top-level cached_tokens, and a stream's usage from inside its last choice", async () => {
    expect(await cachedToldToChat('kimi')).toEqual([HITS, HITS]);
    await expect.poll(() => rows('kimi').length).toBe(2);
    // Counted, not estimated: the stream's usage was found where Kimi puts it.
    for (const row of rows('kimi')) expect(row).toMatchObject({ inputTokens: PROMPT, cacheReadTokens: HITS, tokensEstimated: false });
  });
});
