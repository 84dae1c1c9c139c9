/**
 * A test file's gateway over the two-tier fakes (a local Ollama first, a cloud OpenAI-compatible
 * second): started before the file's tests, reset to `config()` before each, stopped after.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
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
}

export function useTwoTier(options: { ollama?: FakeOllamaOptions; config?: (t: TwoTier) => unknown } = {}): TwoTier {
  const t = {} as TwoTier;
  t.config = () => (options.config ? options.config(t) : twoTierConfig({ ollama: t.ollama.url, openai: t.openai.url }));
  beforeAll(async () => {
    t.ollama = await startFakeOllama(options.ollama);
    t.openai = await startFakeOpenAI();
    t.h = await startGateway(t.config());
  });
  afterAll(() => stopAll(t.h, t.ollama, t.openai));
  beforeEach(() => resetBetweenTests(t.h, [t.ollama, t.openai], t.config()));
  return t;
}
