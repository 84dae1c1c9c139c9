/**
 * Claude Code reads its context's size from `message_start` (its display, and its auto-compaction
 * where `message_delta` gives none). A Messages answer translated from another upstream (Ollama, an
 * OpenAI-compatible server), which counts the prompt only at the end, started with zero input tokens:
 * a conversation outgrowing a local model showed an empty context and was never compacted. It now
 * starts with the gateway's estimate of the prompt, and `message_delta` gives the upstream's count.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, type Harness } from '../support/harness';

let ollama: FakeServer, vllm: FakeServer, anthropic: FakeServer, h: Harness;

beforeAll(async () => {
  [ollama, vllm, anthropic] = await Promise.all([startFakeOllama({ promptEvalCount: 2_345 }), startFakeOpenAI({ promptTokens: 2_345 }), startFakeAnthropic()]);
  h = await startGateway({
    version: 1,
    providers: [
      { name: 'local', kind: 'ollama', baseUrl: ollama.url },
      { name: 'vllm', kind: 'openai', baseUrl: `${vllm.url}/v1`, local: true },
      { name: 'claude', kind: 'anthropic', baseUrl: anthropic.url, apiKey: 'env:TEST_KEY' },
    ],
    deployments: [
      { name: 'qwen', provider: 'local', model: 'llama3.2:3b' },
      { name: 'served', provider: 'vllm', model: 'qwen3-coder' },
      { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5' },
    ],
    routes: [],
  });
});
afterAll(() => stopAll(h, ollama, vllm, anthropic));

// About 2,000 tokens: a thousand two-word lines.
const prompt = Array.from({ length: 1_000 }, (_, i) => `line ${i}`).join('\n');
const request = (model: string) => ({ model, max_tokens: 100, stream: true, system: 'You are Claude Code.', messages: [{ role: 'user' as const, content: prompt }] });

async function events(model: string): Promise<{ type: string; message?: { usage: { input_tokens: number } }; usage?: { input_tokens: number } }[]> {
  const res = await fetch(`${h.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: JSON.stringify(request(model)) });
  const text = await res.text();
  return text.split('\n').filter((line) => line.startsWith('data: ')).map((line) => JSON.parse(line.slice(6)));
}

describe.each(['qwen', 'served'])('a Messages stream translated from another upstream (%s)', (model) => {
  it("starts with the gateway's estimate of the prompt, and ends with the upstream's count", async () => {
    const all = await events(model);
    const start = all.find((e) => e.type === 'message_start')?.message?.usage.input_tokens ?? 0;
    expect(start).toBeGreaterThan(1_500);
    expect(start).toBeLessThan(4_000);
    expect(all.find((e) => e.type === 'message_delta')?.usage?.input_tokens).toBe(2_345);

    // The official client's accumulated message takes the upstream's count from message_delta.
    const client = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
    const message = await client.messages.stream({ ...request(model), stream: undefined }).finalMessage();
    expect(message.usage.input_tokens).toBe(2_345);
  });
});

describe("an Anthropic upstream's own stream", () => {
  it('keeps its message_start as Anthropic sent it', async () => {
    const all = await events('sonnet');
    expect(anthropic.requests).toHaveLength(1);
    // The fake Anthropic counts 12 input tokens for any prompt (it does not tokenize).
    expect(all.find((e) => e.type === 'message_start')?.message?.usage.input_tokens).toBe(12);
  });
});
