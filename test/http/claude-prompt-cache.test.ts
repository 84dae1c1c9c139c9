/**
 * Anthropic caches a prompt only when asked; OpenAI and the rest do it unasked. A chat client
 * (Cline, Codex translated, an Ollama client) on a Claude deployment resends its whole conversation
 * every turn: without the ask it paid the full input price for all of it, every turn. Translated
 * requests to Claude now ask (top-level `cache_control`, which marks the last block), and the cached
 * tokens are counted and priced as such. The fake Anthropic reads a marked prompt from its cache.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

let anthropic: FakeServer;
let h: Harness;

const config = () => ({
  version: 1,
  providers: [{ name: 'claude', kind: 'anthropic', baseUrl: anthropic.url, apiKey: 'env:TEST_KEY' }],
  deployments: [
    { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5', pricing: { inputPerMTok: 3, outputPerMTok: 15, cacheReadPerMTok: 0.3, cacheWritePerMTok: 3.75 } },
    // Another vendor's model behind a Messages API: asked for nothing it may not know.
    { name: 'other', provider: 'claude', model: 'deepseek-chat' },
  ],
  routes: [],
});

beforeAll(async () => {
  anthropic = await startFakeAnthropic();
  h = await startGateway(config(), { env: { TEST_KEY: 'sk-test' } });
});
afterAll(() => stopAll(h, anthropic));
beforeEach(() => resetBetweenTests(h, [anthropic], config()));

describe("a chat client's conversation on Claude", () => {
  it('asks Anthropic to cache it, and is charged the cached price for what was read', async () => {
    const since = Date.now() - 1;
    const answer = await h.openai.chat.completions.create({ model: 'sonnet', messages: [{ role: 'system', content: 'You are Cline.' }, { role: 'user', content: 'hello' }] });
    expect(anthropic.requests[0]?.body.cache_control).toEqual({ type: 'ephemeral' });
    // The fake read 80 prompt tokens from its cache and wrote 20, beside 12 uncached.
    expect(answer.usage).toMatchObject({ prompt_tokens: 112, prompt_tokens_details: { cached_tokens: 80 } });
    const row = [...h.gateway.usage.iterate({ since })].at(-1)!;
    expect(row).toMatchObject({ inputTokens: 112, cacheReadTokens: 80, cacheWriteTokens: 20 });
    expect(row.cost).toBeCloseTo((12 * 3 + 80 * 0.3 + 20 * 3.75 + row.outputTokens! * 15) / 1e6, 10);
  });

  it('asks nothing of another vendor\'s model behind a Messages API', async () => {
    await h.openai.chat.completions.create({ model: 'other', messages: [{ role: 'user', content: 'hello' }] });
    expect(anthropic.requests[0]?.body).not.toHaveProperty('cache_control');
  });
});
