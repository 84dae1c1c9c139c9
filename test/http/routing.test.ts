/**
 * Routing that knows why, through the real gateway and wire-format fakes: failure classes and their
 * effect on fallback and the breaker (each provider kind's own error bodies), deployments skipped
 * before any attempt with a reason, and the decision trace every request leaves in its header and
 * usage row. The last test checks every skip reason and failure class was produced by one of these.
 * Context windows and budgets: routing-limits.test.ts; aliases, rules and strategies:
 * routing-choices.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { FAILURE_CLASSES } from '../../gateway/errors';
import { SKIP_REASONS } from '../../gateway/routing/plan';
import type { FailureMode, FakeServer } from '../support/fake-server';
import { parseMetrics } from '../support/prometheus-text';
import { useRoutingGateway } from '../support/routing-gateway';

const g = useRoutingGateway();

describe('failure classes', () => {
  const openaiError = (message: string, type: string, code: string | null) => ({ error: { message, type, param: null, code } });
  const anthropicError = (type: string, message: string) => ({ type: 'error', error: { type, message } });
  /** [what, first deployment, its fake, mode, class, moves on, breaker effect] */
  const cases: [string, string, () => FakeServer, FailureMode, string, boolean, 'blocked' | 'counted' | 'not counted' | 'cooled' | 'healthy'][] = [
    ['OpenAI: a revoked key', 'mini', () => g.openai, { kind: 'status', status: 401, body: openaiError('Incorrect API key provided: sk-...1234.', 'invalid_request_error', 'invalid_api_key') }, 'auth', true, 'blocked'],
    ['OpenAI: no access to the project', 'mini', () => g.openai, { kind: 'status', status: 403, body: openaiError('Project proj_x does not have access to model gpt-4.1-mini', 'invalid_request_error', 'model_not_found') }, 'auth', true, 'blocked'],
    ['OpenAI: a model the provider does not have', 'mini', () => g.openai, { kind: 'status', status: 404, body: openaiError('The model `gpt-mini` does not exist or you do not have access to it.', 'invalid_request_error', 'model_not_found') }, 'model_missing', true, 'blocked'],
    ['llama.cpp in router mode: a model it does not serve (400)', 'mini', () => g.openai, { kind: 'status', status: 400, body: { error: { code: 400, message: 'model not found', type: 'invalid_request_error' } } }, 'model_missing', true, 'blocked'],
    ['OpenAI: credits run out', 'mini', () => g.openai, { kind: 'status', status: 429, body: openaiError('You exceeded your current quota, please check your plan and billing details.', 'insufficient_quota', 'insufficient_quota') }, 'quota', true, 'blocked'],
    ['Z.ai: a coding plan\'s five hours spent', 'mini', () => g.openai, { kind: 'status', status: 429, body: { error: { code: '1308', message: 'Usage limit reached for 5 hour. Your limit will reset at 2026-12-08 03:01:25' } } }, 'quota', true, 'blocked'],
    ['OpenAI: payment required', 'mini', () => g.openai, { kind: 'status', status: 402, body: openaiError('Payment required', 'invalid_request_error', null) }, 'quota', true, 'blocked'],
    ['OpenAI: a rate limit that mentions billing', 'mini', () => g.openai, { kind: 'status', status: 429, body: openaiError('Rate limit reached for gpt-4.1-mini on requests per min (RPM): Limit 3. Add a payment method at https://platform.openai.com/account/billing to increase it.', 'requests', 'rate_limit_exceeded') }, 'rate_limited', true, 'cooled'],
    ['OpenAI: the prompt is too long', 'mini', () => g.openai, { kind: 'status', status: 400, body: openaiError("This model's maximum context length is 128000 tokens. However, your messages resulted in 130512 tokens.", 'invalid_request_error', 'context_length_exceeded') }, 'context_length', true, 'not counted'],
    ['vLLM: a prompt with images past the window', 'mini', () => g.openai, { kind: 'status', status: 400, body: { error: { message: 'The decoder prompt (length 163270) is longer than the maximum model length of 128000. Make sure that `max_model_len` is no smaller than the number of text tokens plus multimodal tokens.', type: 'BadRequestError', param: null, code: 400 } } }, 'context_length', true, 'not counted'],
    ['DashScope: a prompt past the window', 'mini', () => g.openai, { kind: 'status', status: 400, body: openaiError('<400> InternalError.Algo.InvalidParameter: Range of input length should be [1, 983616]', 'invalid_request_error', 'invalid_parameter_error') }, 'context_length', true, 'not counted'],
    ['xAI: a prompt past the window', 'mini', () => g.openai, { kind: 'status', status: 400, body: openaiError("This model's maximum prompt length is 131072 but the request contains 136973 tokens.", 'invalid_request_error', null) }, 'context_length', true, 'not counted'],
    ['OpenAI: an answer limit over what the model writes', 'mini', () => g.openai, { kind: 'status', status: 400, body: openaiError('max_tokens is too large: 32000. This model supports at most 16384 completion tokens, whereas you provided 32000.', 'invalid_request_error', 'invalid_value') }, 'context_length', true, 'not counted'],
    ['DeepSeek: an answer limit out of range', 'mini', () => g.openai, { kind: 'status', status: 400, body: openaiError('Invalid max_tokens value, the valid range of max_tokens is [1, 8192]', 'invalid_request_error', 'invalid_request_error') }, 'context_length', true, 'not counted'],
    ['OpenAI: a bad parameter', 'mini', () => g.openai, { kind: 'status', status: 400, body: openaiError("Invalid value for 'temperature': must be at most 2.", 'invalid_request_error', 'invalid_value') }, 'upstream_4xx', false, 'healthy'],
    ['OpenAI: a server error', 'mini', () => g.openai, { kind: 'status', status: 500, body: openaiError('The server had an error while processing your request.', 'server_error', null) }, 'upstream_5xx', true, 'counted'],
    ['Anthropic: an invalid key', 'sonnet', () => g.anthropic, { kind: 'status', status: 401, body: anthropicError('authentication_error', 'invalid x-api-key') }, 'auth', true, 'blocked'],
    ['Anthropic: no permission', 'sonnet', () => g.anthropic, { kind: 'status', status: 403, body: anthropicError('permission_error', 'Your API key does not have permission to use the specified resource.') }, 'auth', true, 'blocked'],
    ['Anthropic: an unknown model', 'sonnet', () => g.anthropic, { kind: 'status', status: 404, body: anthropicError('not_found_error', 'model: claude-sonnet-4-5') }, 'model_missing', true, 'blocked'],
    ['Anthropic: a prompt too long', 'sonnet', () => g.anthropic, { kind: 'status', status: 400, body: anthropicError('invalid_request_error', 'prompt is too long: 250000 tokens > 200000 maximum') }, 'context_length', true, 'not counted'],
    ['Anthropic: an answer limit over what the model writes', 'sonnet', () => g.anthropic, { kind: 'status', status: 400, body: anthropicError('invalid_request_error', 'max_tokens: 64000 > 32000, which is the maximum allowed number of output tokens for claude-opus-4-1-20250805') }, 'context_length', true, 'not counted'],
    ['Anthropic: credit too low', 'sonnet', () => g.anthropic, { kind: 'status', status: 400, body: anthropicError('invalid_request_error', 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.') }, 'quota', true, 'blocked'],
    ['Anthropic: a bad field', 'sonnet', () => g.anthropic, { kind: 'status', status: 400, body: anthropicError('invalid_request_error', 'max_tokens: Field required') }, 'upstream_4xx', false, 'healthy'],
    ['Anthropic: overloaded', 'sonnet', () => g.anthropic, { kind: 'status', status: 529, body: anthropicError('overloaded_error', 'Overloaded') }, 'upstream_5xx', true, 'counted'],
    ['Ollama: a model never pulled', 'llama', () => g.ollama, { kind: 'status', status: 404, body: { error: 'model "llama3.2:3b" not found, try pulling it first' } }, 'model_missing', true, 'blocked'],
    ['Ollama Cloud: a plan\'s session allowance spent', 'llama', () => g.ollama, { kind: 'status', status: 429, body: { error: 'you (alice) have reached your session usage limit, upgrade for higher limits: https://ollama.com/upgrade (ref: 5e1f0c2a)' } }, 'quota', true, 'blocked'],
    ['Ollama Cloud: a plan\'s weekly allowance spent', 'llama', () => g.ollama, { kind: 'status', status: 429, body: { error: "you've reached your weekly usage limit, please wait or upgrade to continue" } }, 'quota', true, 'blocked'],
    ['llama.cpp / Ollama: the context is full', 'llama', () => g.ollama, { kind: 'status', status: 400, body: { error: 'the request exceeds the available context size, try increasing it' } }, 'context_length', true, 'not counted'],
    ['Ollama: a model without tool support', 'llama', () => g.ollama, { kind: 'status', status: 400, body: { error: 'registry.ollama.ai/library/llama3.2:3b does not support tools' } }, 'unsupported', true, 'not counted'],
    ['Ollama: a model that does not think', 'llama', () => g.ollama, { kind: 'status', status: 400, body: { error: '"llama3.2:3b" does not support thinking' } }, 'unsupported', true, 'not counted'],
    ['OpenAI: a model another of its APIs serves (404)', 'mini', () => g.openai, { kind: 'status', status: 404, body: openaiError('This is not a chat model and thus not supported in the v1/chat/completions endpoint. Did you mean to use v1/completions?', 'invalid_request_error', null) }, 'unsupported', true, 'not counted'],
    ['OpenRouter: no provider of the model takes tools (404)', 'mini', () => g.openai, { kind: 'status', status: 404, body: { error: { message: 'No endpoints found that support tool use. To learn more about provider routing, visit: https://openrouter.ai/docs/provider-routing', code: 404 } } }, 'unsupported', true, 'not counted'],
    ['OpenRouter: no provider takes the tool choice (404)', 'mini', () => g.openai, { kind: 'status', status: 404, body: { error: { message: "No endpoints found that support the provided 'tool_choice' value. To learn more about provider routing, visit: https://openrouter.ai/docs/provider-routing", code: 404 } } }, 'unsupported', true, 'not counted'],
    ['Qwen and DeepSeek: a forced tool choice in thinking mode', 'mini', () => g.openai, { kind: 'status', status: 400, body: openaiError('<400> InternalError.Algo.InvalidParameter: The tool_choice parameter does not support being set to required or object in thinking mode', 'invalid_request_error', 'invalid_parameter_error') }, 'unsupported', true, 'not counted'],
    ['Gemini: tools beside a JSON answer', 'mini', () => g.openai, { kind: 'status', status: 400, body: [{ error: { code: 400, message: "Function calling with a response mime type: 'application/json' is unsupported", status: 'INVALID_ARGUMENT' } }] }, 'unsupported', true, 'not counted'],
    ['Gemini: a history whose call does not follow a user turn', 'mini', () => g.openai, { kind: 'status', status: 400, body: [{ error: { code: 400, message: 'Please ensure that function call turn comes immediately after a user turn or after a function response turn.', status: 'INVALID_ARGUMENT' } }] }, 'unsupported', true, 'not counted'],
    ['OpenAI-compatible: tools the model does not take', 'mini', () => g.openai, { kind: 'status', status: 400, body: openaiError('tools are not supported by this model', 'invalid_request_error', null) }, 'unsupported', true, 'not counted'],
    ['OpenAI: more tools than it takes (MCP servers beyond 128)', 'mini', () => g.openai, { kind: 'status', status: 400, body: openaiError("Invalid 'tools': array too long. Expected an array with maximum length 128, but got an array with length 153 instead.", 'invalid_request_error', 'array_above_max_length') }, 'unsupported', true, 'not counted'],
    ['Ollama: a bad option', 'llama', () => g.ollama, { kind: 'status', status: 400, body: { error: 'json: cannot unmarshal string into Go struct field Options.num_ctx of type int' } }, 'upstream_4xx', false, 'healthy'],
  ];

  for (const [what, first, fake, mode, failure, movesOn, effect] of cases) {
    it(`${what}: ${failure}, ${movesOn ? 'moves on' : 'goes back to the client'}, breaker ${effect}`, async () => {
      const backup = first === 'llama' ? 'mini' : 'llama';
      g.apply({ routes: [{ name: 'table', deployments: [first, backup] }] });
      await fake().setMode(mode);
      const answer = await g.chat('table');
      if (movesOn) {
        expect(answer.status).toBe(200);
        expect(answer.route).toBe(`${first}:fail(${failure.replaceAll('_', '-')}) ${backup}:ok`);
      } else {
        expect(answer.status).toBe((mode as { status: number }).status);
        expect(answer.route).toBe(`${first}:fail(upstream-4xx)`);
      }
      const breaker = g.h.gateway.breakers.snapshot(first);
      if (effect === 'blocked') {
        expect(breaker).toMatchObject({ state: 'open', blockedBy: failure });
        const skipped = { auth: 'auth-failed', model_missing: 'model-missing', quota: 'quota-exhausted' }[failure];
        expect((await g.chat('table')).route).toBe(`${first}:skip(${skipped}) ${backup}:ok`);
      } else if (effect === 'counted') {
        expect(breaker).toMatchObject({ state: 'closed', consecutiveFailures: 1 });
      } else if (effect === 'cooled') {
        expect(breaker.coolingUntil).not.toBeNull();
        expect((await g.chat('table')).route).toBe(`${first}:skip(cooling) ${backup}:ok`);
      } else {
        expect(breaker).toMatchObject({ state: 'closed', consecutiveFailures: 0, blockedBy: null });
      }
    });
  }

  it('a block is lifted by a manual reset, and a missing model is unblocked when the health probe finds it installed', async () => {
    g.apply({ routes: [{ name: 'table', deployments: ['qwen', 'mini'] }] });
    // qwen3:8b is not installed: Ollama answers 404, the deployment is blocked.
    expect((await g.chat('table')).route).toBe('qwen:fail(model-missing) mini:ok');
    expect((await g.chat('table')).route).toBe('qwen:skip(model-missing) mini:ok');
    g.installed.push('qwen3:8b');
    await g.h.gateway.health.probeAll();
    expect(g.h.gateway.breakers.snapshot('qwen').blockedBy).toBeNull();
    expect((await g.chat('table')).route).toBe('qwen:ok');
    g.installed.pop();

    await g.openai.setMode({ kind: 'status', status: 401 });
    g.apply({ routes: [{ name: 'table', deployments: ['mini', 'llama'] }] });
    await g.chat('table');
    expect(g.h.gateway.breakers.snapshot('mini').blockedBy).toBe('auth');
    await g.h.admin('/admin/api/breakers/mini/reset', { method: 'POST' });
    expect(g.h.gateway.breakers.snapshot('mini')).toMatchObject({ state: 'closed', blockedBy: null });
  });

  it('answers 400 context_length_exceeded when every deployment says the prompt is too long', async () => {
    g.apply({ routes: [{ name: 'table', deployments: ['mini', 'sonnet'] }] });
    await g.openai.setMode({ kind: 'status', status: 400, body: openaiError('maximum context length is 128000 tokens', 'invalid_request_error', 'context_length_exceeded') });
    await g.anthropic.setMode({ kind: 'status', status: 400, body: anthropicError('invalid_request_error', 'prompt is too long: 250000 tokens > 200000 maximum') });
    const answer = await g.chat('table');
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'context_length_exceeded', type: 'invalid_request_error' });
  });
});


describe('skipped before any attempt', () => {
  it('says why for a disabled deployment, a time window, local only, a missing key, a model not installed and a missing capability', async () => {
    g.apply({
      deployments: [
        { name: 'off', provider: 'local', model: 'llama3.2:3b', enabled: false },
        { name: 'nights', provider: 'local', model: 'llama3.2:3b', timeWindows: [{ start: '00:00', end: '00:00' }] },
      ],
      routes: [{ name: 'many', deployments: ['off', 'nights', 'keyless', 'qwen', 'mini', 'llama'] }],
    });
    await g.h.gateway.health.probeAll();
    expect((await g.chat('many')).route).toBe('off:skip(disabled) nights:skip(time-window) keyless:skip(key-missing) qwen:skip(model-missing) mini:ok');
    g.h.gateway.setLocalOnly(true);
    expect((await g.chat('many')).route).toBe('off:skip(disabled) nights:skip(time-window) keyless:skip(local-only) qwen:skip(model-missing) mini:skip(local-only) llama:ok');
    g.h.gateway.setLocalOnly(false);

    // The probe learned that llama3.2 has no vision: an image goes to a model that has.
    g.apply({ routes: [{ name: 'eyes', deployments: ['llama', 'llava'] }] });
    const image = { role: 'user', content: [{ type: 'text', text: 'what is it' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] };
    expect((await g.chat('eyes', { messages: [image] })).route).toBe('llama:skip(capability-missing) llava:ok');

    // A budget of nothing is spent from the start; a window of 512 tokens takes no long prompt.
    g.apply({ routes: [{ name: 'cloud-first', deployments: ['mini', 'llama'] }], budgets: [{ name: 'none', scope: 'global', period: 'day', limitUsd: 0 }] });
    expect((await g.chat('cloud-first')).route).toBe('mini:skip(over-budget) llama:ok');
    g.apply({ deployments: [{ name: 'llama', provider: 'local', model: 'llama3.2:3b', options: { num_ctx: 512 } }] });
    expect((await g.chat('default', { messages: [{ role: 'user', content: 'lorem ipsum '.repeat(1_000) }] })).route).toBe('llama:skip(context-too-small) mini:ok');
  });

  it('counts an answer as a fallback when an earlier deployment was in trouble, not when the route settings or the request passed it over, nor a retry the same one answered', async () => {
    g.apply({
      deployments: [
        { name: 'off', provider: 'local', model: 'llama3.2:3b', enabled: false },
        { name: 'nights', provider: 'local', model: 'llama3.2:3b', timeWindows: [{ start: '00:00', end: '00:00' }] },
      ],
      routes: [
        { name: 'planned', deployments: ['off', 'nights', 'mini'] },
        { name: 'broken', deployments: ['keyless', 'qwen', 'mini'] },
        { name: 'cloud-first', deployments: ['mini', 'llama'] },
        { name: 'twice', deployments: ['llama', 'mini'], retry: { attempts: 2, backoffMs: 400 } },
      ],
    });
    await g.h.gateway.health.probeAll();
    const overview = async () => {
      const today = (await g.h.admin('/admin/api/overview').then((r) => r.json())) as { requests: number; fallbackRate: number };
      return [today.requests, Math.round(today.fallbackRate * today.requests)] as const;
    };
    const [requestsBefore, fallbacksBefore] = await overview();
    const fellBack = async (answer: Promise<{ route: string; headers: Headers }>) => {
      const { route, headers } = await answer;
      const row = (await g.h.admin(`/admin/api/usage/${headers.get('x-request-id')}`).then((r) => r.json())) as { fallback: boolean };
      return [route, row.fallback];
    };
    expect(await fellBack(g.chat('planned'))).toEqual(['off:skip(disabled) nights:skip(time-window) mini:ok', false]);
    expect(await fellBack(g.chat('broken'))).toEqual(['keyless:skip(key-missing) qwen:skip(model-missing) mini:ok', true]);
    g.h.gateway.setLocalOnly(true);
    expect(await fellBack(g.chat('cloud-first'))).toEqual(['mini:skip(local-only) llama:ok', false]);
    g.h.gateway.setLocalOnly(false);
    await g.ollama.setMode({ kind: 'status', status: 500 });
    expect(await fellBack(g.chat('twice'))).toEqual(['llama:fail(upstream-5xx) llama:fail(upstream-5xx) mini:ok', true]);
    // The same deployment answering its retry: llama healthy again while the gateway waits to retry it.
    const chats = () => g.ollama.requests.filter((r) => r.path === '/api/chat').length;
    const asked = chats();
    const retried = g.chat('twice');
    while (chats() === asked) await new Promise((r) => setTimeout(r, 5));
    await g.ollama.setMode({ kind: 'healthy' });
    expect(await fellBack(retried)).toEqual(['llama:fail(upstream-5xx) llama:ok', false]);
    g.apply({ routes: [{ name: 'cloud-first', deployments: ['mini', 'llama'] }], budgets: [{ name: 'none', scope: 'global', period: 'day', limitUsd: 0 }] });
    expect(await fellBack(g.chat('cloud-first'))).toEqual(['mini:skip(over-budget) llama:ok', false]);

    // What the Overview and /metrics count is the rows' flag.
    const [requests, fallbacks] = await overview();
    expect([requests - requestsBefore, fallbacks - fallbacksBefore]).toEqual([6, 2]);
    const metrics = parseMetrics(await fetch(`${g.h.url}/metrics`).then((r) => r.text()));
    expect(metrics.value('switchyard_fallbacks_total', { route: 'broken', deployment: 'mini' })).toBe(1);
    expect(metrics.value('switchyard_fallbacks_total', { route: 'planned', deployment: 'mini' })).toBe(0);
  });

  it('names the model a deployment most likely meant where its Ollama lacks the one it names, in what the client is told', async () => {
    g.apply({ deployments: [{ name: 'small', provider: 'local', model: 'llama3.2:1b' }], routes: [{ name: 'tagged', deployments: ['small', 'qwen'] }] });
    await g.h.gateway.health.probeAll();
    const answer = await g.chat('tagged');
    expect([answer.status, answer.route]).toEqual([503, 'small:skip(model-missing) qwen:skip(model-missing)']);
    expect(answer.body.error.message).toContain('small: local does not have the model "llama3.2:1b" (from its latest model list); it has "llama3.2:3b": the one meant?');
    // Nothing installed is near qwen3:8b: nothing is offered.
    expect(answer.body.error.message).toContain('qwen: local does not have the model "qwen3:8b" (from its latest model list)');
    expect(answer.body.error.message).not.toMatch(/qwen3:8b" \(from its latest model list\);/);
  });

  it('says when the circuit is open, a probe is out, or the provider is busy', async () => {
    g.apply({ deployments: [{ name: 'llama', provider: 'local', model: 'llama3.2:3b', breaker: { failures: 1, cooldownMs: 50, probeBudgetMs: 2_000 } }] });
    await g.ollama.setMode({ kind: 'status', status: 500 });
    expect((await g.chat('default')).route).toBe('llama:fail(upstream-5xx) mini:ok');
    expect((await g.chat('default')).route).toMatch(/^llama:skip\(circuit-open\) mini:ok$/);
    await new Promise((r) => setTimeout(r, 100));
    await g.ollama.setMode({ kind: 'slow-first-byte', delayMs: 300 });
    const sent = g.ollama.requests.length;
    const probe = g.chat('default');
    // Out once it reached Ollama: a fixed wait could end before it did, under load.
    await expect.poll(() => g.ollama.requests.length).toBeGreaterThan(sent);
    expect((await g.chat('default')).route).toBe('llama:skip(probe-in-flight) mini:ok');
    expect((await probe).route).toBe('llama:ok');

    g.h.gateway.applyConfig(g.config({ providers: [], routes: [{ name: 'default', deployments: ['llama', 'mini'] }] }), 'test');
    const c = g.config();
    (c.providers[0] as Record<string, unknown>).maxConcurrent = 1;
    (c.providers[0] as Record<string, unknown>).queue = { max: 0 };
    g.h.gateway.applyConfig(c, 'test');
    const waiting = g.ollama.requests.length;
    const slow = g.chat('default');
    await expect.poll(() => g.ollama.requests.length).toBeGreaterThan(waiting);
    expect((await g.chat('default')).route).toBe('llama:skip(busy) mini:ok');
    await slow;
  });
});


describe('the decision trace', () => {
  it('is kept with the usage row, returned by the admin API, and summarised in the header, for failures too', async () => {
    await g.ollama.setMode({ kind: 'status', status: 503 });
    await g.openai.setMode({ kind: 'status', status: 500 });
    const failed = await g.chat('default');
    expect(failed.status).toBe(503);
    expect(failed.route).toBe('llama:fail(upstream-5xx) mini:fail(upstream-5xx)');
    const detail = await g.h.admin(`/admin/api/usage/${failed.headers.get('x-request-id')}`).then((r) => r.json());
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
    expect((await g.h.admin('/admin/api/usage/req_nope')).status).toBe(404);
  });

  it('has shown every skip reason and every failure class but client_closed in one of these tests', () => {
    const missing = [...SKIP_REASONS.map((r) => `skip:${r}`), ...FAILURE_CLASSES.filter((f) => !['client_closed', 'connect', 'timeout', 'upstream_protocol'].includes(f)).map((f) => `fail:${f}`)].filter((r) => !g.seen.has(r));
    expect(missing).toEqual([]);
  });
});
