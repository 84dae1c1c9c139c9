import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, twoTierConfig, type Harness, stopAll, resetBetweenTests } from '../support/harness';

let ollama: FakeServer;
let openai: FakeServer;
let h: Harness;
const urls = () => ({ ollama: ollama.url, openai: openai.url, timeouts: { firstByteMs: 400, idleMs: 400 } });

beforeAll(async () => {
  ollama = await startFakeOllama({ chunkDelayMs: 5 });
  openai = await startFakeOpenAI({ chunkDelayMs: 5 });
  h = await startGateway(twoTierConfig(urls()));
});
afterAll(() => stopAll(h, ollama, openai));
beforeEach(async () => {
  await resetBetweenTests(h, [ollama, openai], twoTierConfig(urls()));
});

const ask = (model = 'default', extra: Record<string, unknown> = {}) =>
  h.openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'hello' }], ...extra }).withResponse();

async function rawChat(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await fetch(`${h.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'hello' }], ...body }),
  });
  return { res, text: await res.text() };
}

describe('moving on to the next deployment', () => {
  const cases = [
    ['the connection is refused', { kind: 'refuse' }, 'connect'],
    ['it answers 500', { kind: 'status', status: 500 }, 'upstream_5xx'],
    ['it answers 503', { kind: 'status', status: 503 }, 'upstream_5xx'],
    ['it answers 429 with Retry-After', { kind: 'status', status: 429, retryAfter: '120' }, 'rate_limited'],
    ['it never answers (first-byte timeout)', { kind: 'hang' }, 'timeout'],
    ['it resets the connection before headers', { kind: 'reset-before-headers' }, 'connect'],
    ['it answers 200 with HTML', { kind: 'html' }, 'upstream_protocol'],
    ['it answers malformed JSON', { kind: 'malformed-json' }, 'upstream_protocol'],
  ] as const;

  for (const [what, mode, failure] of cases) {
    it(`falls back from Ollama to the cloud deployment when ${what}`, async () => {
      await ollama.setMode(mode);
      const { data, response } = await ask();
      expect(data.choices[0]?.message.content).toBe('Echo: hello');
      expect(response.headers.get('x-switchyard-deployment')).toBe('mini');
      expect(response.headers.get('x-switchyard-attempts')).toBe('2');
      expect(openai.requests).toHaveLength(1);
      const health = await fetch(`${h.url}/health`).then((r) => r.json());
      const llama = health.deployments.find((d: { name: string }) => d.name === 'llama');
      expect(llama.status).toBe(failure === 'rate_limited' ? 'cooling' : 'down');
      expect(llama.lastError).toBeTruthy();
    });
  }

  it('reports each failure class in the all-failed error', async () => {
    await ollama.setMode({ kind: 'refuse' });
    await openai.setMode({ kind: 'status', status: 500 });
    const { res, text } = await rawChat({ model: 'default' });
    expect(res.status).toBe(503);
    expect(res.headers.get('x-switchyard-attempts')).toBe('2');
    const error = JSON.parse(text).error;
    expect(error).toMatchObject({ type: 'api_error', code: 'all_deployments_failed', param: null });
    expect(error.attempts).toEqual([
      expect.objectContaining({ deployment: 'llama', provider: 'local', outcome: 'failed', failure: 'connect' }),
      expect.objectContaining({ deployment: 'mini', provider: 'cloud', outcome: 'failed', failure: 'upstream_5xx', status: 500 }),
    ]);
    // Each attempt under its deployment and provider, the provider named once ("llama (local): local: connection failed" before).
    expect(error.message).toMatch(/^All 2 attempts for "default" failed: llama \(local\): connection failed \(ECONNREFUSED\); /);
    expect(error.message).toContain('mini (cloud): 500 fake upstream error');
  });

  it('answers 429 with Retry-After when every deployment is rate limited', async () => {
    await ollama.setMode({ kind: 'status', status: 429, retryAfter: '7' });
    await openai.setMode({ kind: 'status', status: 429, retryAfter: '3' });
    const { res, text } = await rawChat({ model: 'default' });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(JSON.parse(text).error.code).toBe('all_deployments_rate_limited');
  });
});

describe('failures that belong to the request', () => {
  it('returns an upstream 400 to the client and does not try the next deployment', async () => {
    await ollama.setMode({ kind: 'status', status: 400, body: { error: 'invalid option num_ctx' } });
    const error = await ask().catch((e) => e);
    expect(error.status).toBe(400);
    expect(error.message).toContain('invalid option num_ctx');
    expect(openai.requests).toHaveLength(0);
  });

  it('moves on from a model that cannot do what the request uses (tools), without counting it against the model, and passes its 400 on when no deployment can', async () => {
    const tools = [{ type: 'function' as const, function: { name: 'weather', parameters: { type: 'object', properties: {} } } }];
    // Ollama's own words for a model without tool support, before its capabilities were known to the gateway.
    await ollama.setMode({ kind: 'status', status: 400, body: { error: 'registry.ollama.ai/library/llama3.2:3b does not support tools' } });
    for (let i = 0; i < 6; i++) {
      const { response } = await ask('default', { tools }).then((r) => r);
      expect(response.headers.get('x-switchyard-route')).toBe('llama:fail(unsupported) mini:ok');
    }
    // Six such answers open no breaker: the model is fine for requests without tools.
    expect(h.gateway.breakers.snapshot('llama')).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    await openai.setMode({ kind: 'status', status: 400, body: { error: { message: 'tools are not supported by this model', type: 'invalid_request_error', param: 'tools', code: null } } });
    const error = await ask('default', { tools }).catch((e) => e);
    expect(error.status).toBe(400);
    expect(error.message).toContain('tools are not supported by this model');
  });

  it('moves on after a 401 and blocks the deployment; a route that leaves auth out of fallbackOn returns it as the upstream said it', async () => {
    const refused = { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } };
    await openai.setMode({ kind: 'status', status: 401, body: refused });
    const first = await rawChat({ model: 'cloud-first' });
    expect(first.res.status).toBe(200);
    expect(first.res.headers.get('x-switchyard-route')).toBe('mini:fail(auth) llama:ok');
    expect(h.gateway.breakers.snapshot('mini')).toMatchObject({ state: 'open', blockedBy: 'auth', blockedMessage: expect.stringContaining('Incorrect API key') });
    const second = await rawChat({ model: 'cloud-first' });
    expect(second.res.headers.get('x-switchyard-route')).toBe('mini:skip(auth-failed) llama:ok');
    expect(openai.requests).toHaveLength(1);

    h.gateway.applyConfig(twoTierConfig(urls(), { fallbackOn: ['connect', 'upstream_5xx'] }), 'test');
    const returned = await rawChat({ model: 'cloud-first' });
    expect(returned.res.status).toBe(401);
    expect(JSON.parse(returned.text).error).toMatchObject({ message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' });
  });

  it('moves on after a 404 when the route lists it in fallbackOn', async () => {
    h.gateway.applyConfig(twoTierConfig(urls(), { fallbackOn: ['connect', 'upstream_5xx', 404] }), 'test');
    await ollama.setMode({ kind: 'status', status: 404, body: { error: 'model "llama3.2:3b" not found, try pulling it first' } });
    const { response } = await ask();
    expect(response.headers.get('x-switchyard-deployment')).toBe('mini');
  });

  it('does not move on after a 500 when the route leaves it out of fallbackOn', async () => {
    h.gateway.applyConfig(twoTierConfig(urls(), { fallbackOn: ['connect'] }), 'test');
    await ollama.setMode({ kind: 'status', status: 500 });
    const error = await ask().catch((e) => e);
    expect(error.status).toBe(500);
    expect(openai.requests).toHaveLength(0);
  });
});

describe('retries', () => {
  it('reaches the upstream exactly once per configured attempt (no hidden SDK retries)', async () => {
    await openai.setMode({ kind: 'status', status: 500 });
    await ollama.setMode({ kind: 'status', status: 500 });
    await rawChat({ model: 'default' });
    expect(ollama.requests).toHaveLength(1);
    expect(openai.requests).toHaveLength(1);
  });

  it('retries a deployment as many times as the route says, with backoff, before moving on', async () => {
    h.gateway.applyConfig(twoTierConfig(urls(), { retry: { attempts: 3, backoffMs: 20, maxBackoffMs: 40 } }), 'test');
    await ollama.setMode({ kind: 'status', status: 502 });
    const { response } = await ask();
    expect(ollama.requests).toHaveLength(3);
    expect(response.headers.get('x-switchyard-attempts')).toBe('4');
    const gaps = ollama.requests.slice(1).map((r, i) => r.at - ollama.requests[i]!.at);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(9);
  });

  it('honours Retry-After under the cap before retrying the same deployment', async () => {
    h.gateway.applyConfig(twoTierConfig(urls(), { retry: { attempts: 2, retryAfterCapMs: 5000 } }), 'test');
    await ollama.setMode({ kind: 'status', status: 429, retryAfter: '1' });
    await ask();
    expect(ollama.requests).toHaveLength(2);
    expect(ollama.requests[1]!.at - ollama.requests[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('moves on at once when Retry-After is over the cap', async () => {
    h.gateway.applyConfig(twoTierConfig(urls(), { retry: { attempts: 2, retryAfterCapMs: 500 } }), 'test');
    await ollama.setMode({ kind: 'status', status: 429, retryAfter: '30' });
    const { response } = await ask();
    expect(ollama.requests).toHaveLength(1);
    expect(response.headers.get('x-switchyard-deployment')).toBe('mini');
  });
});

describe('streaming fallback', () => {
  it('falls back while nothing has been sent to the client yet', async () => {
    await ollama.setMode({ kind: 'status', status: 500 });
    const stream = await h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'hi you' }], stream: true }).withResponse();
    expect(stream.response.headers.get('x-switchyard-deployment')).toBe('mini');
    let text = '';
    for await (const chunk of stream.data) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Echo: hi you');
  });

  it('falls back when the stream breaks before its first chunk', async () => {
    await ollama.setMode({ kind: 'reset-mid-stream', chunks: 0 });
    const { res, text } = await rawChat({ model: 'default', stream: true });
    expect(res.headers.get('x-switchyard-deployment')).toBe('mini');
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  for (const [what, mode, said] of [
    // The connection was made and answered: it closed early, it did not fail.
    ['the connection resets mid-stream', { kind: 'reset-mid-stream', chunks: 2 }, 'cloud: the connection closed before the answer ended (UND_ERR_SOCKET)'],
    ['the stream ends without [DONE]', { kind: 'truncated', chunks: 2 }, "cloud's stream ended without [DONE]"],
  ] as const) {
    it(`ends the stream with an error event, never [DONE], when ${what} after the first byte`, async () => {
      await openai.setMode(mode);
      const { res, text } = await rawChat({ model: 'cloud-first', stream: true });
      expect(res.status).toBe(200);
      expect(text).not.toContain('data: [DONE]');
      const events = text.trim().split('\n\n').map((e) => JSON.parse(e.replace(/^data: /, '')));
      const last = events[events.length - 1];
      expect(last.error).toMatchObject({ type: 'api_error', code: expect.any(String), message: `The upstream failed after the stream began: ${said}` });
      expect(ollama.requests).toHaveLength(0);

      // The official SDK surfaces it as an error, not as a short answer.
      await openai.setMode(mode);
      const stream = await h.openai.chat.completions.create({ model: 'cloud-first', messages: [{ role: 'user', content: 'x' }], stream: true });
      const consume = async () => {
        for await (const _ of stream) void _;
      };
      await expect(consume()).rejects.toThrow(/after the stream began/);
    });
  }

  it('ends an Ollama stream that stops without done: true with an error event', async () => {
    await ollama.setMode({ kind: 'truncated', chunks: 2 });
    const { text } = await rawChat({ model: 'default', stream: true });
    expect(text).not.toContain('data: [DONE]');
    expect(text).toContain('"code":"upstream_protocol"');
  });

  it('aborts the upstream request when the client disconnects mid-stream', async () => {
    const slow = await startFakeOpenAI({ chunkDelayMs: 200 });
    try {
      const config = twoTierConfig({ ...urls(), openai: slow.url });
      h.gateway.applyConfig(config, 'test');
      const controller = new AbortController();
      const client = new OpenAI({ baseURL: h.baseUrl, apiKey: 'x', maxRetries: 0 });
      const stream = await client.chat.completions.create(
        { model: 'cloud-first', messages: [{ role: 'user', content: 'a b c d e f g h i j' }], stream: true },
        { signal: controller.signal },
      );
      let seen = 0;
      for await (const _ of stream) {
        if (++seen === 2) break; // leaving the loop aborts the request
      }
      await expect.poll(() => slow.aborted.length, { timeout: 1500 }).toBe(1);
    } finally {
      await slow.stop();
    }
  });
});

describe('deployments that are skipped', () => {
  it('skips a disabled deployment', async () => {
    const config = twoTierConfig(urls());
    (config.deployments[0] as Record<string, unknown>).enabled = false;
    h.gateway.applyConfig(config, 'test');
    const { response } = await ask();
    expect(response.headers.get('x-switchyard-deployment')).toBe('mini');
    expect(response.headers.get('x-switchyard-attempts')).toBe('1');
    expect(ollama.requests).toHaveLength(0);
  });

  it('skips a provider whose API key variable is unset, and says so when nothing is left', async () => {
    const config = twoTierConfig(urls());
    config.providers[1] = { ...config.providers[1]!, apiKey: 'env:SWITCHYARD_TEST_UNSET_KEY' };
    h.gateway.applyConfig(config, 'test');
    const { res, text } = await rawChat({ model: 'mini' });
    expect(res.status).toBe(503);
    const error = JSON.parse(text).error;
    expect(error.code).toBe('no_deployment_available');
    expect(error.message).toContain('SWITCHYARD_TEST_UNSET_KEY is not set');
    // A provider that cannot be used leaves the gateway short of what its config promises.
    const health = await fetch(`${h.url}/health`).then((r) => r.json());
    expect(health.providers.find((p: { name: string }) => p.name === 'cloud')).toMatchObject({ status: 'unavailable', reason: 'its API key SWITCHYARD_TEST_UNSET_KEY is not set' });
    expect(health.status).toBe('degraded');
    expect(openai.requests).toHaveLength(0);
  });
});
