/**
 * Ollama answers a chat it finds nothing to answer in by only loading the model (`done_reason:
 * "load"`, no text): with no messages, and on ollama.com with no turn but system ones (a request an
 * agent sends after pruning its history). That is no empty answer: the request goes to the next
 * deployment (a cloud API answers a system prompt alone), and with none the client is told why,
 * where before it got an empty "stop" its agent retried to no end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, type Harness } from '../support/harness';

let cloud: FakeServer, openai: FakeServer, h: Harness;

beforeAll(async () => {
  [cloud, openai] = await Promise.all([startFakeOllama({ models: ['deepseek-v4-flash'], loadsWithoutUserTurn: true }), startFakeOpenAI()]);
  h = await startGateway({
    version: 1,
    providers: [
      { name: 'ollama-cloud', kind: 'ollama', baseUrl: cloud.url, apiKey: 'env:TEST_KEY' },
      { name: 'openai', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY' },
    ],
    deployments: [
      { name: 'flash', provider: 'ollama-cloud', model: 'deepseek-v4-flash' },
      { name: 'mini', provider: 'openai', model: 'gpt-4.1-mini' },
    ],
    routes: [{ name: 'flash-first', deployments: ['flash', 'mini'] }],
  });
});
afterAll(() => stopAll(h, cloud, openai));

const systemAlone = [{ role: 'system' as const, content: 'Write a commit message for: fix typo' }];

describe('an Ollama answer that only loaded the model', () => {
  it('moves on to the next deployment, streamed or whole', async () => {
    const whole = await h.openai.chat.completions.create({ model: 'flash-first', messages: systemAlone }).withResponse();
    expect(whole.response.headers.get('x-switchyard-route')).toBe('flash:fail(unsupported) mini:ok');
    expect(whole.data.choices[0]?.message.content).not.toBe('');
    const streamed = await fetch(`${h.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'flash-first', stream: true, messages: systemAlone }) });
    expect(streamed.headers.get('x-switchyard-route')).toBe('flash:fail(unsupported) mini:ok');
    expect((await streamed.text()).trim().endsWith('data: [DONE]')).toBe(true);
  });

  it('is a 400 that says why when no deployment is left, and the deployment stays healthy', async () => {
    const res = await fetch(`${h.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'flash', messages: systemAlone }) });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toContain('only loaded deepseek-v4-flash and wrote nothing');
    expect(h.gateway.breakers.snapshot('flash')).toMatchObject({ consecutiveFailures: 0 });
    // A turn of the user's is answered as ever.
    const answer = await h.openai.chat.completions.create({ model: 'flash', messages: [...systemAlone, { role: 'user', content: 'one two' }] });
    expect(answer.choices[0]?.message.content).toBe('Echo: one two');
  });
});
