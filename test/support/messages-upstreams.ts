/**
 * The three kinds of deployment a Messages request reaches: a chat API it is translated to (`qwen`
 * on a vLLM-like OpenAI fake), Anthropic's own (`sonnet`), and an Ollama's own Messages API
 * (`gemma`), with a gateway in front and the Anthropic SDK calling it. `useMessagesUpstreams`
 * registers a file's hooks (start before its tests, a fresh config and healthy fakes before each,
 * stop after) and returns what the tests use, filled in once they begin.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startFakeAnthropic } from './fake-anthropic';
import { startFakeOllama } from './fake-ollama';
import { startFakeOpenAI } from './fake-openai';
import type { FakeServer } from './fake-server';
import { resetBetweenTests, startGateway, stopAll, type Harness } from './harness';

export interface MessagesUpstreams {
  openai: FakeServer;
  anthropic: FakeServer;
  ollama: FakeServer;
  h: Harness;
  client: Anthropic;
  /** The config each test starts from. */
  config(): { version: number; providers: object[]; deployments: object[]; routes: object[] };
}

export function useMessagesUpstreams(routes: { name: string; deployments: string[] }[] = []): MessagesUpstreams {
  const up = {} as MessagesUpstreams;
  const config = (up.config = () => ({
    version: 1,
    providers: [
      { name: 'vllm', kind: 'openai', baseUrl: `${up.openai.url}/v1`, local: true },
      { name: 'claude', kind: 'anthropic', baseUrl: up.anthropic.url, apiKey: 'env:TEST_KEY' },
      { name: 'local', kind: 'ollama', baseUrl: up.ollama.url, apis: ['messages'] },
    ],
    deployments: [
      { name: 'qwen', provider: 'vllm', model: 'qwen3-coder' },
      { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5' },
      { name: 'gemma', provider: 'local', model: 'gemma3:12b' },
    ],
    routes,
  }));
  beforeAll(async () => {
    [up.openai, up.anthropic, up.ollama] = await Promise.all([startFakeOpenAI(), startFakeAnthropic(), startFakeOllama({ version: '0.14.0', models: ['gemma3:12b'] })]);
    up.h = await startGateway(config());
    up.client = new Anthropic({ baseURL: up.h.url, apiKey: 'any', maxRetries: 0 });
  });
  afterAll(() => stopAll(up.h, up.openai, up.anthropic, up.ollama));
  beforeEach(() => resetBetweenTests(up.h, [up.openai, up.anthropic, up.ollama], config()));
  return up;
}
