/**
 * The gateway the routing tests share: an Ollama fake (with a few models installed), OpenAI and
 * Anthropic fakes, and a gateway whose clock and randomness a test may fix. `useRoutingGateway`
 * registers a file's hooks (start before its tests, a fresh config and healthy fakes before each,
 * stop after) and returns what the tests use.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startFakeAnthropic } from './fake-anthropic';
import { startFakeOllama } from './fake-ollama';
import { startFakeOpenAI } from './fake-openai';
import type { FakeServer } from './fake-server';
import { resetBetweenTests, startGateway, stopAll, type Harness } from './harness';

export type Extra = { providers?: object[]; deployments?: object[]; routes?: object[]; aliases?: Record<string, string>; budgets?: object[]; settings?: object };

export interface Answer {
  status: number;
  route: string;
  body: any;
  headers: Headers;
}

export interface RoutingGateway {
  ollama: FakeServer;
  openai: FakeServer;
  anthropic: FakeServer;
  h: Harness;
  /** What the Ollama fake has installed; tests add to it as `ollama pull` would. */
  installed: string[];
  /** The gateway's clock: fixed where a test sets it (budgets), real time otherwise (latency). */
  clock: number | undefined;
  /** What the gateway's randomness returns next (0.5 once these run out). */
  random: number[];
  /** Every skip reason and failure class a route header showed, as `skip:reason` and `fail:class`. */
  seen: Set<string>;
  /** The base config (four providers, six deployments, a `default` route) with `extra` added or replacing. */
  config(extra?: Extra): { version: number; providers: Record<string, unknown>[]; deployments: Record<string, unknown>[]; routes: object[] };
  apply(extra: Extra): void;
  /** A chat completion for `model`; its route header is noted in `seen`. */
  chat(model: string, extra?: Record<string, unknown>, headers?: Record<string, string>): Promise<Answer>;
}

export function useRoutingGateway(): RoutingGateway {
  const g = { installed: ['llama3.2:3b', 'llava:7b', 'nomic-embed-text'], clock: undefined, random: [], seen: new Set<string>() } as unknown as RoutingGateway;
  const base = () => ({
    providers: [
      { name: 'local', kind: 'ollama', baseUrl: g.ollama.url },
      // The fakes listen on loopback; these stand for cloud providers.
      { name: 'cloud', kind: 'openai', baseUrl: `${g.openai.url}/v1`, apiKey: 'env:TEST_KEY', local: false },
      { name: 'claude', kind: 'anthropic', baseUrl: g.anthropic.url, apiKey: 'env:TEST_KEY', local: false },
      { name: 'nokey', kind: 'openai', baseUrl: `${g.openai.url}/v1`, apiKey: 'env:SWITCHYARD_TEST_UNSET_KEY', local: false },
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
  g.config = (extra = {}) => {
    const b = base();
    return {
      version: 1,
      providers: [...b.providers, ...(extra.providers ?? [])] as Record<string, unknown>[],
      deployments: [...b.deployments.filter((d) => !(extra.deployments ?? []).some((e) => (e as { name: string }).name === d.name)), ...(extra.deployments ?? [])] as Record<string, unknown>[],
      routes: extra.routes ?? [{ name: 'default', deployments: ['llama', 'mini'] }],
      ...(extra.aliases ? { aliases: extra.aliases } : {}),
      ...(extra.budgets ? { budgets: extra.budgets } : {}),
      ...(extra.settings ? { settings: extra.settings } : {}),
    };
  };
  g.apply = (extra) => {
    const result = g.h.gateway.applyConfig(g.config(extra), 'test');
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
  };
  g.chat = async (model, extra = {}, headers = {}) => {
    const res = await fetch(`${g.h.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hello' }], ...extra }),
    });
    const route = res.headers.get('x-switchyard-route') ?? '';
    for (const [, kind, reason] of route.matchAll(/:(skip|fail)\(([^)]+)\)/g)) g.seen.add(`${kind}:${(reason as string).replaceAll('-', '_')}`);
    return { status: res.status, route, body: await res.json(), headers: res.headers };
  };

  beforeAll(async () => {
    [g.ollama, g.openai, g.anthropic] = await Promise.all([startFakeOllama({ models: g.installed }), startFakeOpenAI(), startFakeAnthropic()]);
    g.h = await startGateway(g.config(), {
      now: () => g.clock ?? Date.now(),
      random: () => g.random.shift() ?? 0.5,
      timeZone: 'America/New_York',
    });
  });
  afterAll(() => stopAll(g.h, g.ollama, g.openai, g.anthropic));
  beforeEach(async () => {
    g.random = [];
    g.clock = undefined;
    await resetBetweenTests(g.h, [g.ollama, g.openai, g.anthropic], g.config());
    g.h.gateway.setLocalOnly(false);
  });
  return g;
}
