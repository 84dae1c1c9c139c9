/**
 * A request that waiting cannot mend is said to be one. When what it uses (an image) is what every
 * deployment lacks, it is refused as the request's own problem (400), as a prompt too long for
 * every deployment is. When a setting keeps every deployment out (local only, disabled) it is a 503
 * marked `x-should-retry: false`, which the SDKs obey: without it the OpenAI SDK sent it three times
 * and the Anthropic SDK (Claude Code's, asked to retry ten times) as often as it was allowed. So is
 * one every deployment refused for its config (a key refused, a model missing), and one whose first
 * deployment comes back later than any SDK waits (a block of half an hour).
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, type Harness } from '../support/harness';

let ollama: FakeServer;
let openai: FakeServer;
let h: Harness;
let sent = 0;
// Counts what the SDKs send, retries included; the SDKs' own backoff is kept short.
const counted: typeof fetch = (input, init) => {
  sent++;
  return fetch(input, init);
};
let openaiClient: OpenAI;
let anthropicClient: Anthropic;
const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

beforeAll(async () => {
  [ollama, openai] = await Promise.all([startFakeOllama(), startFakeOpenAI()]);
  h = await startGateway({
    version: 1,
    providers: [
      { name: 'local', kind: 'ollama', baseUrl: ollama.url },
      { name: 'cloud', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY', local: false },
    ],
    deployments: [
      // The fake's llama3.2 has no vision, as the real one (its /api/show capabilities).
      { name: 'llama', provider: 'local', model: 'llama3.2:3b' },
      { name: 'off', provider: 'local', model: 'llama3.2:3b', enabled: false },
      { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini', breaker: { failures: 1, cooldownMs: 20_000 } },
    ],
    routes: [
      { name: 'eyes', deployments: ['llama'] },
      { name: 'switched-off', deployments: ['off'] },
      { name: 'cloud-only', deployments: ['mini'] },
    ],
  });
  await h.gateway.health.probeAll();
  openaiClient = new OpenAI({ baseURL: h.baseUrl, apiKey: 'any', maxRetries: 2, fetch: counted });
  anthropicClient = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 3, fetch: counted });
}, 30_000);

afterAll(() => stopAll(h, ollama, openai));

beforeEach(async () => {
  sent = 0;
  h.gateway.setLocalOnly(false);
  await openai.setMode({ kind: 'healthy' });
});

describe('requests no wait can mend', () => {
  it('refuses an image for a route whose every model lacks vision as the request itself (400), once', async () => {
    const chat = await openaiClient.chat.completions
      .create({ model: 'eyes', messages: [{ role: 'user', content: [{ type: 'text', text: 'what is it' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } }] }] })
      .catch((e: unknown) => e);
    expect(chat).toBeInstanceOf(OpenAI.BadRequestError);
    const error = chat as InstanceType<typeof OpenAI.BadRequestError>;
    expect(error.code).toBe('capability_missing');
    expect(error.type).toBe('invalid_request_error');
    expect(error.message).toContain('No deployment of "eyes" can take this request: llama (llama3.2:3b) has no vision capability, and the request uses images');
    expect(sent).toBe(1);

    sent = 0;
    const messages = await anthropicClient.messages
      .create({ model: 'eyes', max_tokens: 50, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } }] }] })
      .catch((e: unknown) => e);
    expect(messages).toBeInstanceOf(Anthropic.BadRequestError);
    expect((messages as InstanceType<typeof Anthropic.BadRequestError>).error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(sent).toBe(1);
    expect(ollama.requests.filter((r) => r.path === '/api/chat')).toHaveLength(0);
  });

  it('marks a route kept out by settings (local only, disabled) not to be sent again, and no SDK sends it again', async () => {
    h.gateway.setLocalOnly(true);
    for (const model of ['cloud-only', 'switched-off']) {
      sent = 0;
      const raw = await fetch(`${h.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) });
      expect(raw.status).toBe(503);
      expect(raw.headers.get('x-should-retry')).toBe('false');
      expect(((await raw.json()) as { error: { message: string } }).error.message).toContain('. It does not become available by itself.');

      sent = 0;
      const chat = await openaiClient.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
      expect((chat as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
      expect(sent).toBe(1);

      sent = 0;
      const messages = await anthropicClient.messages.create({ model, max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
      expect((messages as InstanceType<typeof Anthropic.APIError>).status).toBe(503);
      // Not overloaded_error: Claude Code sends those again whatever the headers say.
      expect((messages as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'api_error' } });
      expect(sent).toBe(1);
    }
    expect(openai.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('marks a key refused, a model missing, as not to be sent again, first as it fails and then while it is blocked', async () => {
    await openai.setMode({ kind: 'status', status: 401, body: { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } } });
    const failed = await openaiClient.chat.completions.create({ model: 'cloud-only', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect((failed as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    expect((failed as InstanceType<typeof OpenAI.APIError>).headers?.get('x-should-retry')).toBe('false');
    expect(sent).toBe(1);

    sent = 0;
    const blocked = await anthropicClient.messages.create({ model: 'cloud-only', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    const error = blocked as InstanceType<typeof Anthropic.APIError>;
    expect(error.status).toBe(503);
    // Blocked for half an hour: longer than any SDK waits, so said rather than retried.
    expect(Number(error.headers?.get('retry-after'))).toBeGreaterThan(60);
    expect((error.error as { error: { message: string } }).error.message).toContain('its key was refused');
    expect(sent).toBe(1);
    await h.admin('/admin/api/breakers/mini/reset', { method: 'POST' });
  });

  it('leaves a wait that does mend (an open breaker that cools) for the client to retry', async () => {
    await openai.setMode({ kind: 'status', status: 500 });
    const first = await fetch(`${h.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'cloud-only', messages: [{ role: 'user', content: 'hi' }] }) });
    expect(first.status).toBe(503);
    const open = await fetch(`${h.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'cloud-only', messages: [{ role: 'user', content: 'hi' }] }) });
    expect(open.status).toBe(503);
    // The one deployment's skip says when, once: the error adds no second sentence saying it again.
    const { message } = ((await open.json()) as { error: { message: string } }).error;
    expect(message).toMatch(/: mini's circuit is open until \S+ UTC after repeated failures\.$/);
    expect(message).not.toContain('available at');
    expect(Number(open.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(open.headers.get('x-should-retry')).toBeNull();
    const messages = await fetch(`${h.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: JSON.stringify({ model: 'cloud-only', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }) });
    expect(((await messages.json()) as { error: { type: string } }).error.type).toBe('overloaded_error');
  });
});
