/**
 * OpenRouter checks a request's answer limit against the account's balance before it routes it:
 * "This request requires more credits, or fewer max_tokens. You requested up to 32000 tokens, but
 * can only afford 27342" (a 402; Claude Code, opencode and Qwen Code ask for 32,000 or more). Read as
 * an empty account, it kept the deployment out for half an hour, though the same request within the
 * named limit goes through. Now the attempt asks again within it, for that request alone; a balance
 * that covers next to nothing is still an empty account.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

let openrouter: FakeServer, drained: FakeServer, cloud: FakeServer, h: Harness;

const config = () => ({
  version: 1,
  providers: [
    { name: 'openrouter', kind: 'openai', baseUrl: `${openrouter.url}/v1`, apiKey: 'env:TEST_KEY' },
    { name: 'drained', kind: 'openai', baseUrl: `${drained.url}/v1`, apiKey: 'env:TEST_KEY' },
    { name: 'cloud', kind: 'openai', baseUrl: `${cloud.url}/v1`, apiKey: 'env:TEST_KEY' },
  ],
  deployments: [
    { name: 'v4', provider: 'openrouter', model: 'z-ai/glm-5.1' },
    { name: 'v4-drained', provider: 'drained', model: 'z-ai/glm-5.1' },
    { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' },
  ],
  routes: [
    { name: 'code', deployments: ['v4', 'mini'] },
    { name: 'spent', deployments: ['v4-drained', 'mini'] },
  ],
});

beforeAll(async () => {
  [openrouter, drained, cloud] = await Promise.all([startFakeOpenAI({ creditCovers: 27_342 }), startFakeOpenAI({ creditCovers: 100 }), startFakeOpenAI()]);
  h = await startGateway(config(), { env: { TEST_KEY: 'sk-test' } });
});
afterAll(() => stopAll(h, openrouter, drained, cloud));
beforeEach(() => resetBetweenTests(h, [openrouter, drained, cloud], config()));

const limits = (server: FakeServer) => server.requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.body.max_tokens ?? r.body.max_completion_tokens);

it('asks again within what the credit covers, and keeps the deployment for the next request', async () => {
  const claudeCode = new Anthropic({ baseURL: h.url, apiKey: 'k', maxRetries: 0 });
  const message = await claudeCode.messages.stream({ model: 'code', max_tokens: 32_000, messages: [{ role: 'user', content: 'fix it' }] }).finalMessage();
  expect(message.content[0]).toMatchObject({ type: 'text' });
  expect(limits(openrouter)).toEqual([32_000, 27_342]);
  expect(cloud.requests).toHaveLength(0);
  expect(h.gateway.breakers.snapshot('v4')).toMatchObject({ state: 'closed', blockedBy: null });

  const small = await h.openai.chat.completions.create({ model: 'code', max_tokens: 1_000, messages: [{ role: 'user', content: 'hi' }] });
  expect(small.model).toBe('z-ai/glm-5.1');
  expect(limits(openrouter).at(-1)).toBe(1_000);
});

it('keeps out an account whose credit covers next to nothing, as spent', async () => {
  const answer = await h.openai.chat.completions.create({ model: 'spent', max_tokens: 4_096, messages: [{ role: 'user', content: 'hi' }] });
  expect(answer.model).toBe('gpt-4.1-mini');
  expect(limits(drained)).toEqual([4_096]);
  expect(h.gateway.breakers.snapshot('v4-drained')).toMatchObject({ state: 'open', blockedBy: 'quota' });
});
