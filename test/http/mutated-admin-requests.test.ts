/**
 * An attack run on the admin API, as a confused or hostile page with the session would make it:
 * every kind of write (providers, deployments, routes, budgets, aliases, settings, a config
 * imported or previewed, keys, a route's order, revisions restored, connections, probes, breakers,
 * models loaded, sessions let go, the playground, a notices webhook) with one or two parts of a well-formed body
 * replaced, removed, wrapped or nested, and odd names in the path (seeded, so a failure repeats).
 * Whatever comes in: never a 5xx the upstreams do not explain, every refusal in the API's error
 * shape, a refused write changes nothing, an accepted one leaves a config that validates, and the
 * model API keeps answering. Runs like this found a playground request with `content: [null]` that
 * crashed every provider, and a name past the router's length answered in Fastify's shape.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { validateConfig } from '../../gateway/config/validate';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, type Harness } from '../support/harness';
import { draws, testSeed, mutated, ODD_VALUES, type Draws } from '../support/mutations';

const REQUESTS = 400;
/** Values that mean something to the admin API: names in use, times, key references, an address. */
const ADMIN_VALUES: readonly (() => unknown)[] = [
  ...ODD_VALUES, () => '__proto__', () => 'constructor', () => 'mixed', () => 'qwen', () => -0, () => 2 ** 53, () => '09:00', () => '25:99', () => 'env:X', () => 'http://127.0.0.1:1',
];
const MEMBERS = ['name', 'type', 'model', 'provider', 'deployments', 'extra', '__proto__', 'constructor'];
const NAMES = ['mixed', 'qwen', 'mini', 'sonnet', 'local', 'cloud', 'b', 'gpt-*', 'k1', 'embed'];

let fakes: FakeServer[];
let h: Harness;
beforeAll(async () => {
  const [ollama, openai, anthropic] = (fakes = await Promise.all([startFakeOllama({ models: ['qwen3:8b', 'nomic-embed-text'] }), startFakeOpenAI(), startFakeAnthropic()]));
  h = await startGateway({
    version: 1,
    providers: [
      { name: 'claude', kind: 'anthropic', baseUrl: anthropic!.url, apiKey: 'env:CLAUDE_KEY' },
      { name: 'local', kind: 'ollama', baseUrl: ollama!.url },
      { name: 'cloud', kind: 'openai', baseUrl: `${openai!.url}/v1`, apiKey: 'env:TEST_KEY', timeouts: { firstByteMs: 5_000 } },
    ],
    deployments: [
      { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5', contextWindow: 200_000, pricing: { inputPerMTok: 3, outputPerMTok: 15 } },
      { name: 'qwen', provider: 'local', model: 'qwen3:8b', timeWindows: [{ days: ['mon', 'tue'], start: '09:00', end: '17:00' }] },
      { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' },
      { name: 'embed', provider: 'local', model: 'nomic-embed-text', type: 'embedding' },
    ],
    routes: [{ name: 'mixed', deployments: ['qwen', 'sonnet', 'mini'], strategy: 'ordered' }],
    aliases: { 'gpt-*': 'mixed' },
    budgets: [{ name: 'b', scope: { route: 'mixed' }, period: 'month', limitUsd: 5 }],
  }, { env: { CLAUDE_KEY: 'sk-ant-test' } });
}, 30_000);
afterAll(() => stopAll(h, ...fakes));

/** A name as a path segment; a lone surrogate, which has no UTF-8, as the bytes it would have had. */
const segment = (name: string) => {
  try {
    return encodeURIComponent(name);
  } catch {
    return '%ED%A0%80';
  }
};

interface Call { method: string; path: string; body?: unknown; changesConfig: boolean }

/** One admin call drawn from the current config. */
function drawCall(config: Record<string, unknown>, settings: unknown, i: number, draw: Draws): Call {
  const change = (body: unknown) => mutated(body, draw, { values: ADMIN_VALUES, members: MEMBERS });
  const odd = () => String(draw.pick(ADMIN_VALUES)());
  const kind = draw.pick(['providers', 'deployments', 'routes', 'budgets', 'aliases', 'settings', 'import', 'preview', 'keys', 'schedule', 'order', 'connect', 'playground', 'wire', 'usage', 'delete', 'restore', 'probe', 'breaker', 'load', 'pull', 'kept', 'quirks', 'webhook']);
  if (kind === 'providers' || kind === 'deployments' || kind === 'routes' || kind === 'budgets') {
    const items = config[kind] as Record<string, unknown>[] | undefined;
    const item = structuredClone(draw.pick(items?.length ? items : [{}]));
    const method = draw.pick(['PUT', 'POST', 'PATCH']);
    const name = draw.next() < 0.9 ? String(item.name) : odd();
    if (method === 'POST') item.name = `${name}-${i}`;
    const body = method === 'PATCH' ? Object.fromEntries(Object.entries(item).filter(() => draw.next() < 0.4)) : item;
    return { method, path: method === 'POST' ? `/${kind}` : `/${kind}/${segment(name)}`, body: change(body), changesConfig: true };
  }
  switch (kind) {
    case 'aliases': return { method: 'PUT', path: `/aliases/${segment(draw.pick(['gpt-*', 'x', 'a*b*c', '**', odd()]))}`, body: change({ target: draw.pick(['mixed', 'qwen', 'nope']) }), changesConfig: true };
    case 'settings': return { method: draw.pick(['PUT', 'PATCH']), path: '/settings', body: change(structuredClone(settings)), changesConfig: true };
    case 'import': return { method: 'POST', path: '/config/import', body: change({ config: structuredClone(config) }), changesConfig: true };
    case 'preview': return { method: 'POST', path: '/config/preview', body: change({ config: structuredClone(config) }), changesConfig: false };
    case 'keys': return { method: 'POST', path: '/keys', body: change({ name: `k${i}`, rateLimitPerMinute: 60, allowedRoutes: ['mixed'] }), changesConfig: false };
    case 'schedule': return { method: 'POST', path: '/schedule/preview', body: change({ timeWindows: [{ days: ['mon'], start: '09:00', end: '17:00' }] }), changesConfig: false };
    case 'order': return { method: 'PUT', path: '/routes/mixed/order', body: change({ deployments: ['sonnet', 'qwen', 'mini'] }), changesConfig: true };
    case 'connect': return { method: 'POST', path: `/connect/${draw.pick(['codex', 'claude-code', 'opencode', 'x'])}`, body: change({ route: 'mixed', dryRun: true }), changesConfig: false };
    case 'playground': return { method: 'POST', path: '/playground', body: change({ model: 'mixed', messages: [{ role: 'user', content: 'hi' }], stream: draw.next() < 0.3 }), changesConfig: false };
    case 'wire': return { method: 'POST', path: '/playground/wire', body: change({ api: draw.pick(['anthropic', 'responses', 'openai']), body: { model: 'mixed', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }], input: 'hi' } }), changesConfig: false };
    case 'delete': return { method: 'DELETE', path: `/${draw.pick(['providers', 'deployments', 'routes', 'budgets', 'aliases', 'keys'])}/${segment(draw.next() < 0.5 ? odd() : draw.pick(NAMES))}`, changesConfig: true };
    case 'restore': return { method: 'POST', path: `/config/revisions/${segment(draw.next() < 0.5 ? String(draw.pick([1, 2, 3, 0, 99])) : odd())}/restore`, changesConfig: true };
    case 'probe': return { method: 'POST', path: '/providers/test', body: change({ name: 'cloud', kind: 'openai', baseUrl: 'http://127.0.0.1:1/v1' }), changesConfig: false };
    case 'breaker': return { method: 'POST', path: `/breakers/${segment(draw.next() < 0.5 ? odd() : draw.pick(NAMES))}/reset`, changesConfig: false };
    case 'webhook': return draw.next() < 0.2 ? { method: 'DELETE', path: '/notices/webhook', changesConfig: true } : { method: 'PUT', path: '/notices/webhook', body: change({ url: draw.pick(['https://hooks.slack.com/services/T1/B2/x', 'http://127.0.0.1:1/hook', odd()]) }), changesConfig: true };
    case 'kept': return { method: draw.pick(['GET', 'DELETE']), path: `/usage/sessions/kept?${draw.pick(['session', 'clientKey', 'x'])}=${segment(odd())}&${draw.pick(['session', 'clientKey'])}=${segment(draw.pick(['anonymous', 'k1', odd()]))}`, changesConfig: false };
    case 'load': return { method: 'POST', path: `/deployments/${segment(draw.next() < 0.3 ? odd() : draw.pick(NAMES))}/${draw.pick(['load', 'unload'])}`, changesConfig: false };
    case 'pull': return draw.next() < 0.2 ? { method: 'GET', path: '/pulls', changesConfig: false } : { method: draw.pick(['POST', 'DELETE']), path: `/deployments/${segment(draw.next() < 0.3 ? odd() : draw.pick(NAMES))}/pull`, changesConfig: false };
    case 'quirks': return draw.next() < 0.2 ? { method: 'GET', path: '/quirks', changesConfig: false } : { method: 'DELETE', path: `/providers/${segment(draw.next() < 0.3 ? odd() : draw.pick(NAMES))}/quirks`, changesConfig: false };
    default: {
      const field = draw.pick(['range', 'route', 'deployment', 'limit', 'cursor', 'since', 'until', 'status', 'cached', 'bucket', 'session']);
      if (draw.next() < 0.2) return { method: 'GET', path: `/usage/${segment(odd())}/bodies${draw.pick(['', '/request', '/answer', `/${segment(odd())}`])}`, changesConfig: false };
      return { method: 'GET', path: `/${draw.pick(['usage', 'usage/rollups', 'usage/export', 'usage/sessions'])}?${field}=${segment(odd())}`, changesConfig: false };
    }
  }
}

/** A 5xx a config edit explains: the playground's deployments (or a model to load or unload) made unreachable or pointed at a model that is not there. */
const explained = (call: Call, text: string) =>
  ((call.path.startsWith('/playground') && /"failure":"(connect|model_missing|auth|key_missing)"|no_deployment_available/.test(text)) || (/\/(un)?load$/.test(call.path) && /did not (un)?load/.test(text))) && !/Cannot read|is not a function/.test(text);

it('answers every mutated admin request in its error shape, changes nothing it refuses, and keeps the config valid and the model API up', async () => {
  const draw = draws(testSeed());
  const read = async (path: string) => (await (await h.admin(`/admin/api${path}`)).json()) as Record<string, unknown>;
  const statuses: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const config = await read('/config');
    const call = drawCall(config, (await read('/settings')).settings, i, draw);
    const sent = call.body === undefined ? undefined : (JSON.stringify(call.body) ?? '');
    const res = await h.admin(`/admin/api${call.path}`, { method: call.method, ...(sent !== undefined ? { body: sent } : {}) });
    const text = await res.text();
    statuses.push(res.status);
    const where = `request ${i}: ${call.method} ${call.path.slice(0, 120)} ${String(sent).slice(0, 300)}\n-> ${res.status} ${text.slice(0, 400)}`;
    if (res.status >= 500) expect(explained(call, text), where).toBe(true);
    if (res.status >= 400) {
      expect(typeof JSON.parse(text).error?.message, where).toBe('string');
      if (call.changesConfig) expect(await read('/config'), where).toEqual(config);
    } else if (call.changesConfig) {
      const after = validateConfig(await read('/config'));
      expect(after.ok ? [] : after.errors, where).toEqual([]);
    }
    // However the config was changed, the model API answers: never a crash or a 5xx of its own.
    const chat = await fetch(`${h.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'mixed', messages: [{ role: 'user', content: 'x' }] }) });
    expect([500, 502], `${where}\nthen chat -> ${chat.status} ${await chat.text()}`).not.toContain(chat.status);
  }
  // The run reached both sides: writes accepted and writes refused.
  expect(statuses.filter((s) => s < 300).length).toBeGreaterThan(REQUESTS / 8);
  expect(statuses.filter((s) => s === 400).length).toBeGreaterThan(REQUESTS / 8);
}, 120_000);
