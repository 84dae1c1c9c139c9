/**
 * The Responses front door, with the official openai client's `responses.create` and
 * `responses.stream` as callers (Codex speaks the same API), against every kind of upstream: OpenAI
 * itself and a recent Ollama (pass-through), an older Ollama and an OpenAI-compatible server that
 * serves only chat (translated). Every answer and stream event is checked against the OpenAI spec.
 */
import type { Response, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';
import { encryptedFor } from '../support/responses-wire';
import { assertMatchesSpec } from '../support/spec';

let ollama: FakeServer, newOllama: FakeServer, openai: FakeServer, h: Harness;

const config = () => ({
  version: 1,
  providers: [
    { name: 'local', kind: 'ollama', baseUrl: ollama.url },
    { name: 'local-new', kind: 'ollama', baseUrl: newOllama.url, apis: ['responses'] },
    { name: 'openai', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY', apis: ['chat', 'responses'] },
    { name: 'compat', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY' },
  ],
  deployments: [
    { name: 'llama', provider: 'local', model: 'llama3.2:3b' },
    { name: 'llama-new', provider: 'local-new', model: 'llama3.2:3b' }, { name: 'qwen-new', provider: 'local-new', model: 'qwen3:8b' },
    // Kept loaded and with a window of its own: Ollama's /v1/responses would take neither.
    { name: 'llama-new-tuned', provider: 'local-new', model: 'llama3.2:3b', options: { num_ctx: 16_384 }, keepAlive: '1h', think: false },
    { name: 'gpt', provider: 'openai', model: 'gpt-5.1-codex' },
    { name: 'mini', provider: 'compat', model: 'gpt-4.1-mini' },
    // A local model that thinks (llama3.2 does not: Ollama refuses to make it).
    { name: 'qwen', provider: 'local', model: 'qwen3:8b' },
  ],
  routes: [
    { name: 'codex', deployments: ['llama', 'gpt'] },
    { name: 'cloud-then-local', deployments: ['gpt', 'qwen'] },
  ],
});

beforeAll(async () => {
  [ollama, newOllama, openai] = await Promise.all([startFakeOllama({ models: ['llama3.2:3b', 'qwen3:8b'] }), startFakeOllama({ version: '0.13.5', models: ['llama3.2:3b', 'qwen3:8b'] }), startFakeOpenAI({ account: 'acct_codex' })]);
  h = await startGateway(config());
});
afterAll(() => stopAll(h, ollama, newOllama, openai));
beforeEach(() => resetBetweenTests(h, [ollama, newOllama, openai], config()));

const rows = () => h.gateway.usage.list({}, { limit: 20 }).rows;
const tools = [
  { type: 'function' as const, name: 'weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: false },
  { type: 'function' as const, name: 'time', description: 'Time in a city', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: false },
];

/** The raw SSE events of a streamed request, each checked against the spec and numbered in order. */
async function streamedEvents(body: Record<string, unknown>): Promise<{ res: globalThis.Response; events: ResponseStreamEvent[] }> {
  const res = await fetch(`${h.baseUrl}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, stream: true }) });
  const text = await res.text();
  const events = text
    .trim()
    .split('\n\n')
    .map((block) => {
      const [name, data] = block.split('\n');
      const event = JSON.parse(data!.slice(6)) as ResponseStreamEvent;
      expect(name).toBe(`event: ${event.type}`);
      return event;
    });
  return { res, events };
}

function checkStream(events: ResponseStreamEvent[]): void {
  expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
  for (const event of events) assertMatchesSpec('openai', 'ResponseStreamEvent', event);
}

/** What a Response says, without the ids and times that differ between two answers. */
function gist(response: Response) {
  return {
    status: response.status,
    output: response.output.map((item) => {
      // The SDK's stream helper adds parsed fields of its own; ids differ per answer.
    const { id: _id, parsed_arguments: _p, ...rest } = item as { id?: string; call_id?: string; parsed_arguments?: unknown; content?: { parsed?: unknown }[] };
    if (rest.content) rest.content = rest.content.map(({ parsed: _q, ...part }) => part);
      return { ...rest, ...(rest.call_id ? { call_id: 'x' } : {}) };
    }),
  };
}

describe('pass-through to upstreams that speak Responses', () => {
  it('sends the request to OpenAI as it came, but for the model, and answers its Response', async () => {
    const body = { model: 'gpt', input: 'hi', instructions: 'Be terse.', reasoning: { effort: 'low' as const }, include: ['reasoning.encrypted_content' as const], some_future_field: { kept: true } };
    const response = await h.openai.responses.create(body as never);
    expect(openai.requests.at(-1)?.path).toBe('/v1/responses');
    expect(openai.requests.at(-1)?.body).toEqual({ ...body, model: 'gpt-5.1-codex', stream: false });
    expect(response.output_text).toBe('Echo: hi');
    expect(response.output[0]).toMatchObject({ type: 'reasoning', encrypted_content: expect.stringMatching(/^gAAAAA/) });
    assertMatchesSpec('openai', 'Response', response);
    expect(rows()[0]).toMatchObject({ api: 'responses', endpoint: 'responses', deployment: 'gpt', inputTokens: 12, outputTokens: 2 });
  });

  it('streams OpenAI\'s own events through, read whole by responses.stream().finalResponse()', async () => {
    const final = await h.openai.responses.stream({ model: 'gpt', input: 'call both', tools }).finalResponse();
    expect(final.output.map((o) => o.type)).toEqual(['function_call', 'function_call']);
    const { events } = await streamedEvents({ model: 'gpt', input: 'call both', tools });
    checkStream(events);
    expect(events.at(-1)?.type).toBe('response.completed');
  });

  it('sends a Responses request to an Ollama that serves /v1/responses', async () => {
    const response = await h.openai.responses.create({ model: 'llama-new', input: 'a b' });
    expect(newOllama.requests.at(-1)?.path).toBe('/v1/responses');
    expect(response.output_text).toBe('Echo: a b');
    // Codex's effort would be a think level, which qwen3 refuses: it thinks as it does by default.
    expect(await h.openai.responses.create({ model: 'qwen-new', input: 'a b', reasoning: { effort: 'medium', summary: 'auto' } })).toMatchObject({ status: 'completed' });
    expect(newOllama.requests.at(-1)?.body.reasoning).toEqual({ summary: 'auto' });
  });

  it('goes to its /api/chat instead for a deployment that sets Ollama options, so they apply', async () => {
    const response = await h.openai.responses.create({ model: 'llama-new-tuned', input: 'a b' });
    const sent = newOllama.requests.at(-1);
    expect(sent?.path).toBe('/api/chat');
    expect(sent?.body).toMatchObject({ options: { num_ctx: 16_384 }, keep_alive: '1h', think: false });
    expect(response.output_text).toBe('Echo: a b');
  });
});

describe('translated for upstreams that serve only chat', () => {
  for (const [model, upstream] of [['llama', 'Ollama /api/chat'], ['mini', 'OpenAI-compatible chat completions']] as const) {
    it(`answers through ${upstream}: text, parallel function calls as their own items, tool results, usage`, async () => {
      const response = await h.openai.responses.create({ model, input: 'hello there' });
      expect(response).toMatchObject({ object: 'response', status: 'completed', model, output_text: 'Echo: hello there' });
      expect(response.usage?.output_tokens).toBeGreaterThan(0);
      assertMatchesSpec('openai', 'Response', response);

      const called = await h.openai.responses.create({ model, input: 'call both', tools });
      const calls = called.output.filter((o) => o.type === 'function_call');
      expect(calls.map((c) => [c.name, JSON.parse(c.arguments)])).toEqual([['weather', { city: 'Paris' }], ['time', { city: 'Tokyo' }]]);
      expect(new Set(calls.map((c) => c.call_id)).size).toBe(2);
      assertMatchesSpec('openai', 'Response', called);

      const streamed = await h.openai.responses.stream({ model, input: 'call both', tools }).finalResponse();
      expect(gist(streamed)).toEqual(gist(called));
      const { events } = await streamedEvents({ model, input: 'call both', tools });
      checkStream(events);
      const added = events.filter((e) => e.type === 'response.output_item.added');
      expect(added.map((e) => (e as { output_index: number }).output_index)).toEqual([0, 1]);

      const answer = await h.openai.responses.create({
        model,
        tools,
        input: [
          { role: 'user', content: 'call both' },
          ...calls.map((c) => ({ type: 'function_call' as const, call_id: c.call_id, name: c.name, arguments: c.arguments })),
          { type: 'function_call_output', call_id: calls[0]!.call_id, output: 'sunny' },
          { type: 'function_call_output', call_id: calls[1]!.call_id, output: 'noon' },
        ],
      });
      expect(answer.output_text).toBe('The tool said: noon');
    });
  }

  it('gives the same Response streamed as whole, text and reasoning, and each stream event follows the spec', async () => {
    const whole = await h.openai.responses.create({ model: 'qwen', input: 'why', reasoning: { effort: 'medium' } });
    // qwen3 thinks on or off: a level it would refuse.
    expect(ollama.requests.at(-1)?.body.think).toBe(true);
    expect(whole.output.map((o) => o.type)).toEqual(['reasoning', 'message']);
    expect(whole.output[0]).toMatchObject({ summary: [{ type: 'summary_text', text: 'Let me think about it.' }] });
    const streamed = await h.openai.responses.stream({ model: 'qwen', input: 'why', reasoning: { effort: 'medium' } }).finalResponse();
    expect(gist(streamed)).toEqual(gist(whole));
    const { events } = await streamedEvents({ model: 'qwen', input: 'why', reasoning: { effort: 'medium' } });
    checkStream(events);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['response.created', 'response.in_progress', 'response.reasoning_summary_text.delta', 'response.output_text.delta', 'response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed']));
    expect((events.at(-1) as { response: Response }).response.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('maps instructions, developer messages, images, text.format and a custom tool to chat and back', async () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    const custom = { type: 'custom' as const, name: 'apply_patch', description: 'Apply a patch' };
    const response = await h.openai.responses.create({
      model: 'mini',
      instructions: 'You are Codex.',
      input: [
        { role: 'developer', content: 'Sandbox: read-only.' },
        { role: 'user', content: [{ type: 'input_text', text: 'patch this' }, { type: 'input_image', image_url: png, detail: 'auto' }] },
        { role: 'developer', content: 'Approvals: never.' },
      ],
      tools: [custom],
      text: { format: { type: 'json_schema', name: 'answer', schema: { type: 'object', properties: {} }, strict: true } },
      max_output_tokens: 300,
    });
    const sent = openai.requests.at(-1)?.body;
    expect(sent.messages[0]).toEqual({ role: 'system', content: 'You are Codex.\n\nSandbox: read-only.' });
    expect(sent.messages[1].content.slice(1)).toEqual([{ type: 'image_url', image_url: { url: png, detail: 'auto' } }, { type: 'text', text: '<system-reminder>\nApprovals: never.\n</system-reminder>' }]);
    expect(sent).toMatchObject({ max_tokens: 300, response_format: { type: 'json_schema', json_schema: { name: 'answer', strict: true } } });
    expect(sent.tools[0].function).toMatchObject({ name: 'apply_patch', parameters: { properties: { input: { type: 'string' } } } });
    expect(response.output[0]).toMatchObject({ type: 'custom_tool_call', name: 'apply_patch' });
    assertMatchesSpec('openai', 'Response', response);
  });

  it('passes an input item only OpenAI understands over a translated deployment to OpenAI, and refuses it, naming where it is, when none speaks Responses', async () => {
    const input = [{ type: 'item_reference', id: 'msg_1' }] as never;
    const { response } = await h.openai.responses.create({ model: 'codex', input }).withResponse();
    expect(response.headers.get('x-switchyard-deployment')).toBe('gpt');
    expect(ollama.requests.filter((r) => r.path === '/api/chat')).toHaveLength(0);
    await expect(h.openai.responses.create({ model: 'llama', input })).rejects.toMatchObject({ status: 400, error: { param: 'input[0].type', code: 'needs_native_api' } });
  });
});

describe('a Codex session', () => {
  const codexBody = (stream: boolean) => ({
    model: 'codex',
    instructions: 'You are Codex, a coding agent.',
    input: [
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: '<permissions>workspace-write</permissions>' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'call both' }] },
      { type: 'reasoning', id: 'rs_prev1', summary: [{ type: 'summary_text', text: 'Need the weather.' }], encrypted_content: encryptedFor('acct_codex') },
      { type: 'reasoning', id: 'rs_prev2', summary: [{ type: 'summary_text', text: 'From a local model.' }] },
      { type: 'function_call', call_id: 'call_a', name: 'weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call', call_id: 'call_b', name: 'time', arguments: '{"city":"Tokyo"}' },
      { type: 'function_call_output', call_id: 'call_a', output: 'sunny' },
      { type: 'function_call_output', call_id: 'call_b', output: 'noon' },
    ],
    tools: [...tools, { type: 'web_search' }],
    tool_choice: 'auto',
    parallel_tool_calls: true,
    reasoning: { effort: 'medium', summary: 'auto' },
    store: false,
    stream,
    include: ['reasoning.encrypted_content'],
    prompt_cache_key: 'session-123',
  });

  for (const stream of [false, true]) {
    it(`falls back from a failing local model to OpenAI (${stream ? 'streamed' : 'whole'}), passing Codex's items through`, async () => {
      await ollama.setMode({ kind: 'status', status: 500 });
      const res = await fetch(`${h.baseUrl}/responses`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer codex' }, body: JSON.stringify(codexBody(stream)) });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-switchyard-deployment')).toBe('gpt');
      const sent = openai.requests.at(-1)?.body;
      // OpenAI gets its own reasoning back (encrypted); the local model's summary-only item is left out.
      expect(sent.input.filter((i: { type?: string }) => i.type === 'reasoning').map((i: { id: string }) => i.id)).toEqual(['rs_prev1']);
      expect(sent).toMatchObject({ prompt_cache_key: 'session-123', store: false, tools: codexBody(stream).tools });
      const text = await res.text();
      if (stream) expect(text.trim().split('\n\n').at(-1)).toMatch(/^event: response\.completed/);
      else expect(JSON.parse(text).output_text ?? JSON.parse(text).output.at(-1).content[0].text).toBe('The tool said: noon');
      expect(rows()[0]).toMatchObject({ api: 'responses', fallback: true, deployment: 'gpt', stream });
    });
  }

  it('falls back from OpenAI to a local model, translated: reasoning summaries and tool results as chat', async () => {
    await openai.setMode({ kind: 'status', status: 503 });
    const body = { ...codexBody(true), model: 'cloud-then-local' };
    const { res, events } = await streamedEvents(body);
    expect(res.headers.get('x-switchyard-deployment')).toBe('qwen');
    checkStream(events);
    const sent = ollama.requests.at(-1)?.body;
    expect(sent.tools.map((t: { function: { name: string } }) => t.function.name)).toEqual(['weather', 'time']);
    const assistant = sent.messages.find((m: { role: string }) => m.role === 'assistant');
    expect(assistant).toMatchObject({ thinking: 'Need the weather.\nFrom a local model.', tool_calls: [{ function: { name: 'weather' } }, { function: { name: 'time' } }] });
    expect(sent.messages.filter((m: { role: string }) => m.role === 'tool').map((m: { content: string }) => m.content)).toEqual(['sunny', 'noon']);
    const done = events.at(-1) as { type: string; response: Response };
    expect(done.type).toBe('response.completed');
    expect(done.response.output.at(-1)).toMatchObject({ type: 'message', content: [{ text: 'The tool said: noon' }] });
  });
});

describe('errors in OpenAI\'s shape', () => {
  it('answers an unknown model, a bad body and an exhausted route with the matching status', async () => {
    await expect(h.openai.responses.create({ model: 'nope', input: 'x' })).rejects.toMatchObject({ status: 404, error: { type: 'invalid_request_error' } });
    await expect(h.openai.responses.create({ model: 'llama', input: 'x', temperature: 5 })).rejects.toMatchObject({ status: 400, error: { param: 'temperature' } });
    await ollama.setMode({ kind: 'status', status: 500 });
    await openai.setMode({ kind: 'status', status: 500 });
    await expect(h.openai.responses.create({ model: 'codex', input: 'x' })).rejects.toMatchObject({ status: 503 });
  });

  for (const model of ['gpt', 'llama']) {
    it(`ends a stream from ${model} that fails after its first byte with response.failed, numbered after the rest`, async () => {
      // Five events: past the held preamble (created, in_progress, the item and its part) to the first text.
      await (model === 'gpt' ? openai : ollama).setMode({ kind: 'reset-mid-stream', chunks: 5 });
      const { events } = await streamedEvents({ model, input: 'one two three four five six' });
      checkStream(events);
      expect(events.at(-1)).toMatchObject({ type: 'response.failed', response: { status: 'failed', error: { code: 'server_error' } } });
      expect(events.some((e) => e.type === 'response.completed')).toBe(false);
    });
  }
});

describe('same gateway underneath', () => {
  it('caches a repeatable answer by the API it was asked in, and serves it streamed too', async () => {
    const body = { model: 'gpt', input: 'cache me', temperature: 0 };
    const first = await h.openai.responses.create(body).withResponse();
    expect(first.response.headers.get('x-switchyard-cache')).toBe('miss');
    const again = await h.openai.responses.create(body).withResponse();
    expect(again.response.headers.get('x-switchyard-cache')).toBe('hit');
    expect(again.data.output_text).toBe('Echo: cache me');
    const chat = await h.openai.chat.completions.create({ model: 'gpt', messages: [{ role: 'user', content: 'cache me' }], temperature: 0 }).withResponse();
    expect(chat.response.headers.get('x-switchyard-cache')).toBe('miss');
    expect(openai.requests.map((r) => r.path)).toEqual(['/v1/responses', '/v1/chat/completions', '/v1/responses']); // a codex model: chat goes by Responses
  });
});
