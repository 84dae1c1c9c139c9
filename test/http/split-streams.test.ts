/**
 * Upstream streams cut anywhere, as TCP and the proxies between may cut them: every byte in a read
 * of its own, so an SSE event, an NDJSON line and a UTF-8 character (accents, CJK, an emoji) arrive
 * in pieces. Each front door, through the real client of its API, gets the whole text back, from
 * each kind of upstream: passed through where the upstream speaks the API, translated where not.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import type { FakeServer } from '../support/fake-server';
import { startGateway, stopAll, type Harness } from '../support/harness';

const PROMPT = 'héllo 世界 🎉 naïve';
let fakes: FakeServer[];
let h: Harness;

beforeAll(async () => {
  const [ollama, openai, anthropic] = (fakes = await Promise.all([startFakeOllama(), startFakeOpenAI(), startFakeAnthropic()]));
  h = await startGateway(
    {
      version: 1,
      providers: [
        { name: 'local', kind: 'ollama', baseUrl: ollama!.url },
        { name: 'cloud', kind: 'openai', baseUrl: `${openai!.url}/v1`, apiKey: 'env:TEST_KEY', apis: ['chat', 'responses'] },
        { name: 'claude', kind: 'anthropic', baseUrl: anthropic!.url, apiKey: 'env:TEST_KEY' },
      ],
      deployments: [
        { name: 'llama', provider: 'local', model: 'llama3.2:3b' },
        { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' },
        { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5' },
      ],
      routes: [],
    },
    { env: { TEST_KEY: 'sk-test' } },
  );
  for (const fake of fakes) await fake.setMode({ kind: 'byte-at-a-time' });
});
afterAll(() => stopAll(h, ...fakes));

const FRONT_DOORS: Record<string, (model: string) => Promise<string>> = {
  'chat completions': async (model) => {
    let text = '';
    for await (const chunk of await h.openai.chat.completions.create({ model, messages: [{ role: 'user', content: PROMPT }], stream: true })) text += chunk.choices[0]?.delta.content ?? '';
    return text;
  },
  Messages: async (model) => new Anthropic({ baseURL: h.url, apiKey: 'k', maxRetries: 0 }).messages.stream({ model, max_tokens: 100, messages: [{ role: 'user', content: PROMPT }] }).finalText(),
  Responses: async (model) => (await h.openai.responses.stream({ model, input: PROMPT }).finalResponse()).output_text,
  "Ollama's chat": async (model) => {
    let text = '';
    for await (const part of await h.ollama.chat({ model, messages: [{ role: 'user', content: PROMPT }], stream: true })) text += part.message.content;
    return text;
  },
};

describe('an upstream stream that comes a byte at a time', () => {
  for (const [door, ask] of Object.entries(FRONT_DOORS)) {
    it(`reaches a ${door} client whole, from Ollama, an OpenAI server and Anthropic`, async () => {
      for (const model of ['llama', 'mini', 'sonnet']) expect([model, await ask(model)]).toEqual([model, `Echo: ${PROMPT}`]);
      // Each really came in pieces: the fakes answered in their byte-at-a-time mode.
      expect(fakes.every((fake) => fake.requests.length > 0)).toBe(true);
    });
  }
});
