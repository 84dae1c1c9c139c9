/**
 * Web pages and apps' web views of other origins calling the model APIs (an Obsidian plugin at
 * `app://obsidian.md`, a web UI on another port, a browser extension), as Ollama lets them by its
 * OLLAMA_ORIGINS: refused unless the config allows the origin (`settings.allowedOrigins`), with a
 * message that says how; once allowed, every model API answers the browser's preflight (before any
 * client key is asked for, with no usage row) and every answer carries the CORS headers. The
 * dashboard and admin API stay their own origin's alone.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, twoTierConfig, type Harness } from '../support/harness';

let ollama: FakeServer, openai: FakeServer, h: Harness;
const base = () => twoTierConfig({ ollama: ollama.url, openai: openai.url });
const allowing = (extra: Record<string, unknown> = {}) => ({ ...base(), settings: { allowedOrigins: ['app://obsidian.md', 'http://localhost:*', 'chrome-extension://*'], ...extra } });

beforeAll(async () => {
  [ollama, openai] = await Promise.all([startFakeOllama(), startFakeOpenAI()]);
  h = await startGateway(base());
});
afterAll(() => stopAll(h, ollama, openai));
beforeEach(() => resetBetweenTests(h, [ollama, openai], base()));

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A raw request: the Origin and preflight headers exactly as a browser sends them. */
function send(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: h.port, method, path, headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

const preflight = (path: string, origin: string, extra: Record<string, string> = {}) =>
  send('OPTIONS', path, { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-stainless-os', ...extra });
const chat = { model: 'default', messages: [{ role: 'user', content: 'one two' }] };
const usageRows = async () => ((await h.admin('/admin/api/usage?limit=50').then((r) => r.json())) as { rows: unknown[] }).rows.length;

describe('an origin the config does not allow', () => {
  it('is refused on every API, saying where to allow it', async () => {
    for (const [method, path] of [['POST', '/v1/chat/completions'], ['POST', '/api/chat'], ['OPTIONS', '/v1/chat/completions']]) {
      const res = await send(method!, path!, { origin: 'app://obsidian.md' }, method === 'POST' ? chat : undefined);
      expect(res.status).toBe(403);
      // In each API's own error shape: OpenAI's object, Ollama's string.
      const error = JSON.parse(res.text).error;
      expect(typeof error === 'string' ? error : error.message).toContain('settings.allowedOrigins');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
    expect(openai.requests.length + ollama.requests.length).toBe(0);
  });
});

it('tells an origin refused by the dashboard or admin API that allowing it would not help, and one refused by the Ollama check how to allow it', async () => {
  for (const path of ['/admin/api/health', '/usage', '/admin/api/nothing-here']) {
    const res = await send('GET', path, { origin: 'https://evil.example.com', cookie: h.cookie });
    // An unknown admin path matches no route: it is told what the model APIs' refusal says.
    expect([path, res.status, JSON.parse(res.text).error.message]).toEqual([
      path,
      403,
      path.includes('nothing')
        ? 'Requests from the web origin "https://evil.example.com" are refused; to let it call the model APIs, add it to the allowed web origins (Settings, or "settings.allowedOrigins" in the config)'
        : 'Requests from the web origin "https://evil.example.com" are refused here: only the dashboard\'s own pages may use it (allowed web origins are for the model APIs)',
    ]);
  }
  const check = await send('GET', '/', { origin: 'chrome-extension://abcdefghijklmnop', accept: '*/*' });
  expect([check.status, JSON.parse(check.text).error.message]).toEqual([403, expect.stringContaining('settings.allowedOrigins')]);
});

describe('origins the config allows', () => {
  beforeEach(() => {
    h.gateway.applyConfig(allowing(), 'test');
  });

  it('get the preflight answered on every model API, with no usage row', async () => {
    const before = await usageRows();
    for (const [path, origin] of [['/v1/chat/completions', 'app://obsidian.md'], ['/v1/messages', 'http://localhost:3000'], ['/v1/responses', 'chrome-extension://abcdefghijklmnop'], ['/api/chat', 'http://localhost:5173'], ['/api/tags', 'app://obsidian.md']]) {
      const res = await preflight(path!, origin!);
      expect([path, res.status]).toEqual([path, 204]);
      expect(res.headers).toMatchObject({ 'access-control-allow-origin': origin, 'access-control-allow-headers': 'authorization,content-type,x-stainless-os', vary: expect.stringMatching(/origin/i) });
      expect(res.headers['access-control-allow-methods']).toContain('POST');
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    }
    expect(await usageRows()).toBe(before);
  });

  it('get their answers with the CORS headers, streamed and whole, in OpenAI and Ollama APIs', async () => {
    const whole = await send('POST', '/v1/chat/completions', { origin: 'app://obsidian.md' }, chat);
    expect(whole.status).toBe(200);
    expect(whole.headers['access-control-allow-origin']).toBe('app://obsidian.md');
    // The request id by both names: Anthropic's SDK reads `request-id`.
    expect(String(whole.headers['access-control-expose-headers']).split(', ')).toEqual(expect.arrayContaining(['x-request-id', 'request-id']));
    expect(JSON.parse(whole.text).choices[0].message.content).toBe('Echo: one two');

    const streamed = await send('POST', '/v1/chat/completions', { origin: 'http://localhost:3000' }, { ...chat, stream: true });
    expect([streamed.status, streamed.headers['access-control-allow-origin'], streamed.headers['content-type']]).toEqual([200, 'http://localhost:3000', expect.stringContaining('text/event-stream')]);
    expect(streamed.text).toContain('data: [DONE]');

    const tags = await send('GET', '/api/tags', { origin: 'http://localhost:5173' });
    expect([tags.status, tags.headers['access-control-allow-origin']]).toEqual([200, 'http://localhost:5173']);
    const ollamaChat = await send('POST', '/api/chat', { origin: 'http://localhost:5173' }, { model: 'llama', stream: false, messages: [{ role: 'user', content: 'one two' }] });
    expect([ollamaChat.status, ollamaChat.headers['access-control-allow-origin'], JSON.parse(ollamaChat.text).message.content]).toEqual([200, 'http://localhost:5173', 'Echo: one two']);
  });

  it('answer the preflight before the client key, and show the page the refusal', async () => {
    h.gateway.applyConfig(allowing({ clientKeys: { required: true } }), 'test');
    expect((await preflight('/v1/chat/completions', 'app://obsidian.md')).status).toBe(204);
    const refused = await send('POST', '/v1/chat/completions', { origin: 'app://obsidian.md' }, chat);
    expect([refused.status, refused.headers['access-control-allow-origin']]).toEqual([401, 'app://obsidian.md']);
  });

  it("let a public site's page reach the gateway when Chrome asks first (Private Network Access)", async () => {
    h.gateway.applyConfig({ ...base(), settings: { allowedOrigins: ['https://chat.example.com'] } }, 'test');
    const res = await preflight('/v1/chat/completions', 'https://chat.example.com', { 'access-control-request-private-network': 'true' });
    expect([res.status, res.headers['access-control-allow-private-network']]).toEqual([204, 'true']);
    // Only the site named: its neighbours, other schemes and ports are refused.
    for (const origin of ['https://evil.example.com', 'http://chat.example.com', 'https://chat.example.com:8443', 'null']) expect((await preflight('/v1/chat/completions', origin)).status).toBe(403);
  });

  it('leave the dashboard and admin API to their own origin', async () => {
    for (const [method, path] of [['GET', '/admin/api/health'], ['PUT', '/admin/api/settings'], ['GET', '/']]) {
      const res = await send(method!, path!, { origin: 'app://obsidian.md', cookie: h.cookie, accept: 'text/html' });
      expect([path, res.status]).toEqual([path, 403]);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
    // Checking the Ollama base URL is an Ollama client's call: it gets Ollama's answer, and may read it.
    const check = await send('GET', '/', { origin: 'chrome-extension://abcdefghijklmnop', accept: '*/*' });
    expect([check.status, check.text, check.headers['access-control-allow-origin']]).toEqual([200, 'Ollama is running', 'chrome-extension://abcdefghijklmnop']);
    // A browser's preflight finds nothing to answer it there.
    const asked = await preflight('/admin/api/config', 'app://obsidian.md');
    expect([asked.status, asked.headers['access-control-allow-origin']]).toEqual([404, undefined]);
    expect((await send('GET', '/admin/api/health', { origin: `http://127.0.0.1:${h.port}`, cookie: h.cookie })).status).toBe(200);
  });

  it('answer an OPTIONS request that is no preflight as an unknown endpoint', async () => {
    expect((await send('OPTIONS', '/v1/chat/completions', {})).status).toBe(404);
  });
});

describe('the allowed origins in the config', () => {
  it('refuses any website and what is not an origin, naming the field', async () => {
    const put = (allowedOrigins: string[]) => h.admin('/admin/api/settings', { method: 'PUT', body: JSON.stringify({ settings: { allowedOrigins } }) });
    const wide = await put(['http://localhost:*', 'https://*', 'http://a*b.example.com']);
    expect(wide.status).toBe(400);
    const text = await wide.text();
    expect(text).toMatch(/settings\.allowedOrigins\[1\][^"]*"?[^]*every website/);
    expect(text).toContain('settings.allowedOrigins[2]');
    expect(text).not.toContain('settings.allowedOrigins[0]');
    const path = await put(['http://localhost:3000/chat']);
    expect(path.status).toBe(400);
    expect(await path.text()).toContain('allowedOrigins');
    expect(h.gateway.config().settings?.allowedOrigins).toBeUndefined();
  });
});
