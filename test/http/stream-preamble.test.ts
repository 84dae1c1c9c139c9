/**
 * A stream that fails before any of the answer falls back, in every API: Anthropic often reports an
 * overload right after `message_start`, a Response can fail right after `response.created`, a chat
 * stream after the role chunk. Those first events carry nothing of the answer, so the gateway holds
 * them back until one does; before, the stream was committed at the first event and the client got
 * the error while the next deployment stood idle. Once any of the answer is sent, a failure still
 * ends the stream with the API's error event.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

let anthropic: FakeServer, openai: FakeServer, ollama: FakeServer, h: Harness;

const config = () => ({
  version: 1,
  providers: [
    { name: 'claude', kind: 'anthropic', baseUrl: anthropic.url, apiKey: 'env:TEST_KEY' },
    { name: 'openai', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY', apis: ['chat', 'responses'] },
    { name: 'local', kind: 'ollama', baseUrl: ollama.url },
  ],
  deployments: [
    { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5' },
    { name: 'gpt', provider: 'openai', model: 'gpt-5.5' },
    { name: 'llama', provider: 'local', model: 'llama3.2:3b' },
  ],
  routes: [
    { name: 'claude-first', deployments: ['sonnet', 'llama'] },
    { name: 'openai-first', deployments: ['gpt', 'llama'] },
  ],
});

beforeAll(async () => {
  [anthropic, openai, ollama] = await Promise.all([startFakeAnthropic(), startFakeOpenAI({ responsesKeepalives: true }), startFakeOllama()]);
  h = await startGateway(config());
});
afterAll(() => stopAll(h, anthropic, openai, ollama));
beforeEach(() => resetBetweenTests(h, [anthropic, openai, ollama], config()));

const post = (path: string, body: Record<string, unknown>) => fetch(`${h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: JSON.stringify(body) });

describe('a stream that fails before any of the answer', () => {
  it("falls back from Anthropic's overload after message_start, and the client sees one whole message", async () => {
    await anthropic.setMode({ kind: 'error-event', chunks: 1 });
    const client = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
    const stream = client.messages.stream({ model: 'claude-first', max_tokens: 100, messages: [{ role: 'user', content: 'one two' }] });
    const message = await stream.finalMessage();
    expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: 'Echo: one two' })]);
    expect((await stream.withResponse()).response.headers.get('x-switchyard-route')).toBe('sonnet:fail(upstream-5xx) llama:ok');
    expect(h.gateway.breakers.snapshot('sonnet')).toMatchObject({ consecutiveFailures: 1 });
  });

  it('falls back from a Response that fails after response.created', async () => {
    await openai.setMode({ kind: 'error-event', chunks: 2 });
    const res = await post('/v1/responses', { model: 'openai-first', stream: true, input: 'one two' });
    expect(res.headers.get('x-switchyard-route')).toBe('gpt:fail(upstream-5xx) llama:ok');
    const text = await res.text();
    expect(text).toContain('event: response.completed');
    expect(text).not.toContain('event: error');
  });

  it("falls back from a Response that fails after OpenAI's keepalive, which carries nothing of the answer", async () => {
    await openai.setMode({ kind: 'error-event', chunks: 3 });
    const res = await post('/v1/responses', { model: 'openai-first', stream: true, input: 'one two' });
    expect(res.headers.get('x-switchyard-route')).toBe('gpt:fail(upstream-5xx) llama:ok');
    expect(await res.text()).not.toContain('event: error');
  });

  it('passes the keepalive on in a Response that goes on, as OpenAI sent it', async () => {
    const text = await (await post('/v1/responses', { model: 'openai-first', stream: true, input: 'one two' })).text();
    expect(text).toContain('event: keepalive\ndata: {"type":"keepalive","sequence_number":2}');
    expect(text).toContain('event: response.completed');
  });

  it('falls back from a chat stream that fails after the role chunk', async () => {
    await openai.setMode({ kind: 'error-event', chunks: 1 });
    const res = await post('/v1/chat/completions', { model: 'openai-first', stream: true, messages: [{ role: 'user', content: 'one two' }] });
    expect(res.headers.get('x-switchyard-route')).toBe('gpt:fail(upstream-5xx) llama:ok');
    expect((await res.text()).trim().endsWith('data: [DONE]')).toBe(true);
  });
});

describe('a stream that fails after some of the answer', () => {
  it('still ends with the error event: what the client has cannot be taken back', async () => {
    await anthropic.setMode({ kind: 'error-event', chunks: 4 });
    const res = await post('/v1/messages', { model: 'claude-first', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'one two three' }] });
    expect(res.headers.get('x-switchyard-deployment')).toBe('sonnet');
    const text = await res.text();
    expect(text).toContain('event: content_block_delta');
    expect(text.trim().split('\n\n').at(-1)).toMatch(/^event: error\ndata: \{"type":"error","error":\{"type":"overloaded_error"/);
    expect(ollama.requests).toHaveLength(0);
  });
});
