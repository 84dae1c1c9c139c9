/**
 * A reasoning effort through every front door reaches each upstream as the nearest effort its model
 * has: Claude Code's `max` and `xhigh` are not cut to `high` on the way to a model that has more,
 * and never cost a 400 on one that has less. Each fake refuses what its upstream refuses: OpenAI
 * an effort the model lacks (listing the ones it has), Ollama any level but low to high, and a level
 * at all from a model that thinks on or off.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

let openai: FakeServer;
let ollama: FakeServer;
let anthropic: FakeServer;
let h: Harness;

const config = () => ({
  version: 1,
  providers: [
    { name: 'openai', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY' },
    { name: 'openai-responses', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY', apis: ['chat', 'responses'] },
    { name: 'local', kind: 'ollama', baseUrl: ollama.url, apis: ['chat', 'responses'] },
    { name: 'local-messages', kind: 'ollama', baseUrl: ollama.url, apis: ['messages'] },
    { name: 'claude', kind: 'anthropic', baseUrl: anthropic.url, apiKey: 'env:TEST_KEY' },
  ],
  deployments: [
    { name: 'gpt', provider: 'openai', model: 'gpt-5.5' },
    { name: 'o3', provider: 'openai', model: 'o3' },
    // An OpenRouter model that always reasons: it refuses `none`.
    { name: 'ox', provider: 'openai', model: 'stealth/ox-alpha' },
    { name: 'gpt-native', provider: 'openai-responses', model: 'gpt-5.5' },
    { name: 'oss', provider: 'local', model: 'gpt-oss:20b' },
    { name: 'qwen', provider: 'local', model: 'qwen3:8b' },
    { name: 'oss-messages', provider: 'local-messages', model: 'gpt-oss:20b' },
    { name: 'qwen-messages', provider: 'local-messages', model: 'qwen3:8b' },
    { name: 'gemma-messages', provider: 'local-messages', model: 'gemma3:12b', capabilities: ['completion', 'vision'] },
    { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-6' },
    { name: 'opus', provider: 'claude', model: 'claude-opus-4-7' },
  ],
  routes: [],
});

beforeAll(async () => {
  [openai, ollama, anthropic] = await Promise.all([startFakeOpenAI(), startFakeOllama({ version: '0.14.0', models: ['gpt-oss:20b', 'qwen3:8b', 'gemma3:12b'] }), startFakeAnthropic()]);
  h = await startGateway(config(), { env: { TEST_KEY: 'sk-test' } });
});
afterAll(() => stopAll(h, openai, ollama, anthropic));
beforeEach(() => resetBetweenTests(h, [openai, ollama, anthropic], config()));

const post = (path: string, body: Record<string, unknown>) => fetch(`${h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: JSON.stringify(body) });
const claudeCode = (model: string, effort: string) => post('/v1/messages', { model, max_tokens: 20_000, thinking: { type: 'adaptive' }, output_config: { effort }, messages: [{ role: 'user', content: 'think hard' }] });
const chat = (model: string, effort: string) => post('/v1/chat/completions', { model, reasoning_effort: effort, messages: [{ role: 'user', content: 'think' }] });
const efforts = (fake: FakeServer, read: (body: Record<string, unknown>) => unknown) => fake.requests.map((r) => read(r.body as Record<string, unknown>));

describe("Claude Code's effort on an OpenAI model", () => {
  it('goes as max, and after the model refuses it (listing its own), as its most: xhigh, asked at once from then on', async () => {
    expect((await claudeCode('gpt', 'max')).status).toBe(200);
    expect((await claudeCode('gpt', 'max')).status).toBe(200);
    expect(efforts(openai, (b) => b.reasoning_effort)).toEqual(['max', 'xhigh', 'xhigh']);
  });

  it('goes as xhigh where the model has it, not cut to high', async () => {
    expect((await claudeCode('gpt', 'xhigh')).status).toBe(200);
    expect(efforts(openai, (b) => b.reasoning_effort)).toEqual(['xhigh']);
  });
});

describe("a chat client's effort", () => {
  it("goes to a model that always reasons (OpenRouter: \"Reasoning is mandatory for this endpoint\") without its none, and as asked otherwise", async () => {
    expect((await chat('ox', 'none')).status).toBe(200);
    expect((await chat('ox', 'none')).status).toBe(200);
    expect((await chat('ox', 'high')).status).toBe(200);
    // Refused once: then `none` goes left out (the model reasons as it must), every other effort as asked.
    expect(efforts(openai, (b) => b.reasoning_effort)).toEqual(['none', undefined, undefined, 'high']);
  });

  it('goes to a model without it as the nearest it lists: minimal as low, then xhigh as high at once (o3)', async () => {
    expect((await chat('o3', 'minimal')).status).toBe(200);
    expect((await chat('o3', 'xhigh')).status).toBe(200);
    // The first refusal listed o3's efforts: the second request is sent as it takes it.
    expect(efforts(openai, (b) => b.reasoning_effort)).toEqual(['minimal', 'low', 'high']);
  });

  it("goes to Ollama as gpt-oss's nearest level, and as thinking on to a model without levels", async () => {
    for (const effort of ['minimal', 'xhigh', 'max']) expect((await chat('oss', effort)).status).toBe(200);
    expect((await chat('qwen', 'max')).status).toBe(200);
    expect(efforts(ollama, (b) => b.think)).toEqual(['low', 'high', 'high', true]);
  });

  it("goes to Claude as the nearest its model has: max to Opus 4.7 as max, xhigh to Sonnet 4.6 as high", async () => {
    expect((await chat('opus', 'max')).status).toBe(200);
    expect((await chat('sonnet', 'xhigh')).status).toBe(200);
    expect(efforts(anthropic, (b) => (b.output_config as { effort?: string } | undefined)?.effort)).toEqual(['max', 'high']);
    expect(anthropic.requests.length).toBe(2);
  });
});

describe("Codex's effort passed through to OpenAI's Responses API", () => {
  it('goes as asked, and after the model refuses it (listing its own), as the nearest: max as xhigh, asked at once from then on', async () => {
    const codex = () => post('/v1/responses', { model: 'gpt-native', input: 'think', reasoning: { effort: 'max', summary: 'auto' }, store: false });
    expect((await codex()).status).toBe(200);
    expect((await codex()).status).toBe(200);
    expect(efforts(openai, (b) => b.reasoning)).toEqual([{ effort: 'max', summary: 'auto' }, { effort: 'xhigh', summary: 'auto' }, { effort: 'xhigh', summary: 'auto' }]);
  });
});

describe("Codex's effort passed through to Ollama's Responses API", () => {
  it("goes as gpt-oss's nearest level, and is left out for a model without levels", async () => {
    const codex = (model: string, effort: string) => post('/v1/responses', { model, input: 'think', reasoning: { effort }, store: false });
    expect((await codex('oss', 'xhigh')).status).toBe(200);
    expect((await codex('qwen', 'xhigh')).status).toBe(200);
    expect(efforts(ollama, (b) => (b.reasoning as { effort?: string } | undefined)?.effort)).toEqual(['high', undefined]);
  });
});

describe("Claude Code's effort passed through to Ollama's Messages API", () => {
  // Its Messages API makes the effort a thinking level where thinking is adaptive, as Claude Code sends it.
  it("goes as gpt-oss's nearest level, and is left out for a model without levels and for one that does not think", async () => {
    for (const [model, effort] of [['oss-messages', 'max'], ['qwen-messages', 'high'], ['gemma-messages', 'low']]) expect((await claudeCode(model!, effort!)).status).toBe(200);
    expect(efforts(ollama, (b) => [b.model, b.thinking, b.output_config])).toEqual([
      ['gpt-oss:20b', { type: 'adaptive' }, { effort: 'high' }],
      ['qwen3:8b', { type: 'adaptive' }, {}],
      ['gemma3:12b', undefined, {}],
    ]);
  });
});
