/**
 * A test file's gateway over the two-tier fakes (a local Ollama first, a cloud OpenAI-compatible
 * second): started before the file's tests, reset to `config()` before each, stopped after. Also
 * the two things most of those tests ask of it: a chat completion sent as a tool sends it, and the
 * usage rows written since a time.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { GatewayOptions } from '../../gateway/server';
import type { UsageRow } from '../../gateway/store/usage-log';
import type { FakeServer } from './fake-server';
import { startFakeOllama, type FakeOllamaOptions } from './fake-ollama';
import { startFakeOpenAI } from './fake-openai';
import { resetBetweenTests, startGateway, stopAll, twoTierConfig, type Harness } from './harness';

export interface TwoTier {
  h: Harness;
  ollama: FakeServer;
  openai: FakeServer;
  /** The config each test starts from. */
  config(): unknown;
  /** The two-tier config with these settings (and extras on each route). */
  configWith(settings?: Record<string, unknown>, routeExtras?: Record<string, unknown>): ReturnType<typeof twoTierConfig> & { settings: Record<string, unknown> };
  /** The gateway's clock (epoch ms), when the file asked for one: tests move it. */
  clock: number;
  /** POSTs a chat completion (one user message unless the body says otherwise); the response and its text. */
  chat(body: Record<string, unknown>, headers?: Record<string, string>): Promise<{ res: Response; text: string }>;
  rows(since: number): UsageRow[];
}

/**
 * `clock`: the gateway reads a clock the tests move, an hour on before each test (with the answer
 * cache emptied), so each test's usage rows and rate-limit windows are its own.
 */
export function useTwoTier(options: { ollama?: FakeOllamaOptions; config?: (t: TwoTier) => unknown; gateway?: Partial<GatewayOptions>; clock?: number } = {}): TwoTier {
  const t = { clock: options.clock ?? 0 } as TwoTier;
  t.configWith = (settings = {}, routeExtras = {}) => ({ ...twoTierConfig({ ollama: t.ollama.url, openai: t.openai.url }, routeExtras), settings });
  t.config = () => (options.config ? options.config(t) : t.configWith());
  t.chat = async (body, headers = {}) => {
    const res = await fetch(`${t.h.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hello there' }], ...body }),
    });
    return { res, text: await res.text() };
  };
  t.rows = (since) => [...t.h.gateway.usage.iterate({ since })];
  beforeAll(async () => {
    t.ollama = await startFakeOllama(options.ollama);
    t.openai = await startFakeOpenAI();
    t.h = await startGateway(t.config(), { ...options.gateway, ...(options.clock === undefined ? {} : { now: () => t.clock }) });
  });
  afterAll(() => stopAll(t.h, t.ollama, t.openai));
  beforeEach(async () => {
    await resetBetweenTests(t.h, [t.ollama, t.openai], t.config());
    if (options.clock === undefined) return;
    await t.h.gateway.cache.purge();
    t.clock += 3_600_000;
  });
  return t;
}
