/**
 * `coldStart: "fallback"` on an Ollama deployment, against a fake Ollama that keeps what it has in
 * memory: while the model is not loaded the route's other deployments answer and the gateway loads
 * it in the background, then requests come back to it; a cold one still answers when nothing else
 * can, a route of it alone waits for it, and a load that fails is not asked again for a minute.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, type Harness } from '../support/harness';

let ollama: FakeServer;
let openai: FakeServer;
let h: Harness;
let clock = Date.UTC(2026, 11, 2, 10);
beforeAll(async () => {
  [ollama, openai] = await Promise.all([startFakeOllama({ models: ['llama3.2:3b', 'qwen3:8b'], loaded: [] }), startFakeOpenAI()]);
  h = await startGateway(
    {
      version: 1,
      providers: [
        { name: 'local', kind: 'ollama', baseUrl: ollama.url, healthCheck: { intervalMs: 0 } },
        { name: 'cloud', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY', healthCheck: { intervalMs: 0 } },
      ],
      deployments: [
        { name: 'qwen', provider: 'local', model: 'qwen3:8b', coldStart: 'fallback', keepAlive: '30m' },
        { name: 'llama', provider: 'local', model: 'llama3.2:3b' },
        { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' },
      ],
      routes: [
        { name: 'default', deployments: ['qwen', 'mini'] },
        { name: 'alone', deployments: ['qwen'] },
        { name: 'waits', deployments: ['llama', 'mini'] },
        { name: 'kept', deployments: ['qwen', 'mini'], stickySessions: true },
      ],
    },
    { now: () => clock },
  );
});
afterAll(async () => {
  await h.stop();
  await Promise.all([ollama.stop(), openai.stop()]);
});
beforeEach(async () => {
  // Every model unloaded, as Ollama does when a keep-alive runs out, and past the five minutes a model this gateway answered with is taken to stay in memory.
  for (const model of ['llama3.2:3b', 'qwen3:8b']) await fetch(`${ollama.url}/api/generate`, { method: 'POST', body: JSON.stringify({ model, keep_alive: 0 }) });
  clock += 6 * 60_000;
  await Promise.all([ollama.reset(), openai.reset()]);
  await h.gateway.health.probeAll();
});

/** Which deployment answered, and the request's routing decision. */
async function ask(model: string, session?: string) {
  const { data, response } = await h.openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }, session ? { headers: { 'x-switchyard-session': session } } : {}).withResponse();
  expect(data.choices[0]?.message.content).toBeTruthy();
  const detail = await (await h.admin(`/admin/api/usage/${response.headers.get('x-request-id')}`)).json();
  return { deployment: response.headers.get('x-switchyard-deployment'), decision: detail.decision };
}
const loads = () => ollama.requests.filter((r) => r.path === '/api/generate' && r.body.prompt === undefined && r.body.keep_alive !== 0);

describe('a deployment whose model is not in memory', () => {
  it('lets the route\'s others answer, loads it meanwhile with its keep-alive, and takes requests back once it is in memory', async () => {
    const first = await ask('default');
    expect(first.deployment).toBe('mini');
    expect(first.decision).toMatchObject({ cold: ['qwen'], steps: [{ deployment: 'mini', outcome: 'ok' }] });
    await expect.poll(() => loads().map((r) => r.body)).toEqual([{ model: 'qwen3:8b', stream: false, keep_alive: '30m' }]);
    // The probe after the load says it is in memory.
    await expect.poll(async () => (await ask('default')).deployment).toBe('qwen');
    expect(loads()).toHaveLength(1);
  });

  it('does not move a session that kept to it: the answer from elsewhere meanwhile is a stopgap', async () => {
    expect((await ask('kept', 'agent-1')).deployment).toBe('mini');
    await expect.poll(async () => (await ask('kept', 'agent-1')).deployment).toBe('qwen');
    // Unloaded again: the session, now kept on qwen, is answered elsewhere while it loads, and comes back.
    await fetch(`${ollama.url}/api/generate`, { method: 'POST', body: JSON.stringify({ model: 'qwen3:8b', keep_alive: 0 }) });
    clock += 6 * 60_000;
    await h.gateway.health.probeAll();
    const meanwhile = await ask('kept', 'agent-1');
    expect(meanwhile).toMatchObject({ deployment: 'mini', decision: { sticky: 'qwen', cold: ['qwen'] } });
    await expect.poll(async () => (await ask('kept', 'agent-1')).deployment).toBe('qwen');
  });

  it('goes after the others once Ollama let its model go for another, though it answered a moment before', async () => {
    await ask('alone');
    expect((await ask('default')).deployment).toBe('qwen');
    // Ollama unloads a model to make room for another (or when its keep-alive runs out); the next probe sees it gone.
    await fetch(`${ollama.url}/api/generate`, { method: 'POST', body: JSON.stringify({ model: 'qwen3:8b', keep_alive: 0 }) });
    clock += 1_000;
    await h.gateway.health.probeAll();
    const meanwhile = await ask('default');
    expect(meanwhile).toMatchObject({ deployment: 'mini', decision: { cold: ['qwen'] } });
    await expect.poll(async () => (await ask('default')).deployment).toBe('qwen');
  });

  it('still answers, last, when the others cannot', async () => {
    await openai.setMode({ kind: 'status', status: 500 });
    const answered = await ask('default');
    expect(answered.deployment).toBe('qwen');
    expect(answered.decision.steps.map((s: { deployment: string; outcome: string }) => `${s.deployment}:${s.outcome}`)).toEqual(['mini:failed', 'qwen:ok']);
  });

  it('is waited for on a route with nothing else, and without coldStart', async () => {
    const alone = await ask('alone');
    expect(alone.deployment).toBe('qwen');
    expect(alone.decision.cold).toBeUndefined();
    const waits = await ask('waits');
    expect(waits.deployment).toBe('llama');
    expect(loads()).toEqual([]);
  });

  it('is not asked to load again for a minute after a load failed', async () => {
    await ollama.setMode({ kind: 'status', status: 500, body: { error: 'llama runner process has terminated: out of memory' } });
    await openai.reset();
    expect((await ask('default')).deployment).toBe('mini');
    await expect.poll(() => loads().length).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await ask('default')).deployment).toBe('mini');
    expect(loads()).toHaveLength(1);
    clock += 61_000;
    expect((await ask('default')).deployment).toBe('mini');
    await expect.poll(() => loads().length).toBe(2);
  });
});
