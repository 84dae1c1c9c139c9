/**
 * Anthropic refuses a prompt that fits its window but not with the answer limit beside it: "input
 * length and `max_tokens` exceed context limit: 188240 + 21333 > 200000, decrease input length or
 * `max_tokens` and try again" (Claude Code's long sessions meet it). The gateway read it as the
 * request's own fault and handed it back, where it asks other servers that name the room so again
 * within it, and where a model with a larger window was next on the route. A prompt too long for
 * the model alone ("prompt is too long") goes on to the next deployment.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

let nearlyFull: FakeServer, overFull: FakeServer, openai: FakeServer, h: Harness;

const config = () => ({
  version: 1,
  providers: [
    { name: 'claude', kind: 'anthropic', baseUrl: nearlyFull.url, apiKey: 'env:TEST_KEY' },
    { name: 'claude-full', kind: 'anthropic', baseUrl: overFull.url, apiKey: 'env:TEST_KEY' },
    { name: 'cloud', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY' },
  ],
  deployments: [
    { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5' },
    { name: 'haiku', provider: 'claude-full', model: 'claude-haiku-4-5' },
    { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' },
  ],
  routes: [
    { name: 'code', deployments: ['sonnet', 'mini'] },
    { name: 'quick', deployments: ['haiku', 'mini'] },
  ],
});

beforeAll(async () => {
  [nearlyFull, overFull, openai] = await Promise.all([
    startFakeAnthropic({ window: { tokens: 200_000, prompt: 188_240 } }),
    startFakeAnthropic({ window: { tokens: 200_000, prompt: 250_000 } }),
    startFakeOpenAI(),
  ]);
  h = await startGateway(config(), { env: { TEST_KEY: 'sk-test' } });
});
afterAll(() => stopAll(h, nearlyFull, overFull, openai));
beforeEach(() => resetBetweenTests(h, [nearlyFull, overFull, openai], config()));

const claudeCode = () => new Anthropic({ baseURL: h.url, apiKey: 'k', maxRetries: 0 });

it('asks Claude again within the room its refusal names, passed through and translated alike', async () => {
  const message = await claudeCode().messages.stream({ model: 'code', max_tokens: 32_000, messages: [{ role: 'user', content: 'go on' }] }).finalMessage();
  expect(message.content[0]).toMatchObject({ type: 'text' });
  expect(nearlyFull.requests.filter((r) => r.path === '/v1/messages').map((r) => r.body.max_tokens)).toEqual([32_000, 11_760]);
  expect(openai.requests).toHaveLength(0);

  const chat = await h.openai.chat.completions.create({ model: 'code', max_tokens: 21_333, messages: [{ role: 'user', content: 'go on' }] });
  expect(chat.model).toBe('claude-sonnet-4-5');
  expect(nearlyFull.requests.filter((r) => r.path === '/v1/messages').map((r) => r.body.max_tokens).slice(2)).toEqual([21_333, 11_760]);
});

it('sends a prompt too long for the model on to the next deployment', async () => {
  const message = await claudeCode().messages.create({ model: 'quick', max_tokens: 1_000, messages: [{ role: 'user', content: 'go on' }] });
  expect(message.content[0]).toMatchObject({ type: 'text' });
  expect(openai.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(1);
  expect(h.gateway.breakers.snapshot('haiku')).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
});
