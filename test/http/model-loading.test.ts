/**
 * "Load now" and "Unload" (`POST /admin/api/deployments/NAME/load`, `.../unload`) against a fake
 * Ollama that keeps what it has in memory: the model goes in with the deployment's options and
 * keep-alive and out with `keep_alive: 0`, the health report says which deployments' models are
 * loaded, and what cannot be loaded is refused, naming why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, type Harness } from '../support/harness';

let ollama: FakeServer;
let openai: FakeServer;
let h: Harness;
beforeAll(async () => {
  [ollama, openai] = await Promise.all([startFakeOllama({ models: ['llama3.2:3b', 'qwen3:8b', 'nomic-embed-text'], loaded: ['llama3.2:3b'] }), startFakeOpenAI()]);
  h = await startGateway({
    version: 1,
    providers: [
      { name: 'local', kind: 'ollama', baseUrl: ollama.url, healthCheck: { intervalMs: 0 } },
      { name: 'cloud', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY', healthCheck: { intervalMs: 0 } },
    ],
    deployments: [
      { name: 'llama', provider: 'local', model: 'llama3.2:3b' },
      { name: 'qwen', provider: 'local', model: 'qwen3:8b', options: { num_ctx: 16384 }, keepAlive: '30m' },
      { name: 'coder', provider: 'local', model: 'llama3.2:3b', coldStart: 'fallback' },
      { name: 'gone', provider: 'local', model: 'mistral:7b' },
      { name: 'embed', provider: 'local', model: 'nomic-embed-text', type: 'embedding' },
      { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' },
    ],
    routes: [
      { name: 'default', deployments: ['qwen', 'llama', 'mini'] },
      { name: 'coding', deployments: ['coder', 'mini'] },
    ],
  });
  await h.gateway.health.probeAll();
});
afterAll(async () => {
  await h.stop();
  await Promise.all([ollama.stop(), openai.stop()]);
});

const loadedStates = async () => {
  const report = (await (await h.admin('/admin/api/health')).json()) as { deployments: { name: string; loaded: boolean | null }[] };
  return Object.fromEntries(report.deployments.map((d) => [d.name, d.loaded]));
};
const load = (name: string, action = 'load') => h.admin(`/admin/api/deployments/${encodeURIComponent(name)}/${action}`, { method: 'POST' });

describe('loading a local model ahead of its requests', () => {
  it('says which deployments have their model in memory: an Ollama\'s, as its /api/ps lists them; null for a cloud provider', async () => {
    expect(await loadedStates()).toEqual({ llama: true, qwen: false, coder: true, gone: false, embed: false, mini: null });
  });

  it('says nothing of what an Ollama that stopped answering holds, until it answers again: a server that went down lost its memory', async () => {
    await ollama.setMode({ kind: 'refuse' });
    try {
      const answer = await h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
      expect(answer.response.headers.get('x-switchyard-deployment')).toBe('mini');
      expect(await loadedStates()).toEqual({ llama: null, qwen: null, coder: null, gone: null, embed: null, mini: null });
    } finally {
      await ollama.setMode({ kind: 'healthy' });
    }
    await h.gateway.health.probeAll();
    expect(await loadedStates()).toEqual({ llama: true, qwen: false, coder: true, gone: false, embed: false, mini: null });
  });

  it('loads one with the options and keep-alive its requests carry, and the report says so at once', async () => {
    ollama.requests.length = 0;
    const res = await load('qwen');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ deployment: 'qwen', model: 'qwen3:8b', ms: expect.any(Number) });
    // A generate request without a prompt: Ollama only loads the model (server/routes.go).
    const sent = ollama.requests.filter((r) => r.path === '/api/generate');
    expect(sent.map((r) => r.body)).toEqual([{ model: 'qwen3:8b', stream: false, options: { num_ctx: 16384 }, keep_alive: '30m' }]);
    expect(await loadedStates()).toMatchObject({ qwen: true, llama: true });
  });

  it('refuses what it cannot load, naming why, in the API\'s error shape', async () => {
    const refused = async (name: string) => {
      const res = await load(name);
      return { status: res.status, ...((await res.json()) as { error: { message: string; type: string } }).error };
    };
    expect(await refused('mini')).toMatchObject({ status: 400, type: 'invalid_request_error', message: expect.stringContaining('a cloud model needs no loading') });
    expect(await refused('nobody')).toMatchObject({ status: 404, message: 'No deployment is named "nobody"' });
    // The Ollama's own refusal of a model it does not have, passed on.
    expect(await refused('gone')).toMatchObject({ status: 502, type: 'api_error', message: expect.stringMatching(/^local did not load mistral:7b: .*model "mistral:7b" not found/) });
    expect(await loadedStates()).toMatchObject({ gone: false });
  });

  it('unloads one as `ollama stop` does, and the report says so at once for every deployment of its model', async () => {
    await load('llama');
    ollama.requests.length = 0;
    const res = await load('llama', 'unload');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ deployment: 'llama', model: 'llama3.2:3b', ms: expect.any(Number) });
    expect(ollama.requests.filter((r) => r.path === '/api/generate').map((r) => r.body)).toEqual([{ model: 'llama3.2:3b', stream: false, keep_alive: 0 }]);
    expect(await loadedStates()).toMatchObject({ llama: false, coder: false, qwen: true });
  });

  it('forgets the answers that said the model was in memory: a cold-start deployment answered a moment ago goes after the others once unloaded', async () => {
    await load('coder');
    const ask = async () => (await h.openai.chat.completions.create({ model: 'coding', messages: [{ role: 'user', content: 'hi' }] }).withResponse()).response.headers.get('x-switchyard-deployment');
    expect(await ask()).toBe('coder');
    // Ollama's own keep-alive running out is seen only at the next probe; this gateway's unload is known at once.
    await load('coder', 'unload');
    expect(await ask()).toBe('mini');
    await load('coder');
  });

  it('refuses to unload what it would not load, and passes on the Ollama\'s refusal', async () => {
    const res = await load('mini', 'unload');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('a cloud model needs no loading');
    await ollama.setMode({ kind: 'status', status: 500, body: { error: 'llama runner is busy' } });
    try {
      const failed = await load('qwen', 'unload');
      expect(failed.status).toBe(502);
      expect(((await failed.json()) as { error: { message: string } }).error.message).toBe('local did not unload qwen3:8b: 500 llama runner is busy');
    } finally {
      await ollama.setMode({ kind: 'healthy' });
    }
  });

  it('needs the dashboard\'s session, as every admin route does', async () => {
    for (const action of ['load', 'unload']) {
      const res = await fetch(`${h.url}/admin/api/deployments/qwen/${action}`, { method: 'POST' });
      expect(res.status).toBe(401);
    }
  });
});
