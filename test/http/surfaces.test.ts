/**
 * The boundaries between surfaces: each is its own plugin, so a hook of one (the admin session,
 * client keys, the usage row, an error shape) never runs for another, and authorisation hangs on
 * the matched route, not on how the client spelled the path.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, twoTierConfig, type Harness } from '../support/harness';

let ollama: FakeServer;
let openai: FakeServer;
let h: Harness;
const config = (settings: Record<string, unknown> = {}) => ({ ...twoTierConfig({ ollama: ollama.url, openai: openai.url }), settings });

beforeAll(async () => {
  ollama = await startFakeOllama();
  openai = await startFakeOpenAI();
  h = await startGateway(config());
});
afterAll(() => stopAll(h, ollama, openai));
beforeEach(async () => {
  await resetBetweenTests(h, [ollama, openai], config());
});

/** A request with the path sent byte for byte as written (fetch would normalise it). */
function raw(method: string, path: string, options: { body?: unknown; text?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: any; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const text = options.text ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const req = httpRequest(
      { host: '127.0.0.1', port: h.port, method, path, headers: { ...(text ? { 'content-type': 'application/json' } : {}), ...options.headers } },
      (res) => {
        let data = '';
        res.on('data', (chunk) => (data += chunk));
        res.on('end', () => {
          let body: unknown = data;
          try {
            body = JSON.parse(data);
          } catch {
            // keep the text
          }
          resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
        });
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

/** Every way a client might spell `/admin/api/<rest>` so that a prefix check on the raw URL misses it. */
function spellings(rest: string): string[] {
  const [first, ...others] = rest.split('/');
  const tail = others.length > 0 ? `/${others.join('/')}` : '';
  const encodedFirst = `%${(first as string).charCodeAt(0).toString(16)}${(first as string).slice(1)}`;
  return [
    `/admin/api/${rest}`,
    `/%61dmin/api/${rest}`,
    `/%61%64%6d%69%6e/api/${rest}`,
    `/admin/%61pi/${rest}`,
    `/admin/api/${encodedFirst}${tail}`,
    `/ADMIN/api/${rest}`,
    `/Admin/Api/${rest}`,
    `//admin/api/${rest}`,
    `/admin//api/${rest}`,
    `/admin/./api/${rest}`,
    `/admin/api/./${rest}`,
    `/x/../admin/api/${rest}`,
    `/admin/api/../api/${rest}`,
    `/admin%2fapi/${rest}`,
    `/admin%2Fapi%2F${rest}`,
    `/admin/api/${rest}/`,
    `/admin/api/${rest}?x=1`,
    `/admin/api/${rest};x=1`,
    `/admin/api/${rest}%00`,
  ];
}

const PROTECTED: [string, string, unknown?][] = [
  ['GET', 'providers'],
  ['GET', 'deployments'],
  ['GET', 'routes'],
  ['GET', 'settings'],
  ['GET', 'config'], ['GET', 'config/warnings'],
  ['GET', 'usage'],
  ['GET', 'usage/export'],
  ['GET', 'usage/sessions'],
  ['GET', 'overview'],
  ['GET', 'keys'],
  ['GET', 'cache'],
  ['DELETE', 'cache'],
  ['GET', 'breakers'],
  ['GET', 'health'],
  ['POST', 'keys', { name: 'stolen' }],
  ['POST', 'config/import', { config: {} }],
  ['GET', 'clients'],
  ['GET', 'config/revisions'],
  ['GET', 'config/revisions/1'],
  ['POST', 'config/revisions/1/restore'],
  ['POST', 'budgets', { name: 'b', scope: 'global', period: 'day', limitUsd: 0 }],
  ['PUT', 'budgets/b', { name: 'b', scope: 'global', period: 'day', limitUsd: 0 }],
  ['PATCH', 'budgets/b', { limitUsd: 1 }],
  ['DELETE', 'budgets/b'],
  ['GET', 'aliases'],
  ['PUT', 'aliases/claude-*', { target: 'default' }],
  ['DELETE', 'aliases/claude-*'],
  ['PATCH', 'settings', { settings: { localOnly: true } }],
  ['PATCH', 'routes/default', { strategy: 'lowest-cost' }], ['POST', 'routes/default/rename', { name: 'stolen', keepAlias: false }], ['GET', 'usage/names'],
  ['PATCH', 'deployments/llama', { model: 'stolen' }],
  ['PATCH', 'providers/cloud', { baseUrl: 'http://127.0.0.1:9/v1' }],
  ['POST', 'deployments/llama/load'],
  ['POST', 'deployments/llama/unload'],
  ['POST', 'deployments/llama/pull'],
  ['DELETE', 'deployments/llama/pull'],
  ['GET', 'pulls'],
  ['GET', 'quirks'],
  ['GET', 'usage/some-request/bodies'],
  ['GET', 'usage/some-request/bodies/request'],
  ['DELETE', 'providers/cloud/quirks'], ['DELETE', 'secrets/cloud'],
  ['GET', 'usage/sessions/kept?session=s&clientKey=anonymous'],
  ['DELETE', 'usage/sessions/kept?session=s&clientKey=anonymous'],
  ['POST', 'notices/test'],
  ['PUT', 'notices/webhook', { url: 'http://127.0.0.1:9/stolen' }],
  ['DELETE', 'notices/webhook'],
];

describe('the admin session', () => {
  it('answers 401 to an admin route without a session under every path spelling, and never its data', async () => {
    for (const [method, rest, body] of PROTECTED) {
      for (const path of spellings(rest)) {
        const res = await raw(method, path, { body });
        // A spelling that matches the route meets the session hook (401); any other matches nothing (404).
        expect([401, 404], `${method} ${path} answered ${res.status}`).toContain(res.status);
        if (res.status === 401) expect(res.body.error.code, `${method} ${path}`).toBe('admin_session_required');
      }
    }
    // The spellings the router decodes to the route itself are refused by the route's own hook.
    for (const path of ['/admin/api/providers', '/%61dmin/api/providers', '/admin/%61pi/providers', '/admin/api/%70roviders', '/admin/api/providers?x=1', '//admin/api/providers', '/admin//api/providers', '/admin/api/providers/']) {
      expect((await raw('GET', path)).status, path).toBe(401);
    }
    expect(h.gateway.keys.list().map((k) => k.name)).not.toContain('stolen');
    expect(h.gateway.config().budgets ?? []).toEqual([]);
    expect(h.gateway.config().aliases ?? {}).toEqual({});
    expect(h.gateway.config().settings?.localOnly).toBeUndefined();
    expect(h.gateway.config().settings?.notices).toBeUndefined();
    expect(h.gateway.config().deployments.map((d) => d.model)).not.toContain('stolen');
  });

  it('never sends a stored key to another host through "test connection" without a session', async () => {
    const thief = await startFakeOpenAI();
    try {
      for (const path of spellings('providers/test')) {
        const res = await raw('POST', path, { body: { name: 'x', kind: 'openai', baseUrl: `${thief.url}/v1`, apiKey: 'env:TEST_KEY' } });
        expect([401, 404], path).toContain(res.status);
      }
      expect(thief.requests).toHaveLength(0);
    } finally {
      await thief.stop();
    }
  });

  it('is not needed by any model route, nor by /health', async () => {
    expect((await raw('GET', '/v1/models')).status).toBe(200);
    expect((await raw('POST', '/v1/chat/completions', { body: { model: 'default', messages: [{ role: 'user', content: 'hi' }] } })).status).toBe(200);
    expect((await raw('POST', '/v1/completions', { body: { model: 'default', prompt: 'hi' } })).status).toBe(200);
    expect((await raw('GET', '/api/tags')).status).toBe(200);
    expect((await raw('POST', '/api/chat', { body: { model: 'default', messages: [{ role: 'user', content: 'hi' }], stream: false } })).status).toBe(200);
    expect((await raw('GET', '/health')).status).toBe(200);
  });
});

describe('paths as tools join them', () => {
  // A base URL written with a trailing slash (`http://127.0.0.1:7788/v1/`) and a tool that adds
  // `/chat/completions` to it sends `/v1//chat/completions`; others add a slash at the end.
  it('answers a model path with a doubled or trailing slash as the path itself, and names the path a 404 missed by a /v1', async () => {
    const chat = { model: 'default', messages: [{ role: 'user', content: 'hi' }] };
    for (const path of ['//v1/chat/completions', '/v1//chat/completions', '/v1/chat/completions/']) {
      const res = await raw('POST', path, { body: chat });
      expect([res.status, res.body.choices?.[0]?.message.content], path).toEqual([200, 'Echo: hi']);
    }
    expect(h.gateway.usage.list({}, { limit: 10 }).rows.slice(0, 3).map((r) => r.endpoint)).toEqual(Array(3).fill('chat.completions'));
    const ollamaChat = await raw('POST', '//api/chat', { body: { ...chat, stream: false } });
    expect([ollamaChat.status, ollamaChat.body.message?.content]).toEqual([200, 'Echo: hi']);
    for (const path of ['//api/tags', '/api/tags/', '//v1/models', '/v1/models/']) {
      const res = await raw('GET', path);
      expect([res.status, (res.body.models ?? res.body.data)?.length > 0], path).toEqual([200, true]);
    }
    expect((await raw('GET', '/v1//models/default')).body.id).toBe('default');
    // A base URL that misses /v1, or has it where the tool adds it, is named in the 404.
    const missed = await raw('POST', '/chat/completions', { body: chat });
    expect([missed.status, missed.body.error.message]).toEqual([404, 'There is no endpoint POST /chat/completions: the gateway serves POST /v1/chat/completions; this tool does not add /v1 itself, so its base URL here ends in /v1']);
    expect((await raw('GET', '/models?x=1')).body.error.message).toBe('There is no page or endpoint /models: the gateway serves GET /v1/models; this tool does not add /v1 itself, so its base URL here ends in /v1');
    expect((await raw('POST', '/v1/v1/messages', { body: {} })).body.error.message).toBe('There is no endpoint POST /v1/v1/messages: the gateway serves POST /v1/messages; this tool adds /v1 itself, so its base URL here has no /v1');
    expect((await raw('POST', '/v1/api/chat', { body: {} })).body.error.message).toBe('There is no endpoint POST /v1/api/chat: the gateway serves POST /api/chat; this tool adds /api itself, so its base URL here has no /v1');
    expect((await raw('POST', '/v1/nothing', { body: {} })).body.error.message).toMatch(/^There is no endpoint POST \/v1\/nothing: under \/v1 the gateway serves /);
    // In Anthropic's words to an Anthropic client (Claude Code with /v1 in its base URL).
    expect((await raw('POST', '/v1/v1/messages', { body: {}, headers: { 'anthropic-version': '2023-06-01' } })).body).toEqual({ type: 'error', error: { type: 'not_found_error', message: 'There is no endpoint POST /v1/v1/messages: the gateway serves POST /v1/messages; this tool adds /v1 itself, so its base URL here has no /v1' }, request_id: expect.stringMatching(/^req_/) });
    // The client-key check is the matched route's, whatever the spelling.
    h.gateway.applyConfig(config({ clientKeys: { required: true } }), 'test');
    expect((await raw('POST', '/v1//chat/completions', { body: chat })).status).toBe(401);
  });
});

describe('hooks stay inside their surface', () => {
  it('asks model routes for a client key when keys are required, but never admin routes or /health', async () => {
    h.gateway.applyConfig(config({ clientKeys: { required: true } }), 'test');
    expect((await raw('POST', '/v1/chat/completions', { body: { model: 'default', messages: [{ role: 'user', content: 'hi' }] } })).status).toBe(401);
    expect((await raw('GET', '/api/tags')).status).toBe(401);
    const session = { cookie: h.cookie };
    expect((await raw('GET', '/admin/api/providers', { headers: session })).status).toBe(200);
    expect((await raw('GET', '/health')).status).toBe(200);
    // The playground is an admin route: the session authorises it, and the UI sends no bearer.
    const played = await raw('POST', '/admin/api/playground', { headers: session, body: { model: 'default', messages: [{ role: 'user', content: 'hi' }] } });
    expect(played.status).toBe(200);
    expect(played.body.completion.choices[0].message.content).toBe('Echo: hi');
  });

  it('writes usage rows for model requests and the playground, never for admin reads', async () => {
    const rowsBefore = h.gateway.usage.list({}, { limit: 100 }).rows.length;
    await raw('GET', '/admin/api/providers', { headers: { cookie: h.cookie } });
    await raw('GET', '/admin/api/usage', { headers: { cookie: h.cookie } });
    await raw('GET', '/health');
    await raw('GET', '/v1/models');
    expect(h.gateway.usage.list({}, { limit: 100 }).rows).toHaveLength(rowsBefore);
    await raw('POST', '/v1/chat/completions', { body: { model: 'default', messages: [{ role: 'user', content: 'hi' }] } });
    await raw('POST', '/admin/api/playground', { headers: { cookie: h.cookie }, body: { model: 'default', messages: [{ role: 'user', content: 'hi' }] } });
    const rows = h.gateway.usage.list({}, { limit: 100 }).rows;
    expect(rows.slice(0, 2).map((r) => r.endpoint)).toEqual(['playground', 'chat.completions']);
    expect(rows[0]?.clientKey).toBe('playground');
  });

  it('answers each surface in its own error shape, for bad bodies and unknown paths alike', async () => {
    const openaiBad = await raw('POST', '/v1/chat/completions', { body: { model: 'default' } });
    expect(openaiBad.status).toBe(400);
    expect(openaiBad.body.error).toMatchObject({ type: 'invalid_request_error', param: 'messages' });
    const ollamaBad = await raw('POST', '/api/chat', { body: { messages: [] } });
    expect(ollamaBad.status).toBe(400);
    expect(typeof ollamaBad.body.error).toBe('string');
    const ollamaUnknown = await raw('GET', '/api/nothing-here');
    expect(ollamaUnknown.status).toBe(404);
    expect(typeof ollamaUnknown.body.error).toBe('string');
    // Anthropic's header picks Anthropic's shape only where both APIs share the path (models).
    const anthropic = { 'anthropic-version': '2023-06-01' };
    const chatFromAnthropicClient = await raw('POST', '/v1/chat/completions', { headers: anthropic, body: { model: 'nope', messages: [{ role: 'user', content: 'hi' }] } });
    expect([chatFromAnthropicClient.status, chatFromAnthropicClient.body.error.code, chatFromAnthropicClient.body.type]).toEqual([404, 'model_not_found', undefined]);
    const modelForAnthropicClient = await raw('GET', '/v1/models/nope', { headers: anthropic });
    expect([modelForAnthropicClient.status, modelForAnthropicClient.body.type, modelForAnthropicClient.body.error.type]).toEqual([404, 'error', 'not_found_error']);
    const openaiUnknown = await raw('GET', '/v1/nothing-here');
    expect(openaiUnknown.status).toBe(404);
    expect(openaiUnknown.body.error).toMatchObject({ code: 'not_found' });
    const adminBad = await raw('PUT', '/admin/api/settings', { headers: { cookie: h.cookie }, body: { settings: 'x' } });
    expect(adminBad.status).toBe(400);
    expect(adminBad.body.error.message).toMatch(/settings/);
  });

  it('answers a path the router cannot read (a bad escape, a name past its length) in the surface\'s shape, with the request id', async () => {
    const long = 'x'.repeat(1_100);
    const cases = [
      ['GET', '/v1/responses/%ZZ', 400, 'openai'], ['GET', '/api/show%ZZ', 400, 'ollama'], ['DELETE', '/admin/api/routes/%E0%A4', 400, 'openai'],
      ['GET', `/v1/responses/${long}`, 414, 'openai'], ['PUT', `/admin/api/aliases/${long}`, 414, 'openai'],
    ] as const;
    for (const [method, path, status, shape] of cases) {
      const answer = await raw(method, path, { headers: { cookie: h.cookie } });
      expect([path.slice(0, 30), answer.status], JSON.stringify(answer.body)).toEqual([path.slice(0, 30), status]);
      expect(answer.headers['x-request-id']).toMatch(/^req_/);
      const message = shape === 'ollama' ? answer.body.error : answer.body.error.message;
      expect(message).toMatch(status === 414 ? /longer than 1,024 characters/ : /not a valid URL/);
    }
  });

  it('names the part of the request a schema refused and quotes the value it holds', async () => {
    const path = await raw('GET', '/v1/responses/..%2F..%2Fadmin');
    expect(path.status).toBe(400);
    expect(path.body.error).toMatchObject({ param: 'id', code: 'invalid_request' });
    expect(path.body.error.message).toBe('Invalid path: id "../../admin" is not an id (letters, digits, _ and -)');
    const query = await raw('GET', '/v1/models?limit=lots', { headers: { 'anthropic-version': '2023-06-01' } });
    expect(query.status).toBe(400);
    expect(query.body.error.message).toBe('Invalid query string: limit "lots" is not a whole number (at most 4 digits)');
    const overflow = await raw('POST', '/v1/chat/completions', { text: '{"model":"default","messages":[{"role":"user","content":"hi"}],"temperature":1e400}' });
    expect(overflow.status).toBe(400);
    expect(overflow.body.error.message).toBe('Invalid request body: temperature must be number or null (got Infinity)');
    // A field that takes a few values says which.
    const choices = await raw('POST', '/v1/chat/completions', { body: { model: 'default', messages: [{ role: 'user', content: 'hi' }], n: 2 } });
    expect(choices.body.error).toMatchObject({ param: 'n', message: 'Invalid request body: n must be 1 or null (got 2)' });
    const role = await raw('POST', '/v1/chat/completions', { body: { model: 'default', messages: [{ role: 'wizard', content: 'hi' }] } });
    expect(role.body.error.message).toBe('Invalid request body: messages[0].role must be "system", "developer", "user", "assistant", "tool" or "function" (got "wizard")');
  });

  it('names the request and its deployment on every model answer, errors included', async () => {
    for (const res of [
      await raw('POST', '/v1/chat/completions', { body: { model: 'nope', messages: [{ role: 'user', content: 'hi' }] } }),
      await raw('POST', '/api/chat', { body: { model: 'default', messages: [{ role: 'user', content: 'hi' }], stream: false } }),
    ]) {
      expect(res.headers['x-request-id']).toMatch(/^req_/);
      expect(res.headers['x-switchyard-deployment']).toBeDefined();
    }
  });
});
