import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, twoTierConfig, type Harness, stopAll } from '../support/harness';
import { assertMatchesSpec } from '../support/spec';

let ollama: FakeServer;
let openai: FakeServer;
let h: Harness;

beforeAll(async () => {
  ollama = await startFakeOllama();
  openai = await startFakeOpenAI();
  h = await startGateway(twoTierConfig({ ollama: ollama.url, openai: openai.url }));
});
afterAll(() => stopAll(h, ollama, openai));

/** A raw request, so the Host and Origin headers are exactly what a browser under attack would send. */
function raw(options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: Record<string, unknown>; body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: h.port, method: options.method ?? 'GET', path: options.path, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const chat = (body: unknown, headers: Record<string, string> = {}) =>
  raw({ method: 'POST', path: '/v1/chat/completions', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('the local guard', () => {
  it('refuses a Host that is not a loopback name for its port (DNS rebinding)', async () => {
    for (const host of ['evil.example.com', `evil.example.com:${h.port}`, `127.0.0.1:${h.port + 1}`, `192.168.1.20:${h.port}`]) {
      const res = await raw({ path: '/v1/models', headers: { host } });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('host_not_allowed');
      // Refused before any surface's hooks: the answer still names its request.
      expect(res.headers['x-request-id']).toMatch(/^req_/);
    }
  });

  it('accepts every loopback spelling of its own address', async () => {
    for (const host of [`127.0.0.1:${h.port}`, `localhost:${h.port}`, `[::1]:${h.port}`]) {
      expect((await raw({ path: '/v1/models', headers: { host } })).status).toBe(200);
    }
  });

  it('refuses a foreign Origin before reading the body', async () => {
    const res = await chat('this is not even json', { origin: 'https://evil.example.com' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('origin_not_allowed');
    expect(res.headers['x-request-id']).toMatch(/^req_/);
    expect((await chat('{}', { origin: 'null' })).status).toBe(403);
    expect(ollama.requests).toHaveLength(0);
  });

  it('accepts its own origin', async () => {
    const res = await raw({ path: '/v1/models', headers: { origin: `http://127.0.0.1:${h.port}` } });
    expect(res.status).toBe(200);
  });
});

describe('bad requests get OpenAI-shaped errors naming the field', () => {
  it('answers a 5,000-level nested body with 400, and keeps serving', async () => {
    const deep = `{"model":"default","messages":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const res = await chat(deep);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('body_too_deep');
    expect((await raw({ path: '/health' })).status).toBe(200);
  });

  it('counts nesting outside strings alone, whatever quotes, backslashes and brackets they hold', async () => {
    const within = (text: string) => JSON.stringify({ model: 'default', messages: [{ role: 'user', content: text }] });
    // Brackets inside strings, after an escaped quote and after an escaped backslash, are text.
    for (const text of ['['.repeat(300), `say "${'{'.repeat(300)}`, `a\\${'['.repeat(300)}`]) expect((await chat(within(text))).status).toBe(200);
    // A string ending in an escaped backslash ends at the quote after it: the nesting that follows counts.
    const deepAfter = `{"model":"default","note":"ends with \\\\","messages":[{"role":"user","content":"hi"}],"x":${'['.repeat(101)}${']'.repeat(101)}}`;
    expect(JSON.parse(deepAfter).note).toBe('ends with \\');
    expect((await chat(deepAfter)).body.error.code).toBe('body_too_deep');
    const deepAfterQuote = `{"model":"default","note":"say \\"hi\\"","x":${'['.repeat(101)}${']'.repeat(101)}}`;
    expect(JSON.parse(deepAfterQuote).note).toBe('say "hi"');
    expect((await chat(deepAfterQuote)).body.error.code).toBe('body_too_deep');
  });

  it('answers malformed JSON with 400', async () => {
    const res = await chat('{"model": "default", "messages": [');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_request', message: expect.stringContaining('not valid JSON') });
    assertMatchesSpec('openai', 'ErrorResponse', res.body);
  });

  it('answers an empty body with 400', async () => {
    expect((await chat('')).status).toBe(400);
  });

  it('names a missing field', async () => {
    const res = await chat({ model: 'default' });
    expect(res.status).toBe(400);
    expect(res.body.error.param).toBe('messages');
  });

  it('names a field of the wrong type', async () => {
    const res = await chat({ model: 'default', messages: [{ role: 'wizard', content: 'x' }] });
    expect(res.status).toBe(400);
    expect(res.body.error.param).toBe('messages[0].role');
    const typed = await chat({ model: 'default', messages: [{ role: 'user', content: 'x' }], stream: 'yes' });
    expect(typed.body.error.param).toBe('stream');
  });

  it('answers an unknown model with 404 before any stream starts', async () => {
    const res = await chat({ model: 'gpt-9', messages: [{ role: 'user', content: 'x' }], stream: true });
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body.error).toMatchObject({ code: 'model_not_found', param: 'model', message: expect.stringContaining('default, cloud-first') });
    // A tool that asks for a model name of its own (Claude Code's claude-*) is told it may be an alias.
    expect(res.body.error.message).toMatch(/\), or make this name an alias of one$/);
    assertMatchesSpec('openai', 'ErrorResponse', res.body);
    // A tool set up with a typo is told the name it was meant to be.
    const typo = await chat({ model: 'defualt', messages: [{ role: 'user', content: 'x' }] });
    expect(typo.body.error.message).toMatch(/^The model "defualt" does not exist \(did you mean "default"\?\): name a route or a deployment of chat models \(default, /);
  });

  it('names for an unknown model only what could serve the request: chat for chat, embeddings for embeddings', async () => {
    const chatTypo = await chat({ model: 'embd', messages: [{ role: 'user', content: 'x' }] });
    expect(chatTypo.body.error.message).toBe('The model "embd" does not exist: name a route or a deployment of chat models (default, cloud-first, llama, mini), or make this name an alias of one');
    const embedTypo = await raw({ method: 'POST', path: '/v1/embeddings', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'embd', input: 'x' }) });
    expect(embedTypo.status).toBe(404);
    expect(embedTypo.body.error.message).toBe('The model "embd" does not exist (did you mean "embed"?): name a route or a deployment of embedding models (embed, local-embed, cloud-embed), or make this name an alias of one');
  });

  it('refuses a body over the size limit with 413', async () => {
    const big = JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'x'.repeat(33 * 1024 * 1024) }] });
    const res = await chat(big);
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'body_too_large', message: 'Request body is too large: the limit is 32 MiB' });
  });

  it('answers an unknown endpoint with 404 in the same shape', async () => {
    const res = await raw({ path: '/v1/completions/legacy' });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('puts the three Switchyard headers on every response, errors included', async () => {
    for (const res of [await chat({ model: 'gpt-9', messages: [{ role: 'user', content: 'x' }] }), await raw({ path: '/health' })]) {
      expect(res.headers['x-request-id']).toMatch(/^req_/);
      expect(res.headers['x-switchyard-deployment']).toBeDefined();
      expect(res.headers['x-switchyard-attempts']).toBeDefined();
    }
  });
});

describe('GET /health', () => {
  it('reports the gateway, the store and each provider and deployment', async () => {
    const res = await raw({ path: '/health' });
    expect(res.body).toMatchObject({ status: 'ok', store: 'ok', version: expect.any(String) });
    expect(res.body.providers.map((p: { name: string }) => p.name)).toEqual(['local', 'cloud']);
    expect(res.body.deployments).toHaveLength(4);
  });
});

describe('config changes', () => {
  it('apply to traffic at once, and an invalid one changes nothing', async () => {
    const config = twoTierConfig({ ollama: ollama.url, openai: openai.url });
    config.routes[0]!.deployments = ['mini', 'llama'];
    expect(h.gateway.applyConfig(config, 'test').ok).toBe(true);
    const first = await h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'x' }] }).withResponse();
    expect(first.response.headers.get('x-switchyard-deployment')).toBe('mini');

    const broken = { ...config, routes: [{ name: 'default', deployments: ['llama', 'ghost'] }] };
    const result = h.gateway.applyConfig(broken, 'test');
    expect(result.ok).toBe(false);
    const second = await h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'x' }] }).withResponse();
    expect(second.response.headers.get('x-switchyard-deployment')).toBe('mini');
    expect(h.gateway.config().routes[0]?.deployments).toEqual(['mini', 'llama']);
  });
});

describe('time windows on live traffic', () => {
  it('skips a deployment inside its window and says when the route is usable again', async () => {
    // Monday 2026-11-23 10:00 in Paris.
    const now = () => Date.parse('2026-11-23T09:00:00Z');
    const config = twoTierConfig({ ollama: ollama.url, openai: openai.url });
    (config.deployments[0] as Record<string, unknown>).timeZone = 'Europe/Paris';
    (config.deployments[0] as Record<string, unknown>).timeWindows = [{ start: '09:00', end: '18:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] }];
    (config.deployments[1] as Record<string, unknown>).timeWindows = [{ start: '08:00', end: '12:00' }];
    (config.deployments[1] as Record<string, unknown>).timeZone = 'UTC';
    const g = await startGateway(config, { now });
    try {
      const res = await fetch(`${g.baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'x' }] }),
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe(String(3 * 3600)); // mini is usable again at 12:00 UTC
      const error = (await res.json()).error;
      expect(error.code).toBe('no_deployment_available');
      expect(error.message).toContain('llama is inside a time window until 18:00 Europe/Paris');
      expect(error.message).toContain('The first becomes available at 12:00 UTC');
      expect(error.available_at).toBe('2026-11-23T12:00:00.000Z');

      const direct = await g.openai.chat.completions.create({ model: 'cloud-first', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
      expect(direct.status).toBe(503);
    } finally {
      await g.stop();
    }
  });
});
