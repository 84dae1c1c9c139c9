/**
 * Routing that knows why, through the real gateway and wire-format fakes: failure classes and their
 * effect on fallback and the breaker (each provider kind's own error bodies), deployments skipped
 * before any attempt with a reason, context windows (and numCtx "auto"), budgets on a fixed clock,
 * aliases and rules, strategies with injected latency and randomness, and the decision trace every
 * request leaves in its header and usage row. The last test checks every skip reason and failure
 * class was produced by one of these.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAILURE_CLASSES } from '../../gateway/errors';
import { SKIP_REASONS } from '../../gateway/routing/plan';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import type { FailureMode, FakeServer } from '../support/fake-server';
import { resetBetweenTests, startGateway, stopAll, tempDir, type Harness } from '../support/harness';

let ollama: FakeServer;
let openai: FakeServer;
let anthropic: FakeServer;
let h: Harness;
/** What the Ollama fake has installed; tests add to it as `ollama pull` would. */
const installed = ['llama3.2:3b', 'llava:7b', 'nomic-embed-text'];
/** The gateway's clock: fixed where a test sets it (budgets), real time otherwise (latency). */
let clock: number | undefined;
let randomValues: number[] = [];
/** Every skip reason and failure class a header showed, for the last test. */
const seen = new Set<string>();

type Extra = { providers?: object[]; deployments?: object[]; routes?: object[]; aliases?: Record<string, string>; budgets?: object[]; settings?: object };
const base = () => ({
  providers: [
    { name: 'local', kind: 'ollama', baseUrl: ollama.url },
    // The fakes listen on loopback; these stand for cloud providers.
    { name: 'cloud', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY', local: false },
    { name: 'claude', kind: 'anthropic', baseUrl: anthropic.url, apiKey: 'env:TEST_KEY', local: false },
    { name: 'nokey', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:SWITCHYARD_TEST_UNSET_KEY', local: false },
  ],
  deployments: [
    { name: 'llama', provider: 'local', model: 'llama3.2:3b' },
    { name: 'llava', provider: 'local', model: 'llava:7b' },
    { name: 'qwen', provider: 'local', model: 'qwen3:8b' },
    { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini', pricing: { inputPerMTok: 400, outputPerMTok: 1000 } },
    { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5' },
    { name: 'keyless', provider: 'nokey', model: 'gpt-4o' },
  ],
});
function config(extra: Extra = {}) {
  const b = base();
  return {
    version: 1,
    providers: [...b.providers, ...(extra.providers ?? [])],
    deployments: [...b.deployments.filter((d) => !(extra.deployments ?? []).some((e) => (e as { name: string }).name === d.name)), ...(extra.deployments ?? [])],
    routes: extra.routes ?? [{ name: 'default', deployments: ['llama', 'mini'] }],
    ...(extra.aliases ? { aliases: extra.aliases } : {}),
    ...(extra.budgets ? { budgets: extra.budgets } : {}),
    ...(extra.settings ? { settings: extra.settings } : {}),
  };
}
const apply = (extra: Extra) => {
  const result = h.gateway.applyConfig(config(extra), 'test');
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
};

beforeAll(async () => {
  [ollama, openai, anthropic] = await Promise.all([startFakeOllama({ models: installed }), startFakeOpenAI(), startFakeAnthropic()]);
  h = await startGateway(config(), {
    now: () => clock ?? Date.now(),
    random: () => randomValues.shift() ?? 0.5,
    timeZone: 'America/New_York',
  });
});
afterAll(() => stopAll(h, ollama, openai, anthropic));
beforeEach(async () => {
  randomValues = [];
  clock = undefined;
  await resetBetweenTests(h, [ollama, openai, anthropic], config());
  h.gateway.setLocalOnly(false);
});

interface Answer {
  status: number;
  route: string;
  body: any;
  headers: Headers;
}

async function chat(model: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${h.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hello' }], ...extra }),
  });
  const route = res.headers.get('x-switchyard-route') ?? '';
  for (const [, kind, reason] of route.matchAll(/:(skip|fail)\(([^)]+)\)/g)) seen.add(`${kind}:${(reason as string).replaceAll('-', '_')}`);
  return { status: res.status, route, body: await res.json(), headers: res.headers };
}

describe('failure classes', () => {
  const openaiError = (message: string, type: string, code: string | null) => ({ error: { message, type, param: null, code } });
  const anthropicError = (type: string, message: string) => ({ type: 'error', error: { type, message } });
  /** [what, first deployment, its fake, mode, class, moves on, breaker effect] */
  const cases: [string, string, () => FakeServer, FailureMode, string, boolean, 'blocked' | 'counted' | 'not counted' | 'cooled' | 'healthy'][] = [
    ['OpenAI: a revoked key', 'mini', () => openai, { kind: 'status', status: 401, body: openaiError('Incorrect API key provided: sk-...1234.', 'invalid_request_error', 'invalid_api_key') }, 'auth', true, 'blocked'],
    ['OpenAI: no access to the project', 'mini', () => openai, { kind: 'status', status: 403, body: openaiError('Project proj_x does not have access to model gpt-4.1-mini', 'invalid_request_error', 'model_not_found') }, 'auth', true, 'blocked'],
    ['OpenAI: a model the provider does not have', 'mini', () => openai, { kind: 'status', status: 404, body: openaiError('The model `gpt-mini` does not exist or you do not have access to it.', 'invalid_request_error', 'model_not_found') }, 'model_missing', true, 'blocked'],
    ['OpenAI: credits run out', 'mini', () => openai, { kind: 'status', status: 429, body: openaiError('You exceeded your current quota, please check your plan and billing details.', 'insufficient_quota', 'insufficient_quota') }, 'quota', true, 'blocked'],
    ['OpenAI: payment required', 'mini', () => openai, { kind: 'status', status: 402, body: openaiError('Payment required', 'invalid_request_error', null) }, 'quota', true, 'blocked'],
    ['OpenAI: a rate limit that mentions billing', 'mini', () => openai, { kind: 'status', status: 429, body: openaiError('Rate limit reached for gpt-4.1-mini on requests per min (RPM): Limit 3. Add a payment method at https://platform.openai.com/account/billing to increase it.', 'requests', 'rate_limit_exceeded') }, 'rate_limited', true, 'cooled'],
    ['OpenAI: the prompt is too long', 'mini', () => openai, { kind: 'status', status: 400, body: openaiError("This model's maximum context length is 128000 tokens. However, your messages resulted in 130512 tokens.", 'invalid_request_error', 'context_length_exceeded') }, 'context_length', true, 'not counted'],
    ['OpenAI: an answer limit over what the model writes', 'mini', () => openai, { kind: 'status', status: 400, body: openaiError('max_tokens is too large: 32000. This model supports at most 16384 completion tokens, whereas you provided 32000.', 'invalid_request_error', 'invalid_value') }, 'context_length', true, 'not counted'],
    ['DeepSeek: an answer limit out of range', 'mini', () => openai, { kind: 'status', status: 400, body: openaiError('Invalid max_tokens value, the valid range of max_tokens is [1, 8192]', 'invalid_request_error', 'invalid_request_error') }, 'context_length', true, 'not counted'],
    ['OpenAI: a bad parameter', 'mini', () => openai, { kind: 'status', status: 400, body: openaiError("Invalid value for 'temperature': must be at most 2.", 'invalid_request_error', 'invalid_value') }, 'upstream_4xx', false, 'healthy'],
    ['OpenAI: a server error', 'mini', () => openai, { kind: 'status', status: 500, body: openaiError('The server had an error while processing your request.', 'server_error', null) }, 'upstream_5xx', true, 'counted'],
    ['Anthropic: an invalid key', 'sonnet', () => anthropic, { kind: 'status', status: 401, body: anthropicError('authentication_error', 'invalid x-api-key') }, 'auth', true, 'blocked'],
    ['Anthropic: no permission', 'sonnet', () => anthropic, { kind: 'status', status: 403, body: anthropicError('permission_error', 'Your API key does not have permission to use the specified resource.') }, 'auth', true, 'blocked'],
    ['Anthropic: an unknown model', 'sonnet', () => anthropic, { kind: 'status', status: 404, body: anthropicError('not_found_error', 'model: claude-sonnet-4-5') }, 'model_missing', true, 'blocked'],
    ['Anthropic: a prompt too long', 'sonnet', () => anthropic, { kind: 'status', status: 400, body: anthropicError('invalid_request_error', 'prompt is too long: 250000 tokens > 200000 maximum') }, 'context_length', true, 'not counted'],
    ['Anthropic: an answer limit over what the model writes', 'sonnet', () => anthropic, { kind: 'status', status: 400, body: anthropicError('invalid_request_error', 'max_tokens: 64000 > 32000, which is the maximum allowed number of output tokens for claude-opus-4-1-20250805') }, 'context_length', true, 'not counted'],
    ['Anthropic: credit too low', 'sonnet', () => anthropic, { kind: 'status', status: 400, body: anthropicError('invalid_request_error', 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.') }, 'quota', true, 'blocked'],
    ['Anthropic: a bad field', 'sonnet', () => anthropic, { kind: 'status', status: 400, body: anthropicError('invalid_request_error', 'max_tokens: Field required') }, 'upstream_4xx', false, 'healthy'],
    ['Anthropic: overloaded', 'sonnet', () => anthropic, { kind: 'status', status: 529, body: anthropicError('overloaded_error', 'Overloaded') }, 'upstream_5xx', true, 'counted'],
    ['Ollama: a model never pulled', 'llama', () => ollama, { kind: 'status', status: 404, body: { error: 'model "llama3.2:3b" not found, try pulling it first' } }, 'model_missing', true, 'blocked'],
    ['llama.cpp / Ollama: the context is full', 'llama', () => ollama, { kind: 'status', status: 400, body: { error: 'the request exceeds the available context size, try increasing it' } }, 'context_length', true, 'not counted'],
    ['Ollama: a model without tool support', 'llama', () => ollama, { kind: 'status', status: 400, body: { error: 'registry.ollama.ai/library/llama3.2:3b does not support tools' } }, 'unsupported', true, 'not counted'],
    ['Ollama: a model that does not think', 'llama', () => ollama, { kind: 'status', status: 400, body: { error: '"llama3.2:3b" does not support thinking' } }, 'unsupported', true, 'not counted'],
    ['OpenAI: a model another of its APIs serves (404)', 'mini', () => openai, { kind: 'status', status: 404, body: openaiError('This is not a chat model and thus not supported in the v1/chat/completions endpoint. Did you mean to use v1/completions?', 'invalid_request_error', null) }, 'unsupported', true, 'not counted'],
    ['OpenAI-compatible: tools the model does not take', 'mini', () => openai, { kind: 'status', status: 400, body: openaiError('tools are not supported by this model', 'invalid_request_error', null) }, 'unsupported', true, 'not counted'],
    ['OpenAI: more tools than it takes (MCP servers beyond 128)', 'mini', () => openai, { kind: 'status', status: 400, body: openaiError("Invalid 'tools': array too long. Expected an array with maximum length 128, but got an array with length 153 instead.", 'invalid_request_error', 'array_above_max_length') }, 'unsupported', true, 'not counted'],
    ['Ollama: a bad option', 'llama', () => ollama, { kind: 'status', status: 400, body: { error: 'json: cannot unmarshal string into Go struct field Options.num_ctx of type int' } }, 'upstream_4xx', false, 'healthy'],
  ];

  for (const [what, first, fake, mode, failure, movesOn, effect] of cases) {
    it(`${what}: ${failure}, ${movesOn ? 'moves on' : 'goes back to the client'}, breaker ${effect}`, async () => {
      const backup = first === 'llama' ? 'mini' : 'llama';
      apply({ routes: [{ name: 'table', deployments: [first, backup] }] });
      await fake().setMode(mode);
      const answer = await chat('table');
      if (movesOn) {
        expect(answer.status).toBe(200);
        expect(answer.route).toBe(`${first}:fail(${failure.replaceAll('_', '-')}) ${backup}:ok`);
      } else {
        expect(answer.status).toBe((mode as { status: number }).status);
        expect(answer.route).toBe(`${first}:fail(upstream-4xx)`);
      }
      const breaker = h.gateway.breakers.snapshot(first);
      if (effect === 'blocked') {
        expect(breaker).toMatchObject({ state: 'open', blockedBy: failure });
        const skipped = { auth: 'auth-failed', model_missing: 'model-missing', quota: 'quota-exhausted' }[failure];
        expect((await chat('table')).route).toBe(`${first}:skip(${skipped}) ${backup}:ok`);
      } else if (effect === 'counted') {
        expect(breaker).toMatchObject({ state: 'closed', consecutiveFailures: 1 });
      } else if (effect === 'cooled') {
        expect(breaker.coolingUntil).not.toBeNull();
        expect((await chat('table')).route).toBe(`${first}:skip(cooling) ${backup}:ok`);
      } else {
        expect(breaker).toMatchObject({ state: 'closed', consecutiveFailures: 0, blockedBy: null });
      }
    });
  }

  it('a block is lifted by a manual reset, and a missing model is unblocked when the health probe finds it installed', async () => {
    apply({ routes: [{ name: 'table', deployments: ['qwen', 'mini'] }] });
    // qwen3:8b is not installed: Ollama answers 404, the deployment is blocked.
    expect((await chat('table')).route).toBe('qwen:fail(model-missing) mini:ok');
    expect((await chat('table')).route).toBe('qwen:skip(model-missing) mini:ok');
    installed.push('qwen3:8b');
    await h.gateway.health.probeAll();
    expect(h.gateway.breakers.snapshot('qwen').blockedBy).toBeNull();
    expect((await chat('table')).route).toBe('qwen:ok');
    installed.pop();

    await openai.setMode({ kind: 'status', status: 401 });
    apply({ routes: [{ name: 'table', deployments: ['mini', 'llama'] }] });
    await chat('table');
    expect(h.gateway.breakers.snapshot('mini').blockedBy).toBe('auth');
    await h.admin('/admin/api/breakers/mini/reset', { method: 'POST' });
    expect(h.gateway.breakers.snapshot('mini')).toMatchObject({ state: 'closed', blockedBy: null });
  });

  it('answers 400 context_length_exceeded when every deployment says the prompt is too long', async () => {
    apply({ routes: [{ name: 'table', deployments: ['mini', 'sonnet'] }] });
    await openai.setMode({ kind: 'status', status: 400, body: openaiError('maximum context length is 128000 tokens', 'invalid_request_error', 'context_length_exceeded') });
    await anthropic.setMode({ kind: 'status', status: 400, body: anthropicError('invalid_request_error', 'prompt is too long: 250000 tokens > 200000 maximum') });
    const answer = await chat('table');
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'context_length_exceeded', type: 'invalid_request_error' });
  });
});

describe('skipped before any attempt', () => {
  it('says why for a disabled deployment, a time window, local only, a missing key, a model not installed and a missing capability', async () => {
    apply({
      deployments: [
        { name: 'off', provider: 'local', model: 'llama3.2:3b', enabled: false },
        { name: 'nights', provider: 'local', model: 'llama3.2:3b', timeWindows: [{ start: '00:00', end: '00:00' }] },
      ],
      routes: [{ name: 'many', deployments: ['off', 'nights', 'keyless', 'qwen', 'mini', 'llama'] }],
    });
    await h.gateway.health.probeAll();
    expect((await chat('many')).route).toBe('off:skip(disabled) nights:skip(time-window) keyless:skip(key-missing) qwen:skip(model-missing) mini:ok');
    h.gateway.setLocalOnly(true);
    expect((await chat('many')).route).toBe('off:skip(disabled) nights:skip(time-window) keyless:skip(local-only) qwen:skip(model-missing) mini:skip(local-only) llama:ok');
    h.gateway.setLocalOnly(false);

    // The probe learned that llama3.2 has no vision: an image goes to a model that has.
    apply({ routes: [{ name: 'eyes', deployments: ['llama', 'llava'] }] });
    const image = { role: 'user', content: [{ type: 'text', text: 'what is it' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] };
    expect((await chat('eyes', { messages: [image] })).route).toBe('llama:skip(capability-missing) llava:ok');
  });

  it('says when the circuit is open, a probe is out, or the provider is busy', async () => {
    apply({ deployments: [{ name: 'llama', provider: 'local', model: 'llama3.2:3b', breaker: { failures: 1, cooldownMs: 50, probeBudgetMs: 2_000 } }] });
    await ollama.setMode({ kind: 'status', status: 500 });
    expect((await chat('default')).route).toBe('llama:fail(upstream-5xx) mini:ok');
    expect((await chat('default')).route).toMatch(/^llama:skip\(circuit-open\) mini:ok$/);
    await new Promise((r) => setTimeout(r, 100));
    await ollama.setMode({ kind: 'slow-first-byte', delayMs: 300 });
    const probe = chat('default');
    await new Promise((r) => setTimeout(r, 80));
    expect((await chat('default')).route).toBe('llama:skip(probe-in-flight) mini:ok');
    expect((await probe).route).toBe('llama:ok');

    h.gateway.applyConfig(config({ providers: [], routes: [{ name: 'default', deployments: ['llama', 'mini'] }] }), 'test');
    const c = config();
    (c.providers[0] as Record<string, unknown>).maxConcurrent = 1;
    (c.providers[0] as Record<string, unknown>).queue = { max: 0 };
    h.gateway.applyConfig(c, 'test');
    const slow = chat('default');
    await new Promise((r) => setTimeout(r, 80));
    expect((await chat('default')).route).toBe('llama:skip(busy) mini:ok');
    await slow;
  });
});

describe('context windows', () => {
  const long = 'lorem ipsum dolor sit amet '.repeat(8_000); // about 40k tokens

  it('sends a 40k-token request past a 4k-context Ollama to a 128k cloud model without touching Ollama', async () => {
    apply({ deployments: [{ name: 'llama', provider: 'local', model: 'llama3.2:3b', options: { num_ctx: 4096 } }] });
    const answer = await chat('default', { messages: [{ role: 'user', content: long }] });
    expect(answer.route).toBe('llama:skip(context-too-small) mini:ok');
    expect(ollama.requests.filter((r) => r.path === '/api/chat')).toHaveLength(0);
  });

  it('with numCtx "auto" raises num_ctx for that request up to the cap, so nothing is cut', async () => {
    apply({ deployments: [{ name: 'llama', provider: 'local', model: 'llama3.2:3b', numCtx: 'auto', maxNumCtx: 65_536 }] });
    const answer = await chat('default', { messages: [{ role: 'user', content: long }] });
    expect(answer.route).toBe('llama:ok');
    const sent = ollama.requests.find((r) => r.path === '/api/chat')?.body;
    expect(sent.options.num_ctx).toBeGreaterThanOrEqual(40_000);
    expect(sent.options.num_ctx).toBeLessThanOrEqual(65_536);
    // A short request right after keeps the window the model now runs with: another would reload it.
    await chat('default');
    expect(ollama.requests.at(-1)?.body.options.num_ctx).toBe(sent.options.num_ctx);
  });

  it('keeps answering /health while a 1 MiB prompt without spaces is checked against a window', async () => {
    apply({ deployments: [{ name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini', contextWindow: 600_000 }], routes: [{ name: 'big', deployments: ['mini'] }] });
    const big = chat('big', { messages: [{ role: 'user', content: 'ACGT'.repeat(256 * 1024) }] });
    // Timing belongs to the bench (npm run bench reports the worst /health wait); here: it answered.
    expect((await fetch(`${h.url}/health`)).status).toBe(200);
    expect((await big).route).toBe('mini:ok');
  });

  it('gives a long prompt asking for a long answer to an Ollama window with room for part of it, the answer capped at that room', async () => {
    apply({ deployments: [{ name: 'llama', provider: 'local', model: 'llama3.2:3b', numCtx: 'auto', maxNumCtx: 32_768 }] });
    // About 10k tokens, and Claude Code's 32,000 out: more than the window, but the prompt fits with room to answer.
    const answer = await chat('default', { max_tokens: 32_000, messages: [{ role: 'user', content: 'lorem ipsum dolor sit amet '.repeat(2_000) }] });
    expect(answer.route).toBe('llama:ok');
    const sent = ollama.requests.find((r) => r.path === '/api/chat')?.body;
    expect(sent.options.num_ctx).toBe(32_768);
    expect(sent.options.num_predict).toBeGreaterThanOrEqual(4_096);
    expect(sent.options.num_predict).toBeLessThanOrEqual(32_768 - 10_000);
    // An Ollama client's num_predict is capped the same way.
    const native = await fetch(`${h.url}/api/chat`, { method: 'POST', body: JSON.stringify({ model: 'default', stream: false, options: { num_predict: 32_000 }, messages: [{ role: 'user', content: 'lorem ipsum dolor sit amet '.repeat(2_000) }] }) });
    expect(native.status).toBe(200);
    expect(ollama.requests.at(-1)?.body.options).toMatchObject({ num_ctx: 32_768, num_predict: sent.options.num_predict });
    // About 25k tokens leave too little room for an answer: the cloud model takes it whole.
    const longer = await chat('default', { max_tokens: 32_000, messages: [{ role: 'user', content: 'lorem ipsum dolor sit amet '.repeat(5_000) }] });
    expect(longer.route).toBe('llama:skip(context-too-small) mini:ok');
  });

  it('answers 400 context_length_exceeded naming the largest window when nothing fits', async () => {
    apply({
      deployments: [
        { name: 'llama', provider: 'local', model: 'llama3.2:3b', options: { num_ctx: 4096 } },
        { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini', contextWindow: 16_000 },
      ],
    });
    const answer = await chat('default', { messages: [{ role: 'user', content: long }] });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'context_length_exceeded', largest_context_window: 16_000 });
    expect(answer.body.error.message).toContain('16000 tokens');
    expect(openai.requests).toHaveLength(0);
  });
});

describe('budgets', () => {
  const budgetConfig = (extra: object = {}): Extra => ({
    routes: [{ name: 'cloud-first', deployments: ['mini', 'llama'] }],
    budgets: [{ name: 'daily', scope: 'global', period: 'day', limitUsd: 0.01, timeZone: 'America/New_York', ...extra }],
  });

  it('switches every front door to local once spend crosses the limit, says what remains, and resets at midnight in its zone', async () => {
    // A day of its own: other tests' answers (at the real time) are outside its period.
    clock = Date.parse('2026-12-10T15:00:00Z'); // 10:00 in New York
    apply(budgetConfig());
    // Each cloud answer costs (12 x 400 + 2 x 1000) / 1e6 = $0.0068.
    const first = await chat('cloud-first');
    expect(first.route).toBe('mini:ok');
    expect(first.headers.get('x-switchyard-budget')).toBe('daily=0.0100');
    expect((await chat('cloud-first')).route).toBe('mini:ok');
    const over = await chat('cloud-first');
    expect(over.route).toBe('mini:skip(over-budget) llama:ok');
    expect(over.headers.get('x-switchyard-budget')).toBe('daily=0.0000');

    const claude = new Anthropic({ baseURL: h.url, apiKey: 'k', maxRetries: 0 });
    const viaMessages = await claude.messages.create({ model: 'cloud-first', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(viaMessages.response.headers.get('x-switchyard-route')).toBe('mini:skip(over-budget) llama:ok');
    const viaResponses = await h.openai.responses.create({ model: 'cloud-first', input: 'hi' }).withResponse();
    expect(viaResponses.response.headers.get('x-switchyard-route')).toBe('mini:skip(over-budget) llama:ok');
    const viaOllama = await fetch(`${h.url}/api/chat`, { method: 'POST', body: JSON.stringify({ model: 'cloud-first', messages: [{ role: 'user', content: 'hi' }], stream: false }) });
    expect(viaOllama.headers.get('x-switchyard-route')).toBe('mini:skip(over-budget) llama:ok');

    const budgets = await h.admin('/admin/api/budgets').then((r) => r.json());
    expect(budgets.budgets[0]).toMatchObject({ name: 'daily', limitUsd: 0.01, exceeded: true, resetsAt: '2026-12-11T05:00:00.000Z', periodStart: '2026-12-10T05:00:00.000Z' });
    expect(budgets.budgets[0].spentUsd).toBeCloseTo(0.0136, 6);
    const health = await fetch(`${h.url}/health`).then((r) => r.json());
    expect(health.budgets[0]).toMatchObject({ name: 'daily', exceeded: true });
    expect(health.deployments.find((d: { name: string }) => d.name === 'mini').overBudget).toBe(true);

    clock = Date.parse('2026-12-11T04:59:00Z'); // 23:59 in New York: still the same day
    expect((await chat('cloud-first')).route).toBe('mini:skip(over-budget) llama:ok');
    clock = Date.parse('2026-12-11T05:00:00Z'); // midnight in New York
    expect((await chat('cloud-first')).route).toBe('mini:ok');
  });

  it('counts spend from the usage log when the gateway starts again', async () => {
    clock = Date.parse('2026-11-30T15:00:00Z');
    const dir = tempDir();
    const c = config(budgetConfig());
    const first = await startGateway(c, { dataDir: dir.path, now: () => clock as number, timeZone: 'America/New_York' });
    try {
      for (let i = 0; i < 2; i++) await first.openai.chat.completions.create({ model: 'cloud-first', messages: [{ role: 'user', content: 'hello' }] });
    } finally {
      await first.gateway.stop();
    }
    const again = await startGateway(c, { dataDir: dir.path, now: () => clock as number, timeZone: 'America/New_York' });
    try {
      expect(again.gateway.budgets.status()[0]?.spentUsd).toBeCloseTo(0.0136, 6);
      const answer = await again.openai.chat.completions.create({ model: 'cloud-first', messages: [{ role: 'user', content: 'hello' }] }).withResponse();
      expect(answer.response.headers.get('x-switchyard-deployment')).toBe('llama');
    } finally {
      await again.gateway.stop();
      dir.remove();
    }
  });

  it('refuses with 429 until the period resets when the budget says refuse', async () => {
    clock = Date.parse('2026-12-20T15:00:00Z');
    apply(budgetConfig({ onExceeded: 'refuse', limitUsd: 0.005 }));
    expect((await chat('cloud-first')).status).toBe(200);
    const refused = await chat('cloud-first');
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'budget_exceeded', budget: 'daily' });
    expect(Number(refused.headers.get('retry-after'))).toBe(14 * 3600);
  });
});

describe('aliases and rules', () => {
  it('resolves a glob alias to its route, lets exact names win, and lists concrete aliases', async () => {
    apply({
      routes: [
        { name: 'coder', deployments: ['llava', 'mini'] },
        { name: 'claude-special', deployments: ['mini'] },
        { name: 'default', deployments: ['llama', 'mini'] },
      ],
      aliases: { 'claude-*': 'coder', 'gpt-4o': 'default', 'claude-local': 'default' },
    });
    const aliased = await chat('claude-sonnet-4-5');
    expect(aliased.route).toBe('llava:ok');
    expect(h.gateway.usage.row(aliased.headers.get('x-request-id') as string)).toMatchObject({ route: 'coder', decision: { route: 'coder', alias: 'claude-*' } });
    expect((await chat('claude-special')).route).toBe('mini:ok');
    expect((await chat('gpt-4o')).route).toBe('llama:ok');
    const models = (await h.openai.models.list()).data.map((m) => m.id);
    expect(models).toContain('gpt-4o');
    expect(models).not.toContain('claude-*');
    const tags = await fetch(`${h.url}/api/tags`).then((r) => r.json());
    expect(tags.models.map((m: { name: string }) => m.name)).toContain('gpt-4o');
    // Claude Code's discovery keeps only ids starting "claude": an alias puts a local route there.
    const discovered = await fetch(`${h.baseUrl}/models?limit=1000`, { headers: { 'anthropic-version': '2023-06-01' } }).then((r) => r.json());
    expect(discovered.data.filter((m: { id: string }) => m.id.startsWith('claude'))).toEqual([expect.objectContaining({ type: 'model', id: 'claude-special' }), expect.objectContaining({ type: 'model', id: 'claude-local', display_name: 'claude-local (alias of default)' })]);
  });

  it('sends a request to another route by its size, images, client key or reasoning, first rule first', async () => {
    apply({
      routes: [
        {
          name: 'default',
          deployments: ['llama', 'mini'],
          rules: [
            { when: { minPromptTokens: 5_000 }, use: 'long' },
            { when: { hasImages: true }, use: 'vision' },
            { when: { clientKey: 'batch-jobs' }, use: 'cheap' },
            { when: { thinking: true }, use: 'think' },
          ],
        },
        { name: 'long', deployments: ['sonnet'] },
        { name: 'vision', deployments: ['llava'] },
        { name: 'cheap', deployments: ['mini'] },
        { name: 'think', deployments: ['sonnet', 'mini'] },
      ],
    });
    expect((await chat('default')).route).toBe('llama:ok');
    const long = await chat('default', { messages: [{ role: 'user', content: 'word '.repeat(6_000) }] });
    expect(long.route).toBe('sonnet:ok');
    expect(h.gateway.usage.row(long.headers.get('x-request-id') as string)?.decision).toMatchObject({ route: 'long', rule: 'default.rules[0] -> long' });
    expect((await chat('default', { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] }] })).route).toBe('llava:ok');
    const key = h.gateway.keys.create('batch-jobs').key;
    expect((await chat('default', {}, { authorization: `Bearer ${key}` })).route).toBe('mini:ok');
    expect((await chat('default', { reasoning_effort: 'high' })).route).toBe('sonnet:ok');
  });
});

describe('strategies', () => {
  const prefer = (name: string) => ({ 'x-switchyard-prefer': name });

  it('lowest-latency routes to the faster deployment once both have enough samples, and explores now and then', async () => {
    // Deployments of their own: latency samples are per deployment and other tests' would count.
    apply({
      deployments: [
        { name: 'tortoise', provider: 'local', model: 'llama3.2:3b' },
        { name: 'hare', provider: 'cloud', model: 'gpt-4.1-mini' },
      ],
      routes: [{ name: 'fast', strategy: 'lowest-latency', deployments: ['tortoise', 'hare'] }],
    });
    await ollama.setMode({ kind: 'slow-first-byte', delayMs: 60 });
    // Until both have five answers, the config's order holds.
    expect((await chat('fast')).route).toBe('tortoise:ok');
    for (let i = 0; i < 5; i++) {
      await chat('fast', {}, prefer('tortoise'));
      await chat('fast', {}, prefer('hare'));
    }
    randomValues = [0.99];
    expect((await chat('fast')).route).toBe('hare:ok');
    // Exploration (random below 5%) puts another deployment first, so a recovered one can win back traffic.
    randomValues = [0.01, 0];
    expect((await chat('fast')).route).toBe('tortoise:ok');
  });

  it('lowest-cost tries the free local model first, then the cheapest cloud one', async () => {
    apply({
      deployments: [
        { name: 'dear', provider: 'cloud', model: 'gpt-4.1', pricing: { inputPerMTok: 10, outputPerMTok: 30 } },
        { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini', pricing: { inputPerMTok: 0.4, outputPerMTok: 1.6 } },
      ],
      routes: [{ name: 'thrifty', strategy: 'lowest-cost', deployments: ['dear', 'mini', 'llama'] }],
    });
    expect((await chat('thrifty')).route).toBe('llama:ok');
    await ollama.setMode({ kind: 'status', status: 500 });
    expect((await chat('thrifty')).route).toBe('llama:fail(upstream-5xx) mini:ok');
    expect((await chat('thrifty', {}, prefer('dear'))).route).toBe('dear:ok');
  });

  it('weighted orders by weight with the injected randomness', async () => {
    apply({ routes: [{ name: 'split', strategy: 'weighted', weights: { llama: 3, mini: 1 }, deployments: ['llama', 'mini'] }] });
    randomValues = [0.5, 0.5];
    expect((await chat('split')).route).toBe('llama:ok');
    randomValues = [0.1, 0.9];
    expect((await chat('split')).route).toBe('mini:ok');
  });
});

describe('the decision trace', () => {
  it('is kept with the usage row, returned by the admin API, and summarised in the header, for failures too', async () => {
    await ollama.setMode({ kind: 'status', status: 503 });
    await openai.setMode({ kind: 'status', status: 500 });
    const failed = await chat('default');
    expect(failed.status).toBe(503);
    expect(failed.route).toBe('llama:fail(upstream-5xx) mini:fail(upstream-5xx)');
    const detail = await h.admin(`/admin/api/usage/${failed.headers.get('x-request-id')}`).then((r) => r.json());
    expect(detail).toMatchObject({
      route: 'default',
      status: 503,
      decision: {
        route: 'default',
        strategy: 'ordered',
        steps: [
          { deployment: 'llama', outcome: 'failed', reason: 'upstream_5xx', status: 503 },
          { deployment: 'mini', outcome: 'failed', reason: 'upstream_5xx', status: 500 },
        ],
      },
    });
    expect((await h.admin('/admin/api/usage/req_nope')).status).toBe(404);
  });

  it('has shown every skip reason and every failure class but client_closed in one of these tests', () => {
    const missing = [...SKIP_REASONS.map((r) => `skip:${r}`), ...FAILURE_CLASSES.filter((f) => !['client_closed', 'connect', 'timeout', 'upstream_protocol'].includes(f)).map((f) => `fail:${f}`)].filter((r) => !seen.has(r));
    expect(missing).toEqual([]);
  });
});
