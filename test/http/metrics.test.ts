/**
 * `GET /metrics` in Prometheus's text format, scraped after real traffic through the OpenAI and
 * Ollama front doors (fake upstreams on loopback): the request counters by route, deployment and
 * status, fallbacks and the failure that caused them, tokens, cost, cache hits and the latency
 * histograms add up to what was sent; the gauges say what /health says; a model name a client made
 * up never becomes a label; and beyond loopback it needs a client key, as the full health report does.
 */
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, type Harness } from '../support/harness';
import { parseMetrics } from '../support/prometheus-text';

let ollama: FakeServer;
let openai: FakeServer;
let h: Harness;
const config = () => ({
  version: 1,
  providers: [
    { name: 'local', kind: 'ollama', baseUrl: ollama.url, healthCheck: { intervalMs: 0 } },
    { name: 'cloud', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY', local: false, healthCheck: { intervalMs: 0 } },
  ],
  deployments: [
    { name: 'llama', provider: 'local', model: 'llama3.2:3b' },
    { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini', pricing: { inputPerMTok: 50_000, outputPerMTok: 100_000 } },
  ],
  routes: [
    { name: 'default', deployments: ['llama', 'mini'] },
    { name: 'cached', deployments: ['mini'], cache: true },
  ],
  budgets: [{ name: 'daily', scope: 'global', period: 'day', limitUsd: 50 }],
  settings: { cache: { enabled: true } },
});
beforeAll(async () => {
  [ollama, openai] = await Promise.all([startFakeOllama(), startFakeOpenAI()]);
  h = await startGateway(config());
  await h.gateway.health.probeAll();
});
afterAll(async () => {
  await h.stop();
  await Promise.all([ollama.stop(), openai.stop()]);
});

const scrape = async (url = h.url, headers: Record<string, string> = {}) => {
  const res = await fetch(`${url}/metrics`, { headers });
  return { res, text: await res.text() };
};

describe('/metrics', () => {
  it('counts the traffic sent through every front door, in a text Prometheus reads', async () => {
    const chat = (model: string, content = 'hi', stream = false) => h.openai.chat.completions.create({ model, stream, messages: [{ role: 'user', content }] } as never);
    await chat('default');
    await chat('default', 'again');
    for await (const _ of await chat('default', 'streamed', true) as unknown as AsyncIterable<unknown>);
    const viaOllama = new Ollama({ host: h.url });
    await viaOllama.chat({ model: 'default', messages: [{ role: 'user', content: 'from ollama' }] });
    // The local model fails: the cloud answers, once as a fallback.
    await ollama.setMode({ kind: 'status', status: 500 });
    try {
      await chat('default', 'falls back');
    } finally {
      await ollama.setMode({ kind: 'healthy' });
    }
    await chat('cached', 'same question');
    await chat('cached', 'same question');
    // A model nobody configured: counted, but its name is no label.
    await expect(chat('made-up-model-\u202e"{}')).rejects.toMatchObject({ status: 404 });
    // One request with a client key: counted under the key's name.
    const { key } = h.gateway.keys.create('ci-runner');
    await new OpenAI({ baseURL: h.baseUrl, apiKey: key, maxRetries: 0 }).chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'with a key' }] });

    const { res, text } = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const m = parseMetrics(text);
    expect(m.types.get('switchyard_requests_total')).toBe('COUNTER');
    expect(m.value('switchyard_requests_total', { api: 'openai', route: 'default', deployment: 'llama', status: '200' })).toBe(4);
    expect(m.value('switchyard_client_requests_total', { key: 'ci-runner' })).toBe(1);
    expect(m.value('switchyard_client_requests_total', { key: 'anonymous' })).toBe(8);
    expect(m.value('switchyard_tool_requests_total', { tool: 'OpenAI SDK (JS)' })).toBe(8);
    expect(m.value('switchyard_tool_requests_total', { tool: 'Ollama SDK (JS)' })).toBe(1);
    expect(m.value('switchyard_tool_cost_usd_total', { tool: 'OpenAI SDK (JS)' })).toBeGreaterThan(0);
    expect(m.value('switchyard_requests_total', { api: 'ollama', route: 'default', deployment: 'llama', status: '200' })).toBe(1);
    expect(m.value('switchyard_requests_total', { api: 'openai', route: 'default', deployment: 'mini', status: '200' })).toBe(1);
    expect(m.value('switchyard_requests_total', { api: 'openai', route: 'cached', deployment: 'mini', status: '200' })).toBe(2);
    expect(m.value('switchyard_requests_total', { api: 'openai', route: '', deployment: '', status: '404' })).toBe(1);
    expect(text).not.toContain('made-up-model');
    expect(m.value('switchyard_fallbacks_total', { route: 'default', deployment: 'mini' })).toBe(1);
    expect(m.value('switchyard_attempt_failures_total', { deployment: 'llama', provider: 'local', class: 'upstream_5xx' })).toBe(1);
    expect(m.value('switchyard_cache_hits_total', { route: 'cached' })).toBe(1);

    // Tokens and cost add up to the usage log's rows.
    const rows = (await (await h.admin('/admin/api/usage?limit=100')).json()) as { rows: { deployment: string | null; inputTokens: number | null; outputTokens: number | null; cost: number }[] };
    const sum = (deployment: string, pick: (r: (typeof rows.rows)[number]) => number | null) => rows.rows.filter((r) => r.deployment === deployment).reduce((a, r) => a + (pick(r) ?? 0), 0);
    for (const deployment of ['llama', 'mini']) {
      const provider = deployment === 'llama' ? 'local' : 'cloud';
      expect(m.value('switchyard_tokens_total', { deployment, provider, type: 'input' })).toBe(sum(deployment, (r) => r.inputTokens));
      expect(m.value('switchyard_tokens_total', { deployment, provider, type: 'output' })).toBe(sum(deployment, (r) => r.outputTokens));
    }
    expect(m.value('switchyard_cost_usd_total', { deployment: 'mini', provider: 'cloud' })).toBeCloseTo(sum('mini', (r) => r.cost), 9);
    expect(m.value('switchyard_client_cost_usd_total', { key: 'anonymous' })).toBeCloseTo(sum('mini', (r) => r.cost), 9);
    expect(sum('mini', (r) => r.cost)).toBeGreaterThan(0);

    // Every request is in the duration histogram, its buckets cumulative; the one stream in the first-byte one.
    expect(m.types.get('switchyard_request_duration_seconds')).toBe('HISTOGRAM');
    const openaiDefault = { api: 'openai', route: 'default' };
    expect(m.value('switchyard_request_duration_seconds_count', openaiDefault)).toBe(5);
    expect(m.value('switchyard_request_duration_seconds_bucket', { ...openaiDefault, le: '+Inf' })).toBe(5);
    expect(m.value('switchyard_request_duration_seconds_sum', openaiDefault)).toBeGreaterThan(0);
    const buckets = m.series('switchyard_request_duration_seconds_bucket').filter((s) => s.labels.api === 'openai' && s.labels.route === 'default');
    expect(buckets.map((s) => s.labels.le)).toEqual(['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '30', '60', '120', '300', '+Inf']);
    const counts = buckets.map((s) => s.value);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(m.series('switchyard_time_to_first_byte_seconds_count').map((s) => [s.labels.route, s.value])).toEqual([['default', 1]]);
  });

  it('counts each tool the gateway knows by name, a subagent under its tool, and any other as "other"', async () => {
    const before = parseMetrics((await scrape()).text);
    const send = (headers: Record<string, string>) => fetch(`${h.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'from a tool' }] }) });
    expect((await send({ 'user-agent': 'codex_cli_rs/0.98.0', 'x-openai-subagent': 'review' })).status).toBe(200);
    expect((await send({ 'user-agent': 'claude-cli/2.1.3 (external, cli)' })).status).toBe(200);
    expect((await send({ 'user-agent': 'made-up-tool/1.0' })).status).toBe(200);
    const { text } = await scrape();
    const after = parseMetrics(text);
    const added = (tool: string) => (after.value('switchyard_tool_requests_total', { tool }) ?? 0) - (before.value('switchyard_tool_requests_total', { tool }) ?? 0);
    expect([added('Codex'), added('Claude Code'), added('other')]).toEqual([1, 1, 1]);
    expect(text).not.toContain('made-up-tool');
    expect(text).not.toContain('review');
  });

  it('says what /health says: providers up, breakers, models in memory, budgets', async () => {
    // The local Ollama failed last in the test before; a probe finds it up again.
    await h.gateway.health.probeAll();
    const m = parseMetrics((await scrape()).text);
    const report = (await (await fetch(`${h.url}/health`)).json()) as { version: string; budgets: { spentUsd: number }[] };
    expect(m.value('switchyard_info', { version: report.version })).toBe(1);
    expect(m.value('switchyard_store_ok')).toBe(1);
    expect(m.value('switchyard_provider_up', { provider: 'local', kind: 'ollama' })).toBe(1);
    expect(m.value('switchyard_deployment_breaker_state', { deployment: 'llama', state: 'closed' })).toBe(1);
    expect(m.value('switchyard_deployment_breaker_state', { deployment: 'llama', state: 'open' })).toBe(0);
    expect(m.value('switchyard_deployment_model_loaded', { deployment: 'llama' })).toBe(1);
    // A cloud model has nothing to load: no series, rather than a 0.
    expect(m.series('switchyard_deployment_model_loaded').map((s) => s.labels.deployment)).toEqual(['llama']);
    expect(m.value('switchyard_budget_limit_usd', { budget: 'daily' })).toBe(50);
    expect(m.value('switchyard_budget_spent_usd', { budget: 'daily' })).toBeCloseTo(report.budgets[0]!.spentUsd, 9);
    expect(m.value('switchyard_start_time_seconds')).toBeLessThanOrEqual(Date.now() / 1000);
  });

  it("describes the process under Prometheus's usual names, and an event loop held up shows in the next scrape", async () => {
    const first = parseMetrics((await scrape()).text);
    // Node's monitor measures from its first tick after a scrape's reset, so the stall starts after one.
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The gateway runs in this process: holding its thread (for 150 ms of CPU, however loaded the machine) holds the gateway's event loop.
    const start = process.cpuUsage();
    while (process.cpuUsage(start).user < 150_000);
    const m = parseMetrics((await scrape()).text);
    expect(m.types.get('process_cpu_seconds_total')).toBe('COUNTER');
    expect(m.value('process_cpu_seconds_total')).toBeGreaterThanOrEqual(first.value('process_cpu_seconds_total') + 0.1);
    expect(m.value('process_cpu_seconds_total')).toBeCloseTo(m.value('process_cpu_user_seconds_total') + m.value('process_cpu_system_seconds_total'), 9);
    expect(m.value('process_start_time_seconds')).toBe(m.value('switchyard_start_time_seconds'));
    expect(m.value('process_resident_memory_bytes')).toBeGreaterThan(m.value('nodejs_heap_size_used_bytes'));
    expect(m.value('nodejs_heap_size_total_bytes')).toBeGreaterThanOrEqual(m.value('nodejs_heap_size_used_bytes'));
    expect(m.value('process_open_fds')).toBeGreaterThan(0);
    expect(m.value('process_open_fds')).toBeLessThan(m.value('process_max_fds'));
    expect(m.value('nodejs_eventloop_lag_max_seconds')).toBeGreaterThanOrEqual(0.1);
    expect(m.value('nodejs_eventloop_lag_p50_seconds')).toBeLessThanOrEqual(m.value('nodejs_eventloop_lag_p99_seconds'));
    expect(m.value('nodejs_version_info', { version: process.version })).toBe(1);
    // Each scrape reads the delays since the one before: the stall is gone from the next.
    expect(parseMetrics((await scrape()).text).value('nodejs_eventloop_lag_max_seconds')).toBeLessThan(m.value('nodejs_eventloop_lag_max_seconds'));
  });

  it('needs a client key beyond loopback, as the full health report does, and answers in the API\'s error shape', async () => {
    const exposed = await startGateway(config(), { host: '0.0.0.0' });
    try {
      const url = `http://127.0.0.1:${exposed.port}`;
      const refused = await scrape(url);
      expect(refused.res.status).toBe(401);
      expect(JSON.parse(refused.text)).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_api_key', message: expect.stringContaining('need a client key') } });
      const { key } = exposed.gateway.keys.create('prometheus');
      const allowed = await scrape(url, { authorization: `Bearer ${key}` });
      expect(allowed.res.status).toBe(200);
      expect(parseMetrics(allowed.text).types.get('switchyard_requests_total')).toBe('COUNTER');
    } finally {
      await exposed.stop();
    }
  });
});
