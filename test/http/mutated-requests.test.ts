/**
 * An attack run on every model front door: well-formed requests (tools, images, thinking, tool
 * results, reasoning items) with one or two parts replaced by values of another type, removed,
 * wrapped or nested deep, sent to deployments of every kind (seeded, so a failure repeats). Whatever
 * comes in, the gateway answers in the front door's own error shape, never with a 5xx while every
 * upstream is up, and keeps serving. Runs like this found a request that no deployment could take answered 503, which Claude
 * Code retried ten times, and a function tool without its function that crashed the translation for every OpenAI-compatible server.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, type Harness } from '../support/harness';
import { draws, testSeed, mutated } from '../support/mutations';

const REQUESTS = 360;
const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

let fakes: FakeServer[];
let h: Harness;

beforeAll(async () => {
  const [ollama, openai, anthropic] = (fakes = await Promise.all([startFakeOllama({ models: ['llama3.2:3b', 'qwen3:8b', 'nomic-embed-text'] }), startFakeOpenAI(), startFakeAnthropic()]));
  h = await startGateway({
    version: 1,
    providers: [
      { name: 'claude', kind: 'anthropic', baseUrl: anthropic!.url, apiKey: 'env:TEST_KEY' },
      { name: 'local', kind: 'ollama', baseUrl: ollama!.url },
      { name: 'cloud', kind: 'openai', baseUrl: `${openai!.url}/v1`, apiKey: 'env:TEST_KEY' },
    ],
    deployments: [
      { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5' },
      { name: 'qwen', provider: 'local', model: 'qwen3:8b' },
      { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' },
      { name: 'embed', provider: 'local', model: 'nomic-embed-text', type: 'embedding' },
    ],
    // Sessions kept: the session each body names (`prompt_cache_key`, mutated like the rest) steers it.
    routes: [{ name: 'mixed', deployments: ['qwen', 'sonnet', 'mini'], stickySessions: true }],
  });
}, 30_000);
afterAll(() => stopAll(h, ...fakes));

const tool = { type: 'function', function: { name: 'f', description: 'd', parameters: { type: 'object', properties: { a: { type: 'number' } } } } };
/** Each front door's request as its clients send it. */
const SEEDS: Record<string, (model: string, stream: boolean) => unknown> = {
  '/v1/chat/completions': (model, stream) => ({
    model, stream, max_tokens: 50, tools: [tool], reasoning_effort: 'low', prompt_cache_key: 'conversation-1',
    messages: [{ role: 'system', content: 's' }, { role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } }] }, { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] }, { role: 'tool', tool_call_id: 'c1', content: 'r' }],
  }),
  '/v1/completions': (model, stream) => ({ model, stream, prompt: 'p', max_tokens: 5, suffix: 's' }),
  '/v1/embeddings': (model) => ({ model, input: ['a', 'b'] }),
  '/v1/messages': (model, stream) => ({
    model, stream, max_tokens: 2_000, thinking: { type: 'enabled', budget_tokens: 1_024 }, system: [{ type: 'text', text: 's', cache_control: { type: 'ephemeral' } }],
    tools: [{ name: 'f', input_schema: { type: 'object', properties: { a: { type: 'number' } } } }],
    messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: [{ type: 'thinking', thinking: 't', signature: 'sig' }, { type: 'tool_use', id: 'toolu_1', name: 'f', input: { a: 1 } }] }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'r' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } }] }] }],
  }),
  '/v1/messages/count_tokens': (model) => ({ model, system: 's', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] }),
  '/v1/responses': (model, stream) => ({
    model, stream, store: false, instructions: 'i', reasoning: { effort: 'low' }, include: ['reasoning.encrypted_content'], prompt_cache_key: 'conversation-2',
    tools: [{ type: 'function', name: 'f', parameters: { type: 'object', properties: {} } }, { type: 'custom', name: 'apply_patch', format: { type: 'grammar', syntax: 'lark', definition: 'start: /.+/' } }],
    input: [{ role: 'user', content: [{ type: 'input_text', text: 'hi' }, { type: 'input_image', image_url: `data:image/png;base64,${png}` }] }, { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 's' }], encrypted_content: 'switchyard-thinking-v1:e30' }, { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}' }, { type: 'function_call_output', call_id: 'c1', output: 'r' }],
  }),
  '/api/chat': (model, stream) => ({ model, stream, think: true, options: { num_ctx: 4096 }, tools: [tool], messages: [{ role: 'user', content: 'hi', images: [png] }, { role: 'assistant', content: '', tool_calls: [{ function: { name: 'f', arguments: { a: 1 } } }] }, { role: 'tool', content: 'r', tool_name: 'f' }] }),
  '/api/generate': (model, stream) => ({ model, stream, prompt: 'p', suffix: 's', system: 's', options: { num_predict: 5 } }),
  '/api/embed': (model) => ({ model, input: ['a', 'b'] }),
  '/api/show': (model) => ({ model }),
};

/** Whether a refusal is in the front door's own error shape. */
function inItsShape(path: string, body: unknown): boolean {
  const b = body as { type?: unknown; error?: { message?: unknown; type?: unknown } | string };
  if (path.startsWith('/api/')) return typeof b.error === 'string' && b.error !== '';
  if (path.startsWith('/v1/messages')) return b.type === 'error' && typeof b.error === 'object' && typeof b.error.type === 'string' && typeof b.error.message === 'string';
  return typeof b.error === 'object' && typeof b.error.message === 'string' && b.error.message !== '';
}

it('answers every mutated request in its front door’s shape, never with a 5xx while its upstreams are up, and keeps serving', async () => {
  const draw = draws(testSeed());
  const statuses: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const path = draw.pick(Object.keys(SEEDS));
    const model = draw.pick(['sonnet', 'qwen', 'mini', 'mixed', 'embed']);
    // The model is left as named (else most requests are a 404), unless it is all there is.
    const sent = JSON.stringify(mutated(SEEDS[path]!(model, draw.next() < 0.5), draw, { spare: (at) => at[0] === 'model' })) ?? '';
    const res = await fetch(`${h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: sent });
    const text = await res.text();
    statuses.push(res.status);
    const where = `request ${i}: POST ${path} ${sent.slice(0, 400)}\n-> ${res.status} ${text.slice(0, 300)}`;
    // Every upstream is up: an answer, the request refused (400), or a model named wrong (404).
    expect([200, 400, 404], where).toContain(res.status);
    if (res.status >= 400) {
      expect(res.headers.get('content-type'), where).toContain('json');
      expect(inItsShape(path, JSON.parse(text)), where).toBe(true);
    }
  }
  // The run reached both sides: requests answered and requests refused.
  expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(REQUESTS / 10);
  expect(statuses.filter((s) => s === 400).length).toBeGreaterThan(REQUESTS / 10);
  expect((await fetch(`${h.url}/health`)).status).toBe(200);
});
