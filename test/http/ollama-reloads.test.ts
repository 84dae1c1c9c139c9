/**
 * A growing conversation on an Ollama deployment with `numCtx: "auto"` (what a first start sets up).
 * Ollama reloads a model for a request whose `num_ctx` differs from the one it runs with, and the
 * reload drops its prompt cache: num_ctx raised in steps of 1,024 changed nearly every turn of a
 * Claude Code session, and a short request in between (no num_ctx) reloaded the default window, so
 * every turn read the whole prompt again. num_ctx now rises a power of two at a time and stays
 * where the model runs for every request that fits it.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startGateway, stopAll, type Harness } from '../support/harness';

let ollama: FakeServer, h: Harness;
beforeAll(async () => {
  ollama = await startFakeOllama();
  h = await startGateway({
    version: 1,
    providers: [{ name: 'local', kind: 'ollama', baseUrl: ollama.url }],
    deployments: [{ name: 'llama', provider: 'local', model: 'llama3.2:3b', numCtx: 'auto', maxNumCtx: 65_536 }],
    routes: [],
  });
});
afterAll(() => stopAll(h, ollama));

describe('num_ctx over a growing conversation', () => {
  it('rises a power of two at a time, never falls back, and a short request in between keeps it', async () => {
    const client = new OpenAI({ baseURL: h.baseUrl, apiKey: 'any', maxRetries: 0 });
    const sent = () => ollama.requests.filter((r) => r.path === '/api/chat').at(-1)?.body.options?.num_ctx as number | undefined;
    const turns: number[] = [];
    for (let turn = 0; turn < 10; turn++) {
      await client.chat.completions.create({ model: 'llama', max_tokens: 1_000, messages: [{ role: 'user', content: 'word '.repeat(4_000 + 2_000 * turn) }] });
      const numCtx = sent() as number;
      turns.push(numCtx);
      // A quick request between turns (a title, a summary) runs on the model as it is loaded.
      await client.chat.completions.create({ model: 'llama', max_tokens: 50, messages: [{ role: 'user', content: 'name this session' }] });
      expect(sent(), `after turn ${turn}`).toBe(numCtx);
    }
    expect(turns.every((n, i) => i === 0 || n >= (turns[i - 1] as number))).toBe(true);
    expect(turns.every((n) => Number.isInteger(Math.log2(n)))).toBe(true);
    // Ten turns from about 5,000 to 30,000 tokens: a reload at most at each doubling.
    expect(new Set(turns).size).toBeLessThanOrEqual(3);
    expect(turns.at(-1)).toBeLessThanOrEqual(65_536);
  });
});
