/**
 * A local server that refuses a prompt and an answer limit its window cannot hold together, naming
 * both (vLLM, SGLang): Claude Code asks for 32,000 tokens out of a model with an 8k window. The
 * gateway asks again for the room the prompt left, for that request alone; a prompt that fills the
 * window alone is still refused as too long for the model (and the route moves on).
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

let vllm: FakeServer, full: FakeServer, cloud: FakeServer, h: Harness;
const config = () => ({
  version: 1,
  providers: [
    { name: 'vllm', kind: 'openai', baseUrl: `${vllm.url}/v1` },
    { name: 'full', kind: 'openai', baseUrl: `${full.url}/v1` },
    { name: 'cloud', kind: 'openai', baseUrl: `${cloud.url}/v1`, apiKey: 'env:TEST_KEY', local: false },
  ],
  deployments: [
    { name: 'qwen', provider: 'vllm', model: 'Qwen/Qwen3-8B' },
    { name: 'tiny', provider: 'full', model: 'Qwen/Qwen3-0.6B' },
    { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' },
  ],
  routes: [{ name: 'local-first', deployments: ['tiny', 'mini'] }],
});

beforeAll(async () => {
  [vllm, full, cloud] = await Promise.all([startFakeOpenAI({ contextLength: 8_192, promptTokens: 1_200 }), startFakeOpenAI({ contextLength: 1_024, promptTokens: 1_200 }), startFakeOpenAI()]);
  h = await startGateway(config());
});
afterAll(() => stopAll(h, vllm, full, cloud));
beforeEach(() => resetBetweenTests(h, [vllm, full, cloud], config()));

describe('an answer limit over the room a prompt left', () => {
  it('is asked again within the room, each time, for Claude Code and a chat client alike', async () => {
    const claude = new Anthropic({ baseURL: h.url, apiKey: 'k', maxRetries: 0 });
    const message = await claude.messages.stream({ model: 'qwen', max_tokens: 32_000, messages: [{ role: 'user', content: 'hello' }] }).finalMessage();
    expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: 'Echo: hello' })]);
    expect(vllm.requests.map((r) => r.body.max_tokens ?? r.body.max_completion_tokens)).toEqual([32_000, 6_992]);

    // Not learned for the model: another request's prompt leaves other room.
    const chat = await h.openai.chat.completions.create({ model: 'qwen', max_tokens: 10_000, messages: [{ role: 'user', content: 'again' }] });
    expect(chat.choices[0]?.message.content).toBe('Echo: again');
    expect(vllm.requests.slice(2).map((r) => r.body.max_tokens)).toEqual([10_000, 6_992]);
    expect(h.gateway.breakers.get('qwen').snapshot(Date.now())).toMatchObject({ state: 'closed' });
  });

  it('does not help a prompt that fills the window alone: the route moves on', async () => {
    const answer = await h.openai.chat.completions.create({ model: 'local-first', max_tokens: 500, messages: [{ role: 'user', content: 'hello' }] });
    expect(answer.choices[0]?.message.content).toBe('Echo: hello');
    expect(full.requests).toHaveLength(1);
    expect(cloud.requests).toHaveLength(1);
  });
});
