/**
 * Compaction, as Codex asks for it when it believes it talks to OpenAI (`openai_base_url` or
 * `OPENAI_BASE_URL` pointed at the gateway): `POST /v1/responses/compact`, with the official
 * client's `responses.compact`. OpenAI compacts itself; any other model writes a handoff note, and
 * the conversation comes back as the user's messages and that note. Before, the path was a 404 and
 * Codex could not compact a long session at all.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';
import { assertMatchesSpec } from '../support/spec';

let ollama: FakeServer, openai: FakeServer, vllm: FakeServer, mute: FakeServer, h: Harness;

const config = () => ({
  version: 1,
  providers: [
    { name: 'local', kind: 'ollama', baseUrl: ollama.url },
    { name: 'openai', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY', apis: ['chat', 'responses'] },
    { name: 'compat', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY' },
    { name: 'vllm', kind: 'openai', baseUrl: `${vllm.url}/v1`, apis: ['chat', 'responses'], local: true },
    { name: 'mute', kind: 'openai', baseUrl: `${mute.url}/v1`, local: true },
  ],
  deployments: [
    { name: 'qwen', provider: 'local', model: 'qwen3-coder:30b' },
    { name: 'gpt', provider: 'openai', model: 'gpt-5.6' },
    { name: 'mini', provider: 'compat', model: 'gpt-4.1-mini' },
    { name: 'qwen-vllm', provider: 'vllm', model: 'Qwen/Qwen3-Coder' },
    { name: 'mute-model', provider: 'mute', model: 'thinker' },
  ],
  routes: [{ name: 'codex', deployments: ['gpt', 'qwen'] }, { name: 'mute-first', deployments: ['mute-model', 'mini'] }],
});

beforeAll(async () => {
  [ollama, openai, vllm, mute] = await Promise.all([startFakeOllama({ models: ['qwen3-coder:30b'] }), startFakeOpenAI({ account: 'acct_codex' }), startFakeOpenAI({ withoutCompaction: true }), startFakeOpenAI({ writesNothing: true })]);
  h = await startGateway(config());
});
afterAll(() => stopAll(h, ollama, openai, vllm, mute));
beforeEach(() => resetBetweenTests(h, [ollama, openai, vllm, mute], config()));

const conversation = [
  { type: 'message' as const, role: 'developer' as const, content: 'You are Codex.' },
  { type: 'message' as const, role: 'user' as const, content: 'Add a test for the parser.' },
  { type: 'message' as const, role: 'assistant' as const, content: [{ type: 'output_text' as const, text: 'Added parser.test.ts.', annotations: [] }], id: 'msg_1', status: 'completed' as const },
  { type: 'function_call' as const, call_id: 'call_1', name: 'shell', arguments: '{"cmd":"npm test"}' },
  { type: 'function_call_output' as const, call_id: 'call_1', output: '12 passed' },
  { type: 'message' as const, role: 'user' as const, content: [{ type: 'input_text' as const, text: 'Now the lexer.' }] },
];
const rows = () => h.gateway.usage.list({}, { limit: 20 }).rows;

describe('compaction', () => {
  it('is passed through to OpenAI, whose compaction item comes back as it made it', async () => {
    const compacted = await h.openai.responses.compact({ model: 'gpt', input: conversation });
    assertMatchesSpec('openai', 'CompactResource', compacted);
    expect(openai.requests.map((r) => r.path)).toEqual(['/v1/responses/compact']);
    expect(openai.requests[0]!.body.model).toBe('gpt-5.6');
    expect(compacted.output.map((item) => item.type)).toEqual(['message', 'message', 'compaction']);
  });

  it('is written by a chat model as a handoff note after the user\'s messages, without tools', async () => {
    const compacted = await h.openai.responses.compact({ model: 'mini', input: conversation });
    assertMatchesSpec('openai', 'CompactResource', compacted);
    const sent = openai.requests.at(-1)!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.body.tools).toBeUndefined();
    expect(sent.body.messages.at(-1)).toEqual({ role: 'user', content: expect.stringMatching(/^Stop here and write a handoff note/) });
    const texts = compacted.output.map((item) => (item.type === 'message' ? item.content.map((c) => ('text' in c ? c.text : '')).join('') : item.type));
    expect(texts.slice(0, 2)).toEqual(['Add a test for the parser.', 'Now the lexer.']);
    expect(texts[2]).toMatch(/^The conversation before this point was compacted\. A handoff note from the model that worked on it:\n\nEcho: Stop here/);
    expect(compacted.output.every((item) => item.type === 'message' && (item as { role: string }).role === 'user')).toBe(true);
    expect(rows()[0]).toMatchObject({ deployment: 'mini', api: 'responses', status: 200 });

    // The compacted conversation goes on as the input of the next turn.
    const next = await h.openai.responses.create({ model: 'mini', input: [...compacted.output, { type: 'message', role: 'user', content: 'Go on.' }] as never });
    expect(next.output_text).toBe('Echo: Go on.');
  });

  it('falls back from a failing OpenAI to a local model, which writes the note', async () => {
    await openai.setMode({ kind: 'status', status: 500 });
    const res = await fetch(`${h.baseUrl}/responses/compact`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'codex', input: conversation }) });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-switchyard-deployment')).toBe('qwen');
    const compacted = await res.json();
    assertMatchesSpec('openai', 'CompactResource', compacted);
    expect(ollama.requests.at(-1)?.path).toBe('/api/chat');
    expect(compacted.output.at(-1).content[0].text).toMatch(/Echo: Stop here/);
  });

  it("refuses, with the reason, OpenAI's encrypted compaction on a model that cannot read it", async () => {
    const fromOpenAI = await h.openai.responses.compact({ model: 'gpt', input: conversation });
    const res = await fetch(`${h.baseUrl}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'mini', input: fromOpenAI.output }) });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: 'needs_native_api', message: expect.stringContaining('"compaction"') });
  });

  it('is written by the model of a server that speaks Responses without compaction, its 404 held against nothing', async () => {
    const compacted = await h.openai.responses.compact({ model: 'qwen-vllm', input: conversation });
    assertMatchesSpec('openai', 'CompactResource', compacted);
    expect(vllm.requests.map((r) => r.path)).toEqual(['/v1/responses/compact', '/v1/chat/completions']);
    expect(h.gateway.breakers.snapshot('qwen-vllm')).toMatchObject({ state: 'closed', blockedBy: null, consecutiveFailures: 0 });
  });

  it('asks the next deployment when a model writes no summary, and holds it against nothing', async () => {
    const res = await fetch(`${h.baseUrl}/responses/compact`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'mute-first', input: conversation }) });
    expect(res.headers.get('x-switchyard-route')).toBe('mute-model:fail(unsupported) mini:ok');
    expect((await res.json()).output.at(-1).content[0].text).toMatch(/Echo: Stop here/);
    expect(h.gateway.breakers.snapshot('mute-model')).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });

  it('refuses to stream a compaction, naming the parameter', async () => {
    const res = await fetch(`${h.baseUrl}/responses/compact`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt', input: conversation, stream: true }) });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ param: 'stream', message: expect.stringContaining('answered whole') });
    expect(openai.requests).toHaveLength(0);
  });
});
