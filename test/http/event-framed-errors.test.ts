/**
 * Alibaba DashScope's Anthropic API (the one its docs give Claude Code) answers a refusal with its
 * status and a body framed as a server-sent event: `event:error` then `data:{"code":
 * "InvalidParameter", "message": "<400> InternalError.Algo.InvalidParameter: Range of max_tokens
 * should be [1, 8192]"}` (claude-code-router#1327). Claude Code asks for 32,000 tokens: the model is
 * asked again within the limit it names (the refusal is read as the event's data: wire/error-bodies
 * unit tests read its words).
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

let dashscope: FakeServer, h: Harness;

const config = () => ({
  version: 1,
  providers: [{ name: 'dashscope', kind: 'anthropic', baseUrl: dashscope.url, apiKey: 'env:TEST_KEY' }],
  deployments: [
    { name: 'qwen-plus', provider: 'dashscope', model: 'qwen-plus' },
  ],
  routes: [],
});

beforeAll(async () => {
  dashscope = await startFakeAnthropic({ dashscopeMaxTokens: 8_192 });
  h = await startGateway(config(), { env: { TEST_KEY: 'sk-test' } });
});
afterAll(() => stopAll(h, dashscope));
beforeEach(() => resetBetweenTests(h, [dashscope], config()));

const claudeCode = () => new Anthropic({ baseURL: h.url, apiKey: 'k', maxRetries: 0 });

it('asks again within the limit an event-framed refusal names', async () => {
  const message = await claudeCode().messages.stream({ model: 'qwen-plus', max_tokens: 32_000, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
  expect(message.content[0]).toMatchObject({ type: 'text' });
  expect(dashscope.requests.filter((r) => r.path === '/v1/messages').map((r) => r.body.max_tokens)).toEqual([32_000, 8_192]);
});
