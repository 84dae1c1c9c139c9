/**
 * A failure an upstream reports inside a stream it began with a 200 is classed as the status it
 * would have come with over HTTP, in every wire and whichever API the client speaks: llama.cpp's
 * context overflow (`{"error": {"code": 400, ...}}`) is a prompt too long for that deployment, not
 * its 5xx (no breaker counts it); Anthropic's `rate_limit_error` and a Response's
 * `rate_limit_exceeded` are rate limits, to a chat client as to a client of the upstream's own API;
 * and a server's own words reach the client whether it gives its error as an object or a string.
 * Before, each was the deployment's 5xx, and a string error read "unknown error".
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

let llamaCpp: FakeServer, anthropic: FakeServer, openai: FakeServer, ollama: FakeServer, h: Harness;

const config = () => ({
  version: 1,
  providers: [
    { name: 'llama-server', kind: 'openai', baseUrl: `${llamaCpp.url}/v1`, local: true },
    { name: 'claude', kind: 'anthropic', baseUrl: anthropic.url, apiKey: 'env:TEST_KEY' },
    { name: 'openai', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY', apis: ['responses'] },
    { name: 'local', kind: 'ollama', baseUrl: ollama.url },
  ],
  deployments: [
    { name: 'small', provider: 'llama-server', model: 'qwen3-8b' },
    { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5' },
    { name: 'gpt', provider: 'openai', model: 'gpt-5.5' },
    { name: 'llama', provider: 'local', model: 'llama3.2:3b' },
  ],
  routes: [
    { name: 'small-first', deployments: ['small', 'llama'] },
    { name: 'claude-first', deployments: ['sonnet', 'llama'] },
    { name: 'openai-first', deployments: ['gpt', 'llama'] },
  ],
});

beforeAll(async () => {
  [llamaCpp, anthropic, openai, ollama] = await Promise.all([startFakeOpenAI(), startFakeAnthropic(), startFakeOpenAI(), startFakeOllama()]);
  h = await startGateway(config());
});
afterAll(() => stopAll(h, llamaCpp, anthropic, openai, ollama));
beforeEach(() => resetBetweenTests(h, [llamaCpp, anthropic, openai, ollama], config()));

const chat = (model: string) => fetch(`${h.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: 'one two' }] }) });

describe('a failure reported inside a stream', () => {
  it("is a prompt too long when llama.cpp's server says so with its code 400, and no breaker counts it", async () => {
    const overflow = { error: { code: 400, message: 'the request exceeds the available context size, try increasing it', type: 'exceed_context_size_error', n_prompt_tokens: 9000, n_ctx: 8192 } };
    await llamaCpp.setMode({ kind: 'error-event', chunks: 1, event: overflow });
    const res = await chat('small-first');
    expect(res.headers.get('x-switchyard-route')).toBe('small:fail(context-length) llama:ok');
    expect((await res.text()).trim().endsWith('data: [DONE]')).toBe(true);
    expect(h.gateway.breakers.snapshot('small')).toMatchObject({ consecutiveFailures: 0 });
  });

  it("is a rate limit when Google's compatibility layer says its code 429, in its list of one", async () => {
    await llamaCpp.setMode({ kind: 'error-event', chunks: 1, event: [{ error: { code: 429, message: 'Resource has been exhausted (e.g. check quota).', status: 'RESOURCE_EXHAUSTED' } }] });
    expect((await chat('small-first')).headers.get('x-switchyard-route')).toBe('small:fail(rate-limited) llama:ok');
  });

  it("is a rate limit when Anthropic says rate_limit_error, to a chat client as to a Messages client", async () => {
    const limited = { type: 'error', error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' } };
    await anthropic.setMode({ kind: 'error-event', chunks: 1, event: limited });
    expect((await chat('claude-first')).headers.get('x-switchyard-route')).toBe('sonnet:fail(rate-limited) llama:ok');
    // A rate limit cools the deployment (a 5xx would not): the next request passes it by.
    expect((await chat('claude-first')).headers.get('x-switchyard-route')).toBe('sonnet:skip(cooling) llama:ok');
    await resetBetweenTests(h, [llamaCpp, anthropic, openai, ollama], config());
    await anthropic.setMode({ kind: 'error-event', chunks: 1, event: limited });
    const client = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
    const { response } = await client.messages.create({ model: 'claude-first', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'one two' }] }).withResponse();
    expect(response.headers.get('x-switchyard-route')).toBe('sonnet:fail(rate-limited) llama:ok');
  });

  it("is a rate limit when a Response's error event says rate_limit_exceeded", async () => {
    await openai.setMode({ kind: 'error-event', chunks: 2, event: { type: 'error', sequence_number: 2, code: 'rate_limit_exceeded', message: 'Rate limit reached for gpt-5.5', param: null } });
    const res = await fetch(`${h.baseUrl}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'openai-first', stream: true, input: 'one two' }) });
    expect(res.headers.get('x-switchyard-route')).toBe('gpt:fail(rate-limited) llama:ok');
    expect(await res.text()).toContain('event: response.completed');
  });

  it("reads a response.failed whose error is beside its Response, not in it (Pioneer's: response.error null)", async () => {
    const failed = (code: string, message: string) => ({ type: 'response.failed', sequence_number: 2, response: { id: 'resp_1', object: 'response', status: 'failed', error: null, model: 'gpt-5.5', output: [] }, error: { message, type: 'server_error', code } });
    const post = (model: string) => fetch(`${h.baseUrl}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, stream: true, input: 'one two' }) });
    await openai.setMode({ kind: 'error-event', chunks: 2, event: failed('upstream_error', 'Upstream provider error') });
    const res = await post('gpt');
    expect(res.headers.get('x-switchyard-route')).toBe('gpt:fail(upstream-5xx)');
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('Upstream provider error');
    await resetBetweenTests(h, [llamaCpp, anthropic, openai, ollama], config());
    await openai.setMode({ kind: 'error-event', chunks: 2, event: failed('rate_limit_exceeded', 'Rate limit reached') });
    expect((await post('openai-first')).headers.get('x-switchyard-route')).toBe('gpt:fail(rate-limited) llama:ok');
  });

  it("passes on a server's own words given as a string, and one that names no status is still the deployment's 5xx", async () => {
    await llamaCpp.setMode({ kind: 'error-event', chunks: 1, event: { error: 'llama runner process has terminated: signal: killed' } });
    const res = await chat('small');
    expect(res.headers.get('x-switchyard-route')).toBe('small:fail(upstream-5xx)');
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toContain('llama runner process has terminated: signal: killed');
  });
});
