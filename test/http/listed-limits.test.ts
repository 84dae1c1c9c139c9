/**
 * Context windows a server's models list says: vLLM's `max_model_len`, Groq's `context_window`,
 * OpenRouter's and Together's `context_length` (Together's list a bare array), Anthropic's
 * `max_input_tokens`. The router knows a model the bundled table does not, and one it does as the
 * server serves it (vLLM started with a smaller window than the model's), skips it for a prompt it
 * cannot take, and the config's own `contextWindow` still wins. And the answer limits lists say
 * (Anthropic's `max_tokens`, Groq's `max_completion_tokens`, OpenRouter's under `top_provider`): a
 * request asking for more is sent the limit at once, not refused first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, type Harness } from '../support/harness';

let vllm: FakeServer, together: FakeServer, groq: FakeServer, claude: FakeServer, openrouter: FakeServer, h: Harness;

beforeAll(async () => {
  [vllm, together, groq, claude, openrouter] = await Promise.all([
    startFakeOpenAI({ models: [{ id: 'Qwen/Qwen3-32B', object: 'model', owned_by: 'vllm', max_model_len: 32_768 }] }),
    startFakeOpenAI({ bareModelsList: true, models: [{ id: 'deepcogito/cogito-v2-1-671b', object: 'model', type: 'chat', context_length: 163_840 }] }),
    startFakeOpenAI({ models: [{ id: 'moonshotai/kimi-k2-instruct-0905', object: 'model', owned_by: 'Moonshot AI', active: true, context_window: 262_144, max_completion_tokens: 16_384 }, { id: 'odd-model', object: 'model', context_window: 'large' }, { id: 'acme-coder-2026-03-01', object: 'model', context_window: 65_536 }] }),
    // A Claude line newer than the bundled table, listed by snapshot as Anthropic lists models.
    startFakeAnthropic({ models: [{ type: 'model', id: 'claude-mythos-1-20261120', display_name: 'Claude Mythos 1', created_at: '2026-11-20T00:00:00Z', max_input_tokens: 500_000, max_tokens: 128_000 }] }),
    startFakeOpenAI({ models: [{ id: 'acme/coder-pro', name: 'Acme: Coder Pro', context_length: 200_000, top_provider: { context_length: 200_000, max_completion_tokens: 20_000, is_moderated: false } }] }),
  ]);
  h = await startGateway(
    {
      version: 1,
      providers: [
        { name: 'vllm', kind: 'openai', baseUrl: `${vllm.url}/v1` },
        { name: 'together', kind: 'openai', baseUrl: `${together.url}/v1`, apiKey: 'env:TEST_KEY', local: false },
        { name: 'groq', kind: 'openai', baseUrl: `${groq.url}/v1`, apiKey: 'env:TEST_KEY', local: false },
        { name: 'anthropic', kind: 'anthropic', baseUrl: claude.url, apiKey: 'env:TEST_KEY', local: false },
        { name: 'openrouter', kind: 'openai', baseUrl: `${openrouter.url}/v1`, apiKey: 'env:TEST_KEY', local: false },
      ],
      deployments: [
        { name: 'qwen', provider: 'vllm', model: 'Qwen/Qwen3-32B' },
        { name: 'cogito', provider: 'together', model: 'deepcogito/cogito-v2-1-671b' },
        { name: 'kimi', provider: 'groq', model: 'moonshotai/kimi-k2-instruct-0905' },
        { name: 'kimi-capped', provider: 'groq', model: 'moonshotai/kimi-k2-instruct-0905', contextWindow: 65_536 },
        { name: 'odd', provider: 'groq', model: 'odd-model' },
        // Named by its alias; the list has the dated snapshot, as OpenAI's and Anthropic's do.
        { name: 'acme', provider: 'groq', model: 'acme-coder' },
        { name: 'mythos', provider: 'anthropic', model: 'claude-mythos-1' },
        { name: 'acme-pro', provider: 'openrouter', model: 'acme/coder-pro' },
      ],
      routes: [{ name: 'coder', deployments: ['qwen', 'cogito'] }],
    },
    { env: { TEST_KEY: 'sk-test' } },
  );
});
afterAll(() => stopAll(h, vllm, together, groq, claude, openrouter));

const report = () => h.admin('/admin/api/health').then((r) => r.json());
const windows = async () => Object.fromEntries((await report()).deployments.map((d: { name: string; contextWindow: number | null }) => [d.name, d.contextWindow]));

describe('context windows from models lists', () => {
  it('are known once a probe has read each list (Together\'s a bare array, a model named by the alias of its listed snapshot); the config\'s own wins', async () => {
    // The bundled table knows Qwen3-32B (trained for 131,072) and Kimi K2, not Cogito.
    expect(await windows()).toEqual({ qwen: 131_072, cogito: null, kimi: 262_144, 'kimi-capped': 65_536, odd: null, acme: null, mythos: null, 'acme-pro': null });
    await h.gateway.health.probeAll();
    const probed = await report();
    expect(probed.providers.map((p: { name: string; status: string }) => [p.name, p.status])).toEqual([['vllm', 'up'], ['together', 'up'], ['groq', 'up'], ['anthropic', 'up'], ['openrouter', 'up']]);
    expect(probed.providers[1].probe.models).toEqual(['deepcogito/cogito-v2-1-671b']);
    // vLLM serves Qwen with 32,768; a field that is no count of tokens says nothing.
    expect(await windows()).toEqual({ qwen: 32_768, cogito: 163_840, kimi: 262_144, 'kimi-capped': 65_536, odd: null, acme: 65_536, mythos: 500_000, 'acme-pro': 200_000 });
    // And an Ollama-API client (Roo Code, Continue) reading the model's window from /api/show is told the same.
    const shown = await h.ollama.show({ model: 'qwen' });
    const said = Object.entries(shown.model_info as unknown as Record<string, unknown>).find(([key]) => key.endsWith('.context_length'))?.[1];
    expect(said).toBe(32_768);
  });

  it('route a prompt too long for a model as its server serves it to one that takes it', async () => {
    await h.gateway.health.probeAll();
    // About 50,000 tokens: past vLLM's 32,768 (not the table's 131,072), within Together's 163,840.
    const long = 'The quick brown fox jumps over the lazy dog. '.repeat(4_500);
    const res = await fetch(`${h.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'coder', messages: [{ role: 'user', content: long }] }) });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-switchyard-deployment')).toBe('cogito');
    expect(res.headers.get('x-switchyard-route')).toContain('qwen:skip(context-too-small)');
    expect(vllm.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(0);
  });

  it('send a request asking for more than a model writes its listed limit at once, where the table knows none', async () => {
    await h.gateway.health.probeAll();
    const ask = (model: string, body: Record<string, unknown>) => fetch(`${h.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], ...body }) });
    // Groq refuses Kimi K2 more than 16,384 tokens: it is not asked, and so does not refuse.
    expect((await ask('kimi', { max_tokens: 32_000 })).status).toBe(200);
    expect(groq.requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.body?.max_tokens)).toEqual([16_384]);
    // OpenRouter says it under the provider that serves the model.
    expect((await ask('acme-pro', { max_completion_tokens: 64_000 })).status).toBe(200);
    expect(openrouter.requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.body?.max_completion_tokens)).toEqual([20_000]);
    // Anthropic's list says a model newer than the table writes 128,000 at most.
    const messages = await fetch(`${h.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: JSON.stringify({ model: 'mythos', max_tokens: 200_000, messages: [{ role: 'user', content: 'hi' }] }) });
    expect(messages.status).toBe(200);
    expect(claude.requests.filter((r) => r.path === '/v1/messages').map((r) => r.body?.max_tokens)).toEqual([128_000]);
    // Asking for less is sent as asked.
    expect((await ask('kimi', { max_tokens: 1_000 })).status).toBe(200);
    expect(groq.requests.filter((r) => r.path === '/v1/chat/completions').at(-1)?.body?.max_tokens).toBe(1_000);
  });
});
