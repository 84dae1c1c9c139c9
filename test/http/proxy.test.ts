/**
 * Cloud upstreams through the proxy the environment names (HTTP_PROXY, HTTPS_PROXY, NO_PROXY, as
 * curl, the vendors' SDKs, Claude Code and Codex read them), with a real HTTP proxy on loopback:
 * it forwards plain requests to the fake upstream and records the CONNECT an https request opens.
 * Providers on this machine or its network never go through it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, EnvHttpProxyAgent, request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { proxySettings, upstreamDispatcher } from '../../gateway/providers/proxy';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

let ollama: FakeServer;
let openai: FakeServer;
let proxy: Server;
let h: Harness;
const seen: { method: string; target: string; authorization?: string | undefined }[] = [];

const config = () => ({
  version: 1,
  providers: [
    { name: 'cloud', kind: 'openai', baseUrl: 'http://api.example.test/v1', apiKey: 'env:TEST_KEY' },
    { name: 'secure', kind: 'openai', baseUrl: 'https://secure.example.test/v1', apiKey: 'env:TEST_KEY' },
    { name: 'local', kind: 'ollama', baseUrl: ollama.url },
  ],
  deployments: [
    { name: 'gpt', provider: 'cloud', model: 'gpt-4.1-mini' },
    { name: 'gpt-secure', provider: 'secure', model: 'gpt-4.1-mini' },
    { name: 'llama', provider: 'local', model: 'llama3.2:3b' },
  ],
  routes: [{ name: 'secure-first', deployments: ['gpt-secure', 'llama'] }],
});

beforeAll(async () => {
  [ollama, openai] = await Promise.all([startFakeOllama(), startFakeOpenAI()]);
  // A forward proxy: plain requests in absolute form go on to the fake upstream; a tunnel is refused.
  proxy = createServer(async (req, res) => {
    seen.push({ method: req.method!, target: req.url!, authorization: req.headers.authorization });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const answer = await request(`${openai.url}${new URL(req.url!).pathname}`, { method: req.method as 'POST', headers: { 'content-type': 'application/json', authorization: req.headers.authorization ?? '' }, body: chunks.length ? Buffer.concat(chunks) : null });
    res.writeHead(answer.statusCode, { 'content-type': String(answer.headers['content-type']) });
    res.end(Buffer.from(await answer.body.arrayBuffer()));
  });
  proxy.on('connect', (req, socket) => {
    seen.push({ method: 'CONNECT', target: req.url!, authorization: req.headers.authorization });
    socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  h = await startGateway(config(), { env: { TEST_KEY: 'sk-test', HTTP_PROXY: proxyUrl, https_proxy: proxyUrl } });
});
afterAll(async () => {
  await stopAll(h, ollama, openai);
  await new Promise((r) => proxy.close(r));
});
beforeEach(async () => {
  await resetBetweenTests(h, [ollama, openai], config());
  seen.length = 0;
});

const chat = (model: string) => h.openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }).withResponse();

describe('a cloud upstream behind the proxy the environment names', () => {
  it('is reached through it', async () => {
    const { data } = await chat('gpt');
    expect(data.choices[0]?.message.content).toBe('Echo: hi');
    expect(seen).toEqual([{ method: 'POST', target: 'http://api.example.test/v1/chat/completions', authorization: 'Bearer sk-test' }]);
  });

  it('over https, through a tunnel the proxy sees no key in; a route goes on when the proxy refuses it', async () => {
    const { data, response } = await chat('secure-first');
    expect(response.headers.get('x-switchyard-deployment')).toBe('llama');
    expect(data.choices[0]?.message.content).toBeTruthy();
    expect(seen).toEqual([{ method: 'CONNECT', target: 'secure.example.test:443', authorization: undefined }]);
  });

  it('never carries a request to a provider on this machine', async () => {
    await chat('llama');
    expect(ollama.requests.length).toBeGreaterThan(0);
    expect(seen).toEqual([]);
  });
});

describe('the proxy settings', () => {
  it('are read in either case, without a value that is not a URL, with NO_PROXY', () => {
    expect(proxySettings({})).toBeUndefined();
    expect(proxySettings({ HTTPS_PROXY: 'not a url' })).toBeUndefined();
    expect(proxySettings({ https_proxy: 'http://proxy:3128', NO_PROXY: '.corp,internal.example' })).toEqual({ httpProxy: undefined, httpsProxy: 'http://proxy:3128', noProxy: '.corp,internal.example' });
  });

  it('leave providers on this machine or its network out', async () => {
    const settings = { httpsProxy: 'http://proxy:3128' };
    const dispatchers = ['http://127.0.0.1:11434', 'http://gpu-box:11434', 'http://192.168.1.20:11434', 'https://api.openai.com/v1'].map((url) => upstreamDispatcher(url, settings, {}));
    expect(dispatchers.map((d) => (d instanceof EnvHttpProxyAgent ? 'proxy' : d instanceof Agent ? 'direct' : '?'))).toEqual(['direct', 'direct', 'direct', 'proxy']);
    await Promise.all(dispatchers.map((d) => d.close()));
  });
});
