/**
 * The Messages front door, with the official Anthropic SDK as the caller (as Claude Code is built on
 * the same API), against every kind of upstream: Anthropic itself (pass-through), a recent Ollama
 * that serves /v1/messages (pass-through), an older one and an OpenAI-compatible server (translated).
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';
import { signerOf } from '../support/messages-wire';

let anthropic: FakeServer;
let ollama: FakeServer;
let newOllama: FakeServer;
let openai: FakeServer;
let h: Harness;
let client: Anthropic;

const config = () => ({
  version: 1,
  providers: [
    // On loopback here, but a cloud provider in every test's eyes (its prices).
    { name: 'claude', kind: 'anthropic', baseUrl: anthropic.url, apiKey: 'env:ANTHROPIC_TEST_KEY', local: false },
    { name: 'local', kind: 'ollama', baseUrl: ollama.url },
    { name: 'local-new', kind: 'ollama', baseUrl: newOllama.url, apis: ['messages'] },
    { name: 'cloud', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY' },
  ],
  deployments: [
    { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5' },
    // Claude Code asks for 32k tokens out: the local model's window is raised for it rather than skipped.
    { name: 'llama', provider: 'local', model: 'llama3.2:3b', numCtx: 'auto' },
    { name: 'llama-new', provider: 'local-new', model: 'llama3.2:3b' },
    { name: 'llama-new-auto', provider: 'local-new', model: 'llama3.2:3b', numCtx: 'auto' },
    { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' },
    // A model that thinks (llama3.2 does not: Ollama refuses to make it).
    { name: 'qwen', provider: 'local', model: 'qwen3:8b' },
  ],
  routes: [
    { name: 'claude-code', deployments: ['llama', 'sonnet'] },
    { name: 'local-then-openai', deployments: ['llama', 'mini'] },
  ],
});

beforeAll(async () => {
  [anthropic, ollama, newOllama, openai] = await Promise.all([startFakeAnthropic(), startFakeOllama({ models: ['llama3.2:3b', 'qwen3:8b'] }), startFakeOllama({ version: '0.14.2' }), startFakeOpenAI()]);
  h = await startGateway(config(), { env: { ANTHROPIC_TEST_KEY: 'sk-ant-test-5678' } });
  client = new Anthropic({ baseURL: h.url, apiKey: 'any-client-key', maxRetries: 0 });
});
afterAll(() => stopAll(h, anthropic, ollama, newOllama, openai));
beforeEach(async () => {
  await resetBetweenTests(h, [anthropic, ollama, newOllama, openai], config());
});

const rows = () => h.gateway.usage.list({}, { limit: 20 }).rows;
const user = (content: string) => [{ role: 'user' as const, content }];
const tools = [
  { name: 'weather', description: 'Weather in a city', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } },
  { name: 'time', description: 'Time in a city', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } },
];

describe('pass-through to an Anthropic upstream', () => {
  it('sends the request as it came, but for the model, with the client\'s anthropic-version and anthropic-beta', async () => {
    const body = {
      model: 'sonnet',
      max_tokens: 256,
      system: [{ type: 'text' as const, text: 'You are terse.', cache_control: { type: 'ephemeral' as const } }],
      messages: user('hi'),
      metadata: { user_id: 'user_abc' },
      some_future_field: { kept: true },
    };
    const message = await client.messages.create(body as never, { headers: { 'anthropic-version': '2023-06-01', 'anthropic-beta': 'prompt-caching-2024-07-31,interleaved-thinking-2025-05-14' } });
    const sent = anthropic.requests.at(-1);
    expect(sent?.path).toBe('/v1/messages');
    expect(sent?.body).toEqual({ ...body, model: 'claude-sonnet-4-5', stream: false });
    expect(sent?.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent?.headers['anthropic-beta']).toBe('prompt-caching-2024-07-31,interleaved-thinking-2025-05-14');
    expect(sent?.headers.authorization).toBe('Bearer sk-ant-test-5678');
    expect(message.content).toEqual([{ type: 'text', text: 'Echo: hi' }]);
    expect(message.usage).toMatchObject({ cache_read_input_tokens: 80, cache_creation_input_tokens: 20 });
    expect(rows()[0]).toMatchObject({ api: 'anthropic', endpoint: 'anthropic.messages', deployment: 'sonnet', inputTokens: 112, cacheReadTokens: 80, cacheWriteTokens: 20 });
    // Sonnet's table rates: cache reads at a tenth of the input price, writes at 1.25x.
    expect(rows()[0]?.cost).toBeCloseTo((12 * 3 + 80 * 0.3 + 20 * 3.75 + (rows()[0]?.outputTokens ?? 0) * 15) / 1e6, 12);
  });

  it('streams thinking with its signature and tool input whole, for MessageStream.finalMessage()', async () => {
    const final = await client.messages.stream({ model: 'sonnet', max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: 1024 }, tools, messages: user('call both') }).finalMessage();
    expect(final.content.map((b) => b.type)).toEqual(['thinking', 'tool_use', 'tool_use']);
    // The signature as the upstream made it, bound to the deployment's model.
    expect(signerOf((final.content[0] as Anthropic.ThinkingBlock).signature)).toBe(h.gateway.config().deployments.find((d) => d.name === 'sonnet')?.model);
    expect(final.content.slice(1).map((b) => (b as Anthropic.ToolUseBlock).input)).toEqual([{ city: 'Paris' }, { city: 'Tokyo' }]);
    expect(final.stop_reason).toBe('tool_use');
  });

  it('counts tokens exactly where the upstream is Anthropic', async () => {
    const counted = await client.messages.countTokens({ model: 'sonnet', messages: user('hello') });
    expect(anthropic.requests.at(-1)?.path).toBe('/v1/messages/count_tokens');
    expect(counted.input_tokens).toBe(1000 + 'hello'.length);
  });
});

// Claude Code's selector of a 1M window, which some of its requests (auto mode's check) send as it is.
it("reads a model's name with Claude Code's [1m] after it (not inside it) as the name before it, for messages and token counts, streamed or whole", async () => {
  const whole = await client.messages.create({ model: 'sonnet[1m]', max_tokens: 64, messages: user('hi') }).withResponse();
  expect([whole.response.headers.get('x-switchyard-deployment'), anthropic.requests.at(-1)?.body.model]).toEqual(['sonnet', 'claude-sonnet-4-5']);
  const streamed = await client.messages.stream({ model: 'local-then-openai[1M][1m]', max_tokens: 64, messages: user('hi') }).finalMessage();
  expect(streamed.content).toEqual([expect.objectContaining({ type: 'text', text: 'Echo: hi' })]);
  expect((await client.messages.countTokens({ model: 'claude-code[1m]', messages: user('hi') })).input_tokens).toBeGreaterThan(0);
  await expect(client.messages.create({ model: 'son[1m]net', max_tokens: 64, messages: user('hi') })).rejects.toMatchObject({ status: 404 });
});

describe('pass-through to an Ollama that serves /v1/messages', () => {
  it('sends the Messages request to Ollama itself', async () => {
    const final = await client.messages.stream({ model: 'llama-new', max_tokens: 100, messages: user('a b') }).finalMessage();
    expect(newOllama.requests.at(-1)?.path).toBe('/v1/messages');
    expect(final.content).toEqual([{ type: 'text', text: 'Echo: a b' }]);
  });

  it('goes to its /api/chat instead when the deployment sends Ollama options: a num_ctx raised for Claude Code\'s long prompt', async () => {
    // Ollama's /v1/messages runs the model with its default window and would cut this prompt to fit.
    const long = 'word '.repeat(6_000);
    const final = await client.messages.create({ model: 'llama-new-auto', max_tokens: 2_000, system: 'You are Claude Code.', messages: user(long) });
    const sent = newOllama.requests.at(-1);
    expect(sent?.path).toBe('/api/chat');
    expect(sent?.body.options.num_ctx).toBeGreaterThanOrEqual(8_000);
    expect(final.content[0]).toMatchObject({ type: 'text' });
    // A short prompt right after keeps the window the model now runs with (another would reload the
    // model and lose its prompt cache), so it too goes by /api/chat.
    await client.messages.create({ model: 'llama-new-auto', max_tokens: 100, messages: user('short') });
    expect([newOllama.requests.at(-1)?.path, newOllama.requests.at(-1)?.body.options.num_ctx]).toEqual(['/api/chat', sent?.body.options.num_ctx]);
  });

  it('is found by the Ollama version its health probe reads, when the config does not say', async () => {
    const c = config();
    delete (c.providers[2] as { apis?: unknown }).apis;
    h.gateway.applyConfig(c, 'test');
    await client.messages.create({ model: 'llama-new', max_tokens: 50, messages: user('x') });
    expect(newOllama.requests.at(-1)?.path).toBe('/api/chat');
    await h.gateway.health.probeAll();
    await client.messages.create({ model: 'llama-new', max_tokens: 50, messages: user('x') });
    expect(newOllama.requests.at(-1)?.path).toBe('/v1/messages');
  });
});

describe('streamed and whole answers', () => {
  /** A message without the ids that differ between two answers, nor the field the SDK's stream helper adds. */
  const gist = (m: Anthropic.Message) => {
    const { parsed_output: _parsed, ...rest } = m as Anthropic.Message & { parsed_output?: unknown };
    return { ...rest, id: 'x', content: m.content.map((b) => (b.type === 'tool_use' ? { ...b, id: 'x' } : b)) };
  };

  for (const model of ['sonnet', 'llama-new', 'llama', 'mini']) {
    it(`are the same message from ${model}, once MessageStream.finalMessage() has put the stream together`, async () => {
      const request = { model, max_tokens: 300, tools, messages: user('call both') };
      const whole = await client.messages.create(request);
      const streamed = await client.messages.stream(request).finalMessage();
      expect(gist(streamed)).toEqual(gist(whole));
    });
  }
});

describe('translated for upstreams that do not speak Messages', () => {
  for (const [model, upstream] of [['llama', 'Ollama /api/chat'], ['mini', 'OpenAI chat completions']] as const) {
    it(`answers through ${upstream}: text, parallel tool calls with distinct blocks, stop reasons, usage`, async () => {
      const message = await client.messages.create({ model, max_tokens: 200, messages: user('hello there') });
      expect(message).toMatchObject({ type: 'message', role: 'assistant', model, stop_reason: 'end_turn', content: [{ type: 'text', text: 'Echo: hello there' }] });
      expect(message.usage.output_tokens).toBeGreaterThan(0);
      const stream = client.messages.stream({ model, max_tokens: 200, tools, messages: user('call both') });
      const final = await stream.finalMessage();
      const calls = final.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
      expect(calls.map((c) => [c.name, c.input])).toEqual([['weather', { city: 'Paris' }], ['time', { city: 'Tokyo' }]]);
      expect(new Set(calls.map((c) => c.id)).size).toBe(2);
      expect(final.stop_reason).toBe('tool_use');
      // The tool's result goes back as a tool_result block and comes out as a chat tool message.
      const answer = await client.messages.create({
        model,
        max_tokens: 200,
        tools,
        messages: [...user('call both'), { role: 'assistant', content: final.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: calls[0]!.id, content: 'sunny' }, { type: 'tool_result', tool_use_id: calls[1]!.id, content: 'noon' }] }],
      });
      expect(answer.content).toEqual([{ type: 'text', text: 'The tool said: noon' }]);
    });
  }

  it('turns thinking into reasoning both ways: Ollama thinking comes back as a thinking block', async () => {
    const final = await client.messages.stream({ model: 'qwen', max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: user('why') }).finalMessage();
    expect(ollama.requests.at(-1)?.body.think).toBe(true);
    expect(final.content.map((b) => b.type)).toEqual(['thinking', 'text']);
    expect((final.content[0] as Anthropic.ThinkingBlock).thinking).toBe('Let me think about it.');
  });

  it('sends images to Ollama as base64 and to OpenAI as data URLs', async () => {
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    const content = [{ type: 'text' as const, text: 'what is this' }, { type: 'image' as const, source: { type: 'base64' as const, media_type: 'image/png' as const, data: png } }];
    // The fake's llama3.2 has no vision (as the real one); the deployment says this one has.
    const c = config();
    (c.deployments[1] as Record<string, unknown>).capabilities = ['completion', 'tools', 'vision'];
    h.gateway.applyConfig(c, 'test');
    await client.messages.create({ model: 'llama', max_tokens: 50, messages: [{ role: 'user', content }] });
    expect(ollama.requests.at(-1)?.body.messages[0]).toMatchObject({ role: 'user', content: 'what is this', images: [png] });
    await client.messages.create({ model: 'mini', max_tokens: 50, messages: [{ role: 'user', content }] });
    expect(openai.requests.at(-1)?.body.messages[0].content[1]).toEqual({ type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } });
  });

  it('passes content only the Messages API carries (a PDF) over a translated deployment to one that speaks it, and says so when none does', async () => {
    const content = [
      { type: 'document' as const, source: { type: 'base64' as const, media_type: 'application/pdf' as const, data: Buffer.from('%PDF-1.7 The report says hello.').toString('base64') } },
      { type: 'text' as const, text: 'summarise' },
    ];
    const { response } = await client.messages.create({ model: 'claude-code', max_tokens: 50, messages: [{ role: 'user', content }] }).withResponse();
    expect(response.headers.get('x-switchyard-deployment')).toBe('sonnet');
    expect(anthropic.requests.at(-1)?.body.messages[0].content[0].type).toBe('document');
    expect(ollama.requests.filter((r) => r.path !== '/api/show')).toHaveLength(0);

    const refused = await client.messages.create({ model: 'local-then-openai', max_tokens: 50, messages: [{ role: 'user', content }] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Anthropic.BadRequestError);
    expect(((refused as InstanceType<typeof Anthropic.BadRequestError>).error as { error: { message: string } }).error.message).toBe('messages[0].content[0] is a document that is not text (a PDF, a file or a URL): it can only go to a deployment that speaks the Messages API, and no deployment of "local-then-openai" does');
    expect(openai.requests).toHaveLength(0);
    // The request's content, not the deployments: their breakers stay closed.
    expect(h.gateway.breakers.get('llama').snapshot(Date.now()).state).toBe('closed');
  });

  it('estimates count_tokens in linear time when no Anthropic deployment answers', async () => {
    const counted = await client.messages.countTokens({ model: 'local-then-openai', messages: user('ACGT'.repeat(100_000)) });
    expect(counted.input_tokens).toBeGreaterThan(100_000);
    expect(openai.requests).toHaveLength(0);
  });
});

describe('a Claude Code session', () => {
  it('falls back from a failing local model to Claude, streamed, with its system blocks, tools, thinking and ?beta=true', async () => {
    await ollama.setMode({ kind: 'status', status: 500 });
    const res = await fetch(`${h.url}/v1/messages?beta=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'anthropic-beta': 'claude-code-20250219', authorization: 'Bearer whatever' },
      body: JSON.stringify({
        model: 'claude-code',
        max_tokens: 32_000,
        stream: true,
        system: [{ type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } }, { type: 'text', text: 'Project notes.' }],
        tools: Array.from({ length: 20 }, (_, i) => ({ name: `tool_${i}`, description: `Tool ${i}`, input_schema: { type: 'object', properties: {} } })),
        thinking: { type: 'enabled', budget_tokens: 4000 },
        metadata: { user_id: 'user_123_account_456_session_789' },
        messages: [{ role: 'user', content: [{ type: 'text', text: 'hello', cache_control: { type: 'ephemeral' } }] }],
      }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-switchyard-deployment')).toBe('sonnet');
    const text = await res.text();
    const events = text.trim().split('\n\n').map((e) => e.split('\n')[0]?.slice(7));
    expect(events[0]).toBe('message_start');
    expect(events.at(-1)).toBe('message_stop');
    expect(anthropic.requests.at(-1)?.headers['anthropic-beta']).toBe('claude-code-20250219');
    expect(ollama.requests.at(-1)?.body.options.num_ctx).toBeGreaterThan(32_000);
    expect(rows()[0]).toMatchObject({ fallback: true, deployment: 'sonnet', stream: true });
  });

  it('lists models in Anthropic\'s shape for discovery, and answers its HEAD / probe', async () => {
    const page = await fetch(`${h.url}/v1/models?limit=2`, { headers: { 'anthropic-version': '2023-06-01' } }).then((r) => r.json());
    expect(page).toEqual({
      data: [expect.objectContaining({ type: 'model', id: 'claude-code' }), expect.objectContaining({ type: 'model', id: 'local-then-openai' })],
      has_more: true,
      first_id: 'claude-code',
      last_id: 'local-then-openai',
    });
    expect((await client.models.list()).data.map((m) => m.id)).toContain('sonnet');
    expect((await fetch(`${h.url}/`, { method: 'HEAD' })).status).toBe(200);
  });

  it('takes its client key as x-api-key or as a bearer token', async () => {
    const key = h.gateway.keys.create('claude-code').key;
    h.gateway.applyConfig({ ...config(), settings: { clientKeys: { required: true } } }, 'test');
    for (const auth of [{ apiKey: key }, { authToken: key }]) {
      const keyed = new Anthropic({ baseURL: h.url, maxRetries: 0, ...auth, ...(auth.apiKey ? {} : { apiKey: null }) });
      expect((await keyed.messages.create({ model: 'llama', max_tokens: 20, messages: user('x') })).type).toBe('message');
    }
    await expect(new Anthropic({ baseURL: h.url, apiKey: 'wrong', maxRetries: 0 }).messages.create({ model: 'llama', max_tokens: 20, messages: user('x') })).rejects.toMatchObject({ status: 401 });
  });
});

describe('errors in Anthropic\'s shape', () => {
  it('answers an unknown model, a bad body and an exhausted route with the matching type and status', async () => {
    await expect(client.messages.create({ model: 'nope', max_tokens: 5, messages: user('x') })).rejects.toMatchObject({ status: 404, error: { type: 'error', error: { type: 'not_found_error' } } });
    await expect(client.messages.create({ model: 'llama', max_tokens: -1, messages: user('x') })).rejects.toMatchObject({ status: 400, error: { type: 'error', error: { type: 'invalid_request_error' } } });
    await ollama.setMode({ kind: 'status', status: 500 });
    await openai.setMode({ kind: 'status', status: 500 });
    await expect(client.messages.create({ model: 'local-then-openai', max_tokens: 5, messages: user('x') })).rejects.toMatchObject({ status: 503, error: { type: 'error', error: { type: 'overloaded_error' } } });
  });

  it('ends a stream that fails after its first byte with an error event, never message_stop', async () => {
    await anthropic.setMode({ kind: 'reset-mid-stream', chunks: 4 });
    const res = await fetch(`${h.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'sonnet', max_tokens: 50, stream: true, messages: user('one two three four five') }) });
    const text = await res.text();
    expect(text).toContain('event: error');
    expect(text).not.toContain('event: message_stop');
    expect(text.trim().split('\n\n').at(-1)).toMatch(/^event: error\ndata: \{"type":"error","error":\{"type":"api_error"/);
  });
});
