/**
 * Claude Code from 2.1.154 on sends its reminders as system messages inside `messages`
 * (Anthropic's mid-conversation system messages). Claude 4.8 on takes them in place; older Claude
 * models, Ollama's Messages API and chat templates do not, so a route that sent Claude Code to any
 * of them was refused every turn. Each fake refuses what its upstream refuses.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

let anthropic: FakeServer;
let ollama: FakeServer;
let openai: FakeServer;
let h: Harness;

const config = () => ({
  version: 1,
  providers: [
    { name: 'claude', kind: 'anthropic', baseUrl: anthropic.url, apiKey: 'env:TEST_KEY' },
    { name: 'local', kind: 'ollama', baseUrl: ollama.url, apis: ['chat', 'messages'] },
    { name: 'cloud', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY' },
  ],
  deployments: [
    { name: 'sonnet-4-6', provider: 'claude', model: 'claude-sonnet-4-6' },
    { name: 'opus-4-8', provider: 'claude', model: 'claude-opus-4-8' },
    { name: 'qwen', provider: 'local', model: 'qwen3:8b' },
    { name: 'oss', provider: 'local', model: 'gpt-oss:20b' },
    { name: 'gpt', provider: 'cloud', model: 'gpt-4.1-mini' },
  ],
  routes: [],
});

beforeAll(async () => {
  [anthropic, ollama, openai] = await Promise.all([startFakeAnthropic(), startFakeOllama({ version: '0.14.0', models: ['qwen3:8b', 'gpt-oss:20b'] }), startFakeOpenAI()]);
  h = await startGateway(config(), { env: { TEST_KEY: 'sk-test' } });
});
afterAll(() => stopAll(h, anthropic, ollama, openai));
beforeEach(() => resetBetweenTests(h, [anthropic, ollama, openai], config()));

const reminder = 'The user opened shot.png in the IDE.';
// As Claude Code sends it: its prompt on top, a reminder after the user's turn.
const claudeCode = (model: string, messages?: unknown[]) =>
  fetch(`${h.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model, max_tokens: 100, system: [{ type: 'text', text: 'You are Claude Code.' }], messages: messages ?? [{ role: 'user', content: 'hi' }, { role: 'system', content: reminder }] }),
  });
const roles = (fake: FakeServer) => (fake.requests.at(-1)?.body.messages as { role: string }[]).map((m) => m.role);

describe("Claude Code's system messages inside the conversation", () => {
  it('go in place to Claude 4.8 on, which takes them', async () => {
    expect((await claudeCode('opus-4-8')).status).toBe(200);
    expect(roles(anthropic)).toEqual(['user', 'system']);
  });

  it('join the user turn before them as a reminder for an older Claude and for Ollama', async () => {
    for (const [model, fake] of [['sonnet-4-6', anthropic], ['qwen', ollama]] as const) {
      expect((await claudeCode(model)).status).toBe(200);
      expect(roles(fake)).toEqual(['user']);
      // Ollama joins a turn's text blocks with nothing between: the first ends with a line break for it.
      expect(fake.requests.at(-1)?.body.messages[0].content).toEqual([{ type: 'text', text: fake === ollama ? 'hi\n' : 'hi' }, { type: 'text', text: `<system-reminder>\n${reminder}\n</system-reminder>` }]);
      expect(fake.requests.at(-1)?.body.system).toEqual([{ type: 'text', text: 'You are Claude Code.' }]);
    }
  });

  it('reach a chat model with one system message, first, and the reminder in the user turn', async () => {
    expect((await claudeCode('gpt')).status).toBe(200);
    expect(openai.requests[0]?.body.messages).toEqual([
      { role: 'system', content: 'You are Claude Code.' },
      { role: 'user', content: `hi\n<system-reminder>\n${reminder}\n</system-reminder>` },
    ]);
  });

  it('join the top-level system when they come first, and the turn of tool results before them', async () => {
    const tool = [{ name: 'Read', input_schema: { type: 'object' } }];
    const messages = [
      { role: 'system', content: 'Plan mode is on.' },
      { role: 'user', content: 'read it' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Read', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'text' }] },
      { role: 'system', content: [{ type: 'text', text: reminder }] },
    ];
    const res = await fetch(`${h.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: JSON.stringify({ model: 'sonnet-4-6', max_tokens: 100, tools: tool, messages }) });
    expect(res.status).toBe(200);
    const sent = anthropic.requests.at(-1)!.body;
    expect(sent.system).toEqual([{ type: 'text', text: 'Plan mode is on.' }]);
    expect(roles(anthropic)).toEqual(['user', 'assistant', 'user']);
    expect(sent.messages[2].content.at(-1)).toEqual({ type: 'text', text: `<system-reminder>\n${reminder}\n</system-reminder>` });
  });

  it("join Ollama's system prompt as blocks that do not run together", async () => {
    const messages = [{ role: 'system', content: 'Plan mode is on.' }, { role: 'user', content: 'hi' }];
    expect((await claudeCode('qwen', messages)).status).toBe(200);
    // Ollama joins the system prompt's blocks with nothing between: "You are Claude Code.Plan mode is on."
    expect(ollama.requests.at(-1)?.body.system).toEqual([{ type: 'text', text: 'You are Claude Code.\n' }, { type: 'text', text: 'Plan mode is on.' }]);
    expect((await claudeCode('sonnet-4-6', messages)).status).toBe(200);
    expect(anthropic.requests.at(-1)?.body.system).toEqual([{ type: 'text', text: 'You are Claude Code.' }, { type: 'text', text: 'Plan mode is on.' }]);
  });

  it("carry Claude Code's per-turn effort to a model that does not take them in place", async () => {
    // A directive with no text, for the turns after it (beta per-turn-control-2026-07-01).
    const messages = [
      { role: 'user', content: 'think hard about this' },
      { role: 'assistant', content: 'Done.' },
      { role: 'system', content: [], output_config: { effort: 'low' } },
      { role: 'user', content: 'now just say ok' },
    ];
    const ask = (model: string) =>
      fetch(`${h.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'anthropic-beta': 'per-turn-control-2026-07-01' },
        body: JSON.stringify({ model, max_tokens: 100, thinking: { type: 'adaptive' }, output_config: { effort: 'high' }, messages }),
      });
    expect((await ask('opus-4-8')).status).toBe(200);
    expect([roles(anthropic), anthropic.requests.at(-1)?.body.output_config]).toEqual([['user', 'assistant', 'system', 'user'], { effort: 'high' }]);
    expect((await ask('sonnet-4-6')).status).toBe(200);
    expect([roles(anthropic), anthropic.requests.at(-1)?.body.output_config]).toEqual([['user', 'assistant', 'user'], { effort: 'low' }]);
    // An Ollama model that thinks in levels (the others take none: efforts.test.ts).
    expect((await ask('oss')).status).toBe(200);
    expect([roles(ollama), ollama.requests.at(-1)?.body.output_config]).toEqual([['user', 'assistant', 'user'], { effort: 'low' }]);
    await h.gateway.applyConfig({ ...config(), deployments: [...config().deployments, { name: 'o4', provider: 'cloud', model: 'o4-mini' }] }, 'test');
    expect((await ask('o4')).status).toBe(200);
    expect(openai.requests.at(-1)?.body.reasoning_effort).toBe('low');
  });
});
