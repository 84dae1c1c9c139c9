/**
 * Token counting is advice (Claude Code estimates without it): a deployment whose upstream cannot
 * count (an Anthropic-compatible API without the endpoint, a rate limit of its own) gets the
 * gateway's estimate, and its messages are routed as before. A 404 from the count once blocked the
 * deployment as "model missing" for every request.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

let compatible: FakeServer;
let h: Harness;
let client: Anthropic;

const config = () => ({
  version: 1,
  providers: [{ name: 'deepseek', kind: 'anthropic', baseUrl: compatible.url, apiKey: 'env:TEST_KEY' }],
  deployments: [{ name: 'v4', provider: 'deepseek', model: 'deepseek-v4' }],
  routes: [],
});

beforeAll(async () => {
  compatible = await startFakeAnthropic({ noTokenCounting: true });
  h = await startGateway(config());
  client = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
});
afterAll(() => stopAll(h, compatible));
beforeEach(() => resetBetweenTests(h, [compatible], config()));

const messages = [{ role: 'user' as const, content: 'hello there, how are you' }];
const breaker = () => h.gateway.breakers.get('v4').snapshot(Date.now());

describe('an Anthropic-compatible upstream that cannot count', () => {
  it('answers a count with the estimate and keeps the deployment for messages', async () => {
    for (let i = 0; i < 3; i++) {
      const counted = await client.messages.countTokens({ model: 'v4', messages });
      expect(counted.input_tokens).toBeGreaterThan(3);
    }
    expect(compatible.requests.filter((r) => r.path === '/v1/messages/count_tokens')).toHaveLength(3);
    expect(breaker()).toMatchObject({ state: 'closed', blockedBy: null, coolingUntil: null });
    const answer = await client.messages.create({ model: 'v4', max_tokens: 100, messages });
    expect(answer.content).toEqual([expect.objectContaining({ type: 'text', text: 'Echo: hello there, how are you' })]);
  });

  it('answers with the estimate when the count is rate limited, without cooling the deployment', async () => {
    await compatible.setMode({ kind: 'status', status: 429, retryAfter: '30' });
    expect((await client.messages.countTokens({ model: 'v4', messages })).input_tokens).toBeGreaterThan(3);
    expect(breaker()).toMatchObject({ state: 'closed', coolingUntil: null });
  });

  it('still shows the client a request the upstream refuses as such', async () => {
    await compatible.setMode({ kind: 'status', status: 400 });
    const refused = await client.messages.countTokens({ model: 'v4', messages }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Anthropic.BadRequestError);
  });

  it('counts a conversation sent as blocks as Claude Code sends it, tool results and inputs too, as much as the same text sent plain', async () => {
    const text = 'hello there, how are you today? '.repeat(1_000);
    const plain = (await client.messages.countTokens({ model: 'v4', messages: [{ role: 'user', content: text }] })).input_tokens;
    const blocks = await client.messages.countTokens({
      model: 'v4',
      messages: [
        { role: 'user', content: [{ type: 'text', text: text.slice(0, 10_000) }] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'read', input: { path: text.slice(10_000, 20_000) } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: text.slice(20_000) }] }] },
      ],
    });
    expect(plain).toBeGreaterThan(5_000);
    expect(Math.abs(blocks.input_tokens - plain)).toBeLessThan(plain * 0.05);
  });
});
