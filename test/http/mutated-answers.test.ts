/**
 * An attack run from the other side: upstreams that answer 200 with well-formed answers of their
 * wire (a chat completion and its chunks, Ollama's lines, a Message and its events, a Response and
 * its events, each with reasoning, text and a tool call) with one or two parts replaced by values of
 * another type, removed or wrapped (seeded, so a failure repeats), asked through every front door.
 * Whatever comes back, the client gets the answer or the upstream's fault in words that name the
 * field, never a crash of the gateway's own: runs like this found a choice that was no object, a
 * tool call without its function, a Message without usage and an `input_json_delta` whose
 * `partial_json` was an object answered with "Cannot read properties of undefined", a 500, or
 * "[object Object]" as a tool's arguments.
 */
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeServer, type FakeServer, type RecordedRequest } from '../support/fake-server';
import { eventsFor, messageFor } from '../support/messages-wire';
import { responseEventsFor, responseFor } from '../support/responses-wire';
import { startGateway, stopAll, type Harness } from '../support/harness';
import { draws, mutated, testSeed } from '../support/mutations';

const REQUESTS = 320;
const draw = draws(testSeed());
type Wire = 'openai' | 'ollama' | 'anthropic' | 'responses';
type Answer = { json: unknown } | { events: unknown[] };
/** The next answer's own mutation, where a test wants one; else a seeded one. */
let change: ((answer: unknown) => unknown) | undefined;
/** A copy changed (mutated() changes in place, and answers share their parts). */
const changed = (answer: unknown) => (change ? change(structuredClone(answer)) : mutated(structuredClone(answer), draw));

const call = { id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } };
const chunk = (delta: unknown, finish_reason: string | null = null) => ({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason, logprobs: null }] });
const usage = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5, prompt_tokens_details: { cached_tokens: 1 } };
const line = (message: unknown, done = false) => ({ model: 'm', created_at: '2026-12-01T00:00:00Z', message, done, ...(done ? { done_reason: 'stop', prompt_eval_count: 3, eval_count: 2 } : {}) });

/** Each wire's answer, whole or as its stream's events, with one event (or the whole) changed. */
function answerOf(wire: Wire, request: RecordedRequest, stream: boolean): Answer {
  const one = (events: unknown[]): Answer => {
    const at = Math.floor(draw.next() * events.length);
    // A test's own change sees every event (and leaves alone those it does not mean).
    return { events: events.map((event, i) => (change || i === at ? changed(event) : event)) };
  };
  if (wire === 'openai') {
    if (!stream) return { json: changed({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'hi', reasoning_content: 'r', tool_calls: [call] }, finish_reason: 'tool_calls', logprobs: null }], usage }) };
    return one([chunk({ role: 'assistant', content: '' }), chunk({ reasoning_content: 'r' }), chunk({ content: 'hi' }), chunk({ tool_calls: [{ index: 0, ...call, function: { name: 'f', arguments: '' } }] }), chunk({ tool_calls: [{ index: 0, function: { arguments: '{"a":1}' } }] }), chunk({}, 'tool_calls'), { ...chunk({}), choices: [], usage }]);
  }
  if (wire === 'ollama') {
    const calls = [{ function: { name: 'f', arguments: { a: 1 } } }];
    if (!stream) return { json: changed(line({ role: 'assistant', content: 'hi', thinking: 't', tool_calls: calls }, true)) };
    return one([line({ role: 'assistant', content: '', thinking: 't' }), line({ role: 'assistant', content: 'hi' }), line({ role: 'assistant', content: '', tool_calls: calls }), line({ role: 'assistant', content: '' }, true)]);
  }
  const body = { ...request.body, tools: [{ name: 'f', type: 'function' }], thinking: { type: 'enabled' }, reasoning: { effort: 'low' } };
  if (wire === 'anthropic') {
    const message = messageFor({ ...body, messages: [{ role: 'user', content: 'call f' }] });
    return stream ? one(eventsFor(message)) : { json: changed(message) };
  }
  const response = responseFor({ ...body, input: 'call f' });
  return stream ? one(responseEventsFor(response)) : { json: changed(response) };
}

function upstream(wire: Wire) {
  return async (request: RecordedRequest, res: ServerResponse) => {
    if (request.method === 'GET' || request.path === '/api/show') {
      const body = request.path === '/api/version' ? { version: '0.12.6' } : request.path === '/api/show' ? { capabilities: ['completion', 'tools', 'thinking'], model_info: {} } : { models: [] };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      return;
    }
    const stream = wire === 'ollama' ? request.body?.stream !== false : request.body?.stream === true;
    const answer = answerOf(wire, request, stream);
    if ('json' in answer) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer.json) ?? 'null');
      return;
    }
    res.writeHead(200, { 'content-type': wire === 'ollama' ? 'application/x-ndjson' : 'text/event-stream' });
    for (const event of answer.events) {
      const type = (event as { type?: unknown } | null)?.type;
      if (wire === 'ollama') res.write(`${JSON.stringify(event)}\n`);
      else res.write(`${typeof type === 'string' && wire !== 'openai' ? `event: ${type}\n` : ''}data: ${JSON.stringify(event)}\n\n`);
    }
    res.end(wire === 'openai' ? 'data: [DONE]\n\n' : '');
  };
}

let fakes: FakeServer[];
let h: Harness;
beforeAll(async () => {
  const [openai, ollama, anthropic, responses] = (fakes = await Promise.all((['openai', 'ollama', 'anthropic', 'responses'] as const).map((wire) => startFakeServer(upstream(wire)))));
  h = await startGateway({
    version: 1,
    providers: [
      { name: 'cloud', kind: 'openai', baseUrl: `${openai!.url}/v1`, apiKey: 'env:TEST_KEY' },
      { name: 'local', kind: 'ollama', baseUrl: ollama!.url },
      { name: 'claude', kind: 'anthropic', baseUrl: anthropic!.url, apiKey: 'env:TEST_KEY' },
      { name: 'codex', kind: 'openai', baseUrl: `${responses!.url}/v1`, apiKey: 'env:TEST_KEY', apis: ['responses'] },
    ],
    deployments: [
      { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' },
      { name: 'qwen', provider: 'local', model: 'qwen3:8b' },
      { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5' },
      { name: 'gpt', provider: 'codex', model: 'gpt-5-codex' },
    ],
    routes: [{ name: 'default', deployments: ['qwen'] }],
  });
}, 30_000);
afterAll(() => stopAll(h, ...fakes));

/** Each front door's request, asking for a tool as agents do. */
const DOORS: Record<string, (model: string, stream: boolean) => unknown> = {
  '/v1/chat/completions': (model, stream) => ({ model, stream, messages: [{ role: 'user', content: 'call f' }], tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }] }),
  '/v1/messages': (model, stream) => ({ model, stream, max_tokens: 100, messages: [{ role: 'user', content: 'call f' }], tools: [{ name: 'f', input_schema: { type: 'object' } }] }),
  '/v1/responses': (model, stream) => ({ model, stream, store: false, input: 'call f', tools: [{ type: 'function', name: 'f', parameters: { type: 'object' } }] }),
  '/api/chat': (model, stream) => ({ model, stream, messages: [{ role: 'user', content: 'call f' }], tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }] }),
};
/** What a stream that ended as it should ends with: its end marker, or its error. */
const ENDED: Record<string, RegExp> = {
  '/v1/chat/completions': /data: \[DONE\]\n\n$|data: \{"error":.*\n\n$/,
  '/v1/messages': /event: message_stop\ndata: .*\n\n$|event: error\ndata: .*\n\n$/,
  '/v1/responses': /event: response\.(completed|incomplete|failed)\ndata: .*\n\n$/,
  '/api/chat': /"done":true.*\n$|\{"error":.*\n$/,
};
const CRASH = /TypeError|Cannot (read|create|convert|use)|is not (a function|iterable)|\[object Object\]|Internal error|internal_error/;

async function ask(path: string, model: string, stream: boolean) {
  for (const name of ['mini', 'qwen', 'sonnet', 'gpt']) h.gateway.breakers.reset(name);
  const res = await fetch(`${h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: JSON.stringify(DOORS[path]!(model, stream)) });
  return { status: res.status, text: await res.text() };
}

it('answers, or says which field of the upstream’s answer it cannot read, whatever each wire’s answer holds', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const path = draw.pick(Object.keys(DOORS));
    const model = draw.pick(['mini', 'qwen', 'sonnet', 'gpt']);
    const stream = draw.next() < 0.5;
    const { status, text } = await ask(path, model, stream);
    statuses.push(status);
    const where = `request ${i}: ${path} ${model} stream=${stream} -> ${status} ${text.slice(-600)}`;
    // A broken answer is the upstream's fault (503: every deployment tried failed), never the gateway's 500.
    expect([200, 503], where).toContain(status);
    expect(text, where).not.toMatch(CRASH);
    if (status === 200 && stream) expect(text, where).toMatch(ENDED[path]!);
  }
  expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(REQUESTS / 10);
  expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(REQUESTS / 10);
  expect((await fetch(`${h.url}/health`)).status).toBe(200);
});

it('names the field in its words, for an answer whole or streamed', async () => {
  const cases: [string, string, boolean, (answer: any) => unknown, string][] = [
    ['/v1/messages', 'mini', false, (a) => ({ ...a, choices: [{ index: 0, message: 1.5, finish_reason: 'stop' }] }), 'cloud sent a chat completion the gateway cannot read: choices[0].message must be object (got 1.5)'],
    ['/v1/responses', 'mini', false, (a) => ({ ...a, choices: [{ ...a.choices[0], message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function' }] } }] }), 'cloud sent a chat completion the gateway cannot read: choices[0].message.tool_calls[0].function is required'],
    ['/v1/chat/completions', 'qwen', false, (a) => ({ ...a, message: { role: 'assistant', content: '', tool_calls: [{ function: { arguments: {} } }] } }), 'local sent an Ollama answer line the gateway cannot read: message.tool_calls[0].function.name is required'],
    ['/api/chat', 'qwen', true, (line) => [line], 'local sent a stream line that is not a JSON object'],
    ['/v1/chat/completions', 'sonnet', true, (e) => (e.type === 'content_block_delta' && e.delta.type === 'input_json_delta' ? { ...e, delta: { ...e.delta, partial_json: { a: 1 } } } : e), 'claude sent a Messages stream event the gateway cannot read: delta.partial_json must be string (got {\\"a\\":1})'],
    ['/v1/messages', 'gpt', false, (a) => ({ ...a, output: [{ ...a.output.at(-1), arguments: ['{}'] }] }), 'codex sent a Response the gateway cannot read: output[0].arguments must be string (got [\\"{}\\"])'],
  ];
  for (const [path, model, stream, edit, words] of cases) {
    change = edit;
    const { status, text } = await ask(path, model, stream);
    change = undefined;
    expect([path, model, stream, status < 300 && !stream ? text : '']).toEqual([path, model, stream, '']);
    expect(text).toContain(words);
  }
});

it('counts the tokens itself, and says so, when a Messages server reports no usage, whole or streamed', async () => {
  const withoutUsage = ({ usage: _u, ...rest }: any): unknown => (rest.message ? { ...rest, message: withoutUsage(rest.message) } : rest);
  for (const [path, stream] of [['/v1/chat/completions', false], ['/v1/chat/completions', true], ['/v1/messages', false], ['/v1/messages', true]] as const) {
    change = withoutUsage;
    const { status, text } = await ask(path, 'sonnet', stream);
    change = undefined;
    expect([path, stream, status, text]).toEqual([path, stream, 200, expect.not.stringMatching(CRASH)]);
    const [row] = h.gateway.usage.list({}, { limit: 1 }).rows;
    expect([path, stream, row?.tokensEstimated, (row?.inputTokens ?? 0) > 0, row?.outputTokens]).toEqual([path, stream, true, true, expect.any(Number)]);
  }
});

it("passes a custom tool's call (OpenAI's other kind, named under `custom`) to a chat client as it came", async () => {
  const custom = { id: 'call_9', type: 'custom', custom: { name: 'apply_patch', input: '*** Begin Patch' } };
  change = (a: any) => ({ ...a, choices: [{ ...a.choices[0], message: { role: 'assistant', content: null, tool_calls: [custom] } }] });
  const { status, text } = await ask('/v1/chat/completions', 'mini', false);
  change = undefined;
  expect(status).toBe(200);
  expect(JSON.parse(text).choices[0].message.tool_calls).toEqual([custom]);
});
