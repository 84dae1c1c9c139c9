/**
 * Claude Code's billing line (`x-anthropic-billing-header: ...; cch=<a hash of this request>;`) as
 * the first block of every request's `system`. Passed on, it made every request's prompt differ from
 * its first tokens, so a local model's prompt cache (Ollama, llama.cpp, vLLM) matched nothing and
 * read Claude Code's whole system prompt again every turn (vllm-mlx measured 50 s against 3.6 s a
 * turn). Every upstream but Anthropic's own API now gets the request without it.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withoutBillingHeader } from '../../gateway/wire/billing-header';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

let ollama: FakeServer, openai: FakeServer, kimi: FakeServer, h: Harness;
const config = () => ({
  version: 1,
  providers: [
    { name: 'local', kind: 'ollama', baseUrl: ollama.url, apis: ['chat', 'messages'] },
    { name: 'vllm', kind: 'openai', baseUrl: `${openai.url}/v1` },
    // An Anthropic-compatible API that is not Anthropic's (Kimi's, DeepSeek's, MiniMax's).
    { name: 'kimi', kind: 'anthropic', baseUrl: kimi.url, apiKey: 'env:TEST_KEY' },
  ],
  deployments: [
    { name: 'qwen', provider: 'local', model: 'qwen3:8b' },
    { name: 'coder', provider: 'vllm', model: 'qwen3-coder' },
    { name: 'k2', provider: 'kimi', model: 'kimi-k2.6' },
  ],
  routes: [],
});
beforeAll(async () => {
  [ollama, openai, kimi] = await Promise.all([startFakeOllama({ version: '0.14.0', models: ['qwen3:8b'] }), startFakeOpenAI(), startFakeAnthropic()]);
  h = await startGateway(config());
});
afterAll(() => stopAll(h, ollama, openai, kimi));
beforeEach(() => resetBetweenTests(h, [ollama, openai, kimi], config()));

const PROMPT = "You are Claude Code, Anthropic's official CLI for Claude.";
// Two turns of one session, as Claude Code 2.1 sends them: the hash differs, nothing else does.
const turn = (model: string, cch: string) =>
  new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 }).messages.create({
    model,
    max_tokens: 100,
    system: [
      { type: 'text', text: `x-anthropic-billing-header: cc_version=2.1.285.3c7; cc_entrypoint=cli; cch=${cch};` },
      { type: 'text', text: PROMPT, cache_control: { type: 'ephemeral' } },
    ],
    messages: [{ role: 'user', content: 'hi' }],
  });

describe("Claude Code's billing line", () => {
  it('never reaches a server that is not Anthropic, so two turns share their prompt from the first token', async () => {
    for (const [model, fake, path] of [['qwen', ollama, '/v1/messages'], ['k2', kimi, '/v1/messages'], ['coder', openai, '/v1/chat/completions']] as const) {
      await turn(model, '71fea');
      await turn(model, '0aaa9');
      const sent = fake.requests.filter((r) => r.path === path).map((r) => JSON.stringify(r.body.system ?? r.body.messages[0]));
      expect(sent, model).toHaveLength(2);
      expect(sent[0], model).toBe(sent[1]);
      expect(sent[0], model).not.toContain('billing-header');
      expect(sent[0], model).toContain('official CLI for Claude');
    }
  });

  it('is taken out of a system given as text too, and nothing else is', () => {
    expect(withoutBillingHeader({ system: `x-anthropic-billing-header: cc_version=2.1.1; cch=1;\n${PROMPT}` })).toEqual({ system: PROMPT });
    const plain = { system: [{ type: 'text', text: PROMPT }] };
    expect(withoutBillingHeader(plain)).toBe(plain);
  });
});
