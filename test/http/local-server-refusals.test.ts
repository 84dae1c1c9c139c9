/**
 * Local servers that cannot take a request's tools or images, each in its own words. LM Studio
 * renders a conversation with the model's own chat template and says a template that fails on it
 * with a 400: "Error rendering prompt with jinja template: ..." (Gemma 4's bundled template on any
 * request with tools, lmstudio-bug-tracker#2012; Zed and KiloCode met others). Read as the request's
 * own fault, it went back to the client, where a cloud model next on the route would have answered
 * it. Now it is a model that cannot take this request: the next deployment is tried, the local
 * model's health is as it was, and only when none is left is the refusal returned. vLLM's server
 * started without a tool parser says so of every request with tools ("\"auto\" tool choice requires
 * --enable-auto-tool-choice and --tool-call-parser to be set"), and is the same case. So is
 * llama.cpp's server with a vision model started without its projector (Gemma 4 without `--mmproj`,
 * kilocode#8390) sent an image (Claude Code reading a screenshot): "image input is not supported",
 * said with a 500 that opened the local model's breaker.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, type Harness } from '../support/harness';

let lmstudio: FakeServer;
let vllm: FakeServer;
let llama: FakeServer;
let cloud: FakeServer;
let h: Harness;

beforeAll(async () => {
  [lmstudio, vllm, llama, cloud] = await Promise.all([startFakeOpenAI({ templateFailsTools: true }), startFakeOpenAI({ noToolParser: true }), startFakeOpenAI({ noProjector: true }), startFakeOpenAI()]);
  h = await startGateway({
    version: 1,
    providers: [
      { name: 'lmstudio', kind: 'openai', baseUrl: `${lmstudio.url}/v1`, healthCheck: { intervalMs: 0 } },
      { name: 'vllm', kind: 'openai', baseUrl: `${vllm.url}/v1`, healthCheck: { intervalMs: 0 } },
      { name: 'llamacpp', kind: 'openai', baseUrl: `${llama.url}/v1`, healthCheck: { intervalMs: 0 } },
      { name: 'cloud', kind: 'openai', baseUrl: `${cloud.url}/v1`, apiKey: 'env:TEST_KEY', healthCheck: { intervalMs: 0 } },
    ],
    deployments: [
      { name: 'gemma', provider: 'lmstudio', model: 'google/gemma-4-12b', breaker: { failures: 2, cooldownMs: 600_000 } },
      { name: 'served', provider: 'vllm', model: 'Qwen/Qwen3.6-27B', breaker: { failures: 2, cooldownMs: 600_000 } },
      { name: 'coder', provider: 'llamacpp', model: 'gemma-4-26b-a4b-it', breaker: { failures: 2, cooldownMs: 600_000 } },
      { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' },
    ],
    routes: [
      { name: 'agent', deployments: ['gemma', 'mini'] },
      { name: 'team', deployments: ['served', 'mini'] },
      { name: 'code', deployments: ['coder', 'mini'] },
    ],
  });
});
afterAll(() => stopAll(h, lmstudio, vllm, llama, cloud));
beforeEach(async () => {
  await Promise.all([lmstudio.reset(), vllm.reset(), llama.reset(), cloud.reset()]);
  h.gateway.breakers.reset('gemma');
  h.gateway.breakers.reset('served');
  h.gateway.breakers.reset('coder');
});

const READ = [{ type: 'function' as const, function: { name: 'read_file', parameters: { type: 'object', properties: { path: { type: 'string' } } } } }];

it('sends a request the local template cannot render on to the cloud, and keeps the local model for the rest', async () => {
  for (let i = 0; i < 3; i++) {
    const answer = await h.openai.chat.completions.create({ model: 'agent', messages: [{ role: 'user', content: `read the README ${i}` }], tools: READ });
    expect(answer.model).toBe('gpt-4.1-mini');
  }
  expect(lmstudio.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(3);
  expect(h.gateway.breakers.snapshot('gemma').state).toBe('closed');
  const plain = await h.openai.chat.completions.create({ model: 'agent', messages: [{ role: 'user', content: 'hello' }] });
  expect(plain.model).toBe('google/gemma-4-12b');
});

it('returns LM Studio\'s words, as a 400, when no deployment is left to try', async () => {
  const refused = await h.openai.chat.completions.create({ model: 'gemma', messages: [{ role: 'user', content: 'read it' }], tools: READ }).then(
    () => undefined,
    (error: { status?: number; message?: string }) => error,
  );
  expect(refused?.status).toBe(400);
  expect(refused?.message).toMatch(/Error rendering prompt with jinja template: "Cannot call something that is not a function/);
  expect(h.gateway.breakers.snapshot('gemma').state).toBe('closed');
});

it('sends tools a vLLM without a tool parser refuses on to the cloud, and keeps it for the rest', async () => {
  for (let i = 0; i < 3; i++) {
    const answer = await h.openai.chat.completions.create({ model: 'team', messages: [{ role: 'user', content: `read the README ${i}` }], tools: READ });
    expect(answer.model).toBe('gpt-4.1-mini');
  }
  expect(h.gateway.breakers.snapshot('served').state).toBe('closed');
  // Tools it is not asked to choose among (none chosen) it takes.
  const unchosen = await h.openai.chat.completions.create({ model: 'team', messages: [{ role: 'user', content: 'hello' }], tools: READ, tool_choice: 'none' });
  expect(unchosen.model).toBe('Qwen/Qwen3.6-27B');
});

it('sends an image a model without its projector refuses on to the cloud, and keeps the local model for the rest', async () => {
  const screenshot = { type: 'image_url' as const, image_url: { url: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==' } };
  for (let i = 0; i < 3; i++) {
    const answer = await h.openai.chat.completions.create({ model: 'code', messages: [{ role: 'user', content: [{ type: 'text', text: `what is wrong on this page? ${i}` }, screenshot] }] });
    expect(answer.model).toBe('gpt-4.1-mini');
  }
  expect(h.gateway.breakers.snapshot('coder').state).toBe('closed');
  expect((await h.openai.chat.completions.create({ model: 'code', messages: [{ role: 'user', content: 'hello' }] })).model).toBe('gemma-4-26b-a4b-it');
  // Alone on its route: its words, as a 400 (the SDK would send a 500 twice more, to the same refusal).
  const refused = await h.openai.chat.completions.create({ model: 'coder', messages: [{ role: 'user', content: [screenshot] }] }).then(
    () => undefined,
    (error: { status?: number; message?: string }) => error,
  );
  expect(refused?.status).toBe(400);
  expect(refused?.message).toMatch(/image input is not supported/);
});
