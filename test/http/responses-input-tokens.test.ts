/**
 * Token counts of a Responses request (`POST /v1/responses/input_tokens`, the official client's
 * `responses.inputTokens.count`): OpenAI counts its own; a server that speaks Responses without the
 * endpoint (vLLM, a 404) and any other model get the gateway's estimate; the history a
 * `previous_response_id` names is counted, and sent inline to the upstream that counts. Before, the
 * path was a 404.
 */
import { NotFoundError } from 'openai';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';
import { inputTokensFor } from '../support/responses-wire';
import { assertMatchesSpec } from '../support/spec';

let ollama: FakeServer, openai: FakeServer, vllm: FakeServer, h: Harness;

const config = () => ({
  version: 1,
  providers: [
    { name: 'local', kind: 'ollama', baseUrl: ollama.url },
    { name: 'openai', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY', apis: ['chat', 'responses'] },
    { name: 'vllm', kind: 'openai', baseUrl: `${vllm.url}/v1`, apis: ['chat', 'responses'], local: true },
  ],
  deployments: [
    { name: 'qwen', provider: 'local', model: 'qwen3-coder:30b' },
    { name: 'gpt', provider: 'openai', model: 'gpt-5.6' },
    { name: 'qwen-vllm', provider: 'vllm', model: 'Qwen/Qwen3-Coder' },
  ],
  routes: [{ name: 'codex', deployments: ['gpt', 'qwen'] }],
});

beforeAll(async () => {
  [ollama, openai, vllm] = await Promise.all([startFakeOllama({ models: ['qwen3-coder:30b'] }), startFakeOpenAI(), startFakeOpenAI({ withoutCompaction: true })]);
  h = await startGateway(config());
});
afterAll(() => stopAll(h, ollama, openai, vllm));
beforeEach(() => resetBetweenTests(h, [ollama, openai, vllm], config()));

const input = [
  { type: 'message' as const, role: 'user' as const, content: 'Add a test for the parser.' },
  { type: 'function_call' as const, call_id: 'call_1', name: 'shell', arguments: '{"cmd":"npm test"}' },
  { type: 'function_call_output' as const, call_id: 'call_1', output: '12 passed' },
];
const tools = [{ type: 'function' as const, name: 'shell', parameters: { type: 'object', properties: { cmd: { type: 'string' } } }, strict: false }];
const counted = (fake: FakeServer) => fake.requests.filter((r) => r.path === '/v1/responses/input_tokens');

it("is OpenAI's own count where the route's deployment is one of its models", async () => {
  const count = await h.openai.responses.inputTokens.count({ model: 'codex', instructions: 'You are Codex.', input, tools });
  assertMatchesSpec('openai', 'TokenCountsResource', JSON.parse(JSON.stringify(count)));
  const [sent] = counted(openai);
  expect(sent?.body).toMatchObject({ model: 'gpt-5.6', instructions: 'You are Codex.', input, tools });
  expect(count).toEqual({ object: 'response.input_tokens', input_tokens: inputTokensFor(sent?.body).input_tokens });
});

it('is an estimate from a model that cannot count, one that grows with the request, tools included', async () => {
  const local = await h.openai.responses.inputTokens.count({ model: 'qwen', input });
  const vllmCount = await h.openai.responses.inputTokens.count({ model: 'qwen-vllm', input });
  // vLLM was asked, and had no such endpoint (a 404): the estimate, the same as the local model's.
  expect(counted(vllm)).toHaveLength(1);
  expect(counted(ollama)).toHaveLength(0);
  expect(vllmCount).toEqual(local);
  expect(local.input_tokens).toBeGreaterThan(10);
  expect(local.input_tokens).toBeLessThan(100);
  const longer = await h.openai.responses.inputTokens.count({ model: 'qwen', input: [...input, { type: 'message', role: 'user', content: 'word '.repeat(500) }], tools });
  expect(longer.input_tokens).toBeGreaterThan(local.input_tokens + 500);
  // The breaker took no 404 from the count as the model's.
  expect(h.gateway.breakers.snapshot('qwen-vllm')).toMatchObject({ state: 'closed', consecutiveFailures: 0, blockedBy: null });
});

it('counts the history a previous_response_id names, sent inline to the upstream that counts', async () => {
  const first = await h.openai.responses.create({ model: 'qwen', input: 'Remember the number 41.', store: true });
  const alone = await h.openai.responses.inputTokens.count({ model: 'qwen', input: 'And now?' });
  const after = await h.openai.responses.inputTokens.count({ model: 'qwen', input: 'And now?', previous_response_id: first.id });
  expect(after.input_tokens).toBeGreaterThan(alone.input_tokens);
  await h.openai.responses.inputTokens.count({ model: 'gpt', input: 'And now?', previous_response_id: first.id });
  const [sent] = counted(openai);
  expect(sent?.body.previous_response_id).toBeUndefined();
  expect(JSON.stringify(sent?.body.input)).toContain('Remember the number 41.');
});

it('names a model it does not have, as every endpoint does', async () => {
  const error = await h.openai.responses.inputTokens.count({ model: 'nothing', input: 'hi' }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(NotFoundError);
  expect((error as NotFoundError).error).toMatchObject({ code: 'model_not_found', message: expect.stringContaining('"nothing" does not exist') });
});
