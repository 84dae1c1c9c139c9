/**
 * Reasoning through every front door: a model's thinking reaches chat clients under both names
 * they read (`reasoning_content`, `reasoning`), Messages clients as thinking blocks and Responses
 * clients as reasoning items; reasoning a client sends back is kept for the next turn; Ollama's
 * `think` is set per deployment and per request.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

let ollama: FakeServer;
let deepseek: FakeServer;
let ollamaV1: FakeServer;
let anthropic: FakeServer;
let h: Harness;

const config = () => ({
  version: 1,
  providers: [
    { name: 'local', kind: 'ollama', baseUrl: ollama.url },
    { name: 'deepseek', kind: 'openai', baseUrl: `${deepseek.url}/v1`, apiKey: 'env:TEST_KEY' },
    { name: 'ollama-v1', kind: 'openai', baseUrl: `${ollamaV1.url}/v1` },
    { name: 'claude', kind: 'anthropic', baseUrl: anthropic.url, apiKey: 'env:TEST_KEY' },
  ],
  deployments: [
    { name: 'qwen', provider: 'local', model: 'qwen3:8b' },
    { name: 'llama', provider: 'local', model: 'llama3.2:3b' },
    { name: 'oss-thinks', provider: 'local', model: 'gpt-oss:20b', think: 'high' },
    { name: 'reasoner', provider: 'deepseek', model: 'deepseek-reasoner' },
    { name: 'via-v1', provider: 'ollama-v1', model: 'qwen3:8b' },
    { name: 'sonnet-4-5', provider: 'claude', model: 'claude-sonnet-4-5' },
    { name: 'opus-4-7', provider: 'claude', model: 'claude-opus-4-7' },
  ],
  routes: [],
});

beforeAll(async () => {
  [ollama, deepseek, ollamaV1, anthropic] = await Promise.all([startFakeOllama({ models: ['qwen3:8b', 'llama3.2:3b', 'gpt-oss:20b'] }), startFakeOpenAI({ reasoningField: 'reasoning_content' }), startFakeOpenAI({ reasoningField: 'reasoning' }), startFakeAnthropic()]);
  h = await startGateway(config(), { env: { TEST_KEY: 'sk-test' } });
});
afterAll(() => stopAll(h, ollama, deepseek, ollamaV1, anthropic));
beforeEach(async () => {
  await resetBetweenTests(h, [ollama, deepseek, ollamaV1, anthropic], config());
});

type Reasoned = { reasoning_content?: string; reasoning?: string };

describe('a chat client', () => {
  for (const model of ['qwen', 'reasoner', 'via-v1']) {
    it(`gets ${model}'s reasoning as both reasoning_content and reasoning, whole and streamed`, async () => {
      const whole = await h.openai.chat.completions.create({ model, reasoning_effort: 'low', messages: [{ role: 'user', content: 'why' }] });
      expect(whole.choices[0]?.message as Reasoned).toMatchObject({ reasoning_content: 'Let me think about it.', reasoning: 'Let me think about it.', content: 'Echo: why' });
      const stream = await h.openai.chat.completions.create({ model, reasoning_effort: 'low', stream: true, messages: [{ role: 'user', content: 'why' }] });
      let content = '';
      let reasoning = '';
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta as (Reasoned & { content?: string | null }) | undefined;
        if (delta?.reasoning_content) {
          expect(delta.reasoning).toBe(delta.reasoning_content);
          reasoning += delta.reasoning_content;
        }
        content += delta?.content ?? '';
      }
      expect([reasoning, content]).toEqual(['Let me think about it.', 'Echo: why']);
    });
  }

  it('has the reasoning it sends back kept: as thinking for Ollama, as reasoning_content for DeepSeek', async () => {
    const messages = [
      { role: 'user' as const, content: 'first' },
      { role: 'assistant' as const, content: 'Echo: first', reasoning_content: 'I reasoned before.' },
      { role: 'user' as const, content: 'second' },
    ];
    await h.openai.chat.completions.create({ model: 'qwen', messages } as never);
    expect(ollama.requests.at(-1)?.body.messages[1]).toEqual({ role: 'assistant', content: 'Echo: first', thinking: 'I reasoned before.' });
    await h.openai.chat.completions.create({ model: 'reasoner', messages } as never);
    expect(deepseek.requests.at(-1)?.body.messages[1]).toEqual(messages[1]);
  });

  it('asks Claude to think as each generation takes it: a token budget before 4.6, adaptively after (Opus 4.7 refuses a budget)', async () => {
    const ask = (model: string) => h.openai.chat.completions.create({ model, reasoning_effort: 'high', messages: [{ role: 'user', content: 'why' }] });
    const older = await ask('sonnet-4-5');
    expect(anthropic.requests.at(-1)?.body.thinking).toEqual({ type: 'enabled', budget_tokens: 16384 });
    expect((older.choices[0]?.message as Reasoned).reasoning_content).toBe('Let me think about it.');
    const newer = await ask('opus-4-7');
    expect(anthropic.requests.at(-1)?.body).toMatchObject({ thinking: { type: 'adaptive', display: 'summarized' }, output_config: { effort: 'high' } });
    expect((newer.choices[0]?.message as Reasoned).reasoning_content).toBe('Let me think about it.');
  });

  it('sets think per request (reasoning_effort) over the deployment\'s own default, as a level only where the model takes one', async () => {
    const think = async (model: string, effort?: 'none' | 'low') => {
      await h.openai.chat.completions.create({ model, ...(effort ? { reasoning_effort: effort } : {}), messages: [{ role: 'user', content: 'x' }] });
      return ollama.requests.at(-1)?.body.think;
    };
    expect(await think('oss-thinks')).toBe('high');
    expect(await think('oss-thinks', 'none')).toBe(false);
    expect(await think('oss-thinks', 'low')).toBe('low');
    // qwen3 thinks on or off, and refuses a level ("think value "low" is not supported for this model").
    expect(await think('qwen', 'low')).toBe(true);
  });
});

describe('a model known not to think', () => {
  it('answers an agent that asks for thinking every turn, asked for none, where Ollama would refuse the request', async () => {
    // Before Ollama has described the model (not probed yet, or pulled since), thinking is asked for
    // once: refused, the request goes again without it, and later ones go without it at once.
    const chats = () => ollama.requests.filter((r) => r.path === '/api/chat').map((r) => r.body.think ?? 'none');
    const unknown = await new Anthropic({ baseURL: h.url, apiKey: 'k', maxRetries: 0 }).messages.create({ model: 'llama', max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [{ role: 'user', content: 'why' }] });
    expect(unknown.content).toEqual([expect.objectContaining({ type: 'text', text: 'Echo: why' })]);
    const streamed = await h.openai.chat.completions.create({ model: 'llama', reasoning_effort: 'low', stream: true, messages: [{ role: 'user', content: 'why' }] });
    for await (const chunk of streamed) void chunk;
    expect(chats()).toEqual([true, 'none', 'none']);
    expect(h.gateway.breakers.get('llama').snapshot(Date.now()).state).toBe('closed');
    await h.gateway.health.probeAll();
    const message = await new Anthropic({ baseURL: h.url, apiKey: 'k', maxRetries: 0 }).messages.create({ model: 'llama', max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [{ role: 'user', content: 'why' }] });
    expect(ollama.requests.at(-1)?.body.think).toBeUndefined();
    expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: 'Echo: why' })]);
    // An Ollama client's think, and a Responses client's reasoning, the same.
    const native = await fetch(`${h.url}/api/chat`, { method: 'POST', body: JSON.stringify({ model: 'llama', think: true, stream: false, messages: [{ role: 'user', content: 'why' }] }) });
    expect(native.status).toBe(200);
    expect(ollama.requests.at(-1)?.body.think).toBeUndefined();
    const response = await h.openai.responses.create({ model: 'llama', input: 'why', reasoning: { effort: 'high' } });
    expect(response.output_text).toBe('Echo: why');
    // A model that thinks is still asked to.
    await h.openai.chat.completions.create({ model: 'qwen', reasoning_effort: 'low', messages: [{ role: 'user', content: 'x' }] });
    expect(ollama.requests.at(-1)?.body.think).toBe(true);
  });
});

describe('an Ollama client', () => {
  it('asks a cloud model to reason with think, and hands back its own thinking as reasoning', async () => {
    await h.ollama.chat({
      model: 'reasoner',
      think: true,
      messages: [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'Echo: first', thinking: 'Earlier thoughts.' },
        { role: 'user', content: 'second' },
      ],
      stream: false,
    });
    const sent = deepseek.requests.at(-1)?.body;
    expect(sent.reasoning_effort).toBe('medium');
    expect(sent.messages[1]).toMatchObject({ role: 'assistant', reasoning_content: 'Earlier thoughts.' });
    const answer = await h.ollama.chat({ model: 'reasoner', think: true, messages: [{ role: 'user', content: 'why' }], stream: false });
    expect(answer.message.thinking).toBe('Let me think about it.');
  });

  it("has its thinking level (Open WebUI's for gpt-oss) reach a model without levels as thinking on, which Ollama would refuse", async () => {
    const sentThink = () => ollama.requests.filter((r) => r.path === '/api/chat' || r.path === '/api/generate').map((r) => r.body.think);
    expect((await h.ollama.chat({ model: 'qwen', think: 'high', messages: [{ role: 'user', content: 'why' }], stream: false })).message.thinking).toBe('Let me think about it.');
    expect((await h.ollama.generate({ model: 'qwen', think: 'low', prompt: 'why', stream: false })).response).toBe('Echo: why');
    // gpt-oss takes the level as it is.
    await h.ollama.chat({ model: 'oss-thinks', think: 'low', messages: [{ role: 'user', content: 'why' }], stream: false });
    expect(sentThink()).toEqual([true, true, 'low']);
  });
});

describe('Messages and Responses clients', () => {
  it('get a thinking block of another upstream with a signature, which no history sends to Claude', async () => {
    // Claude Code drops a thinking block that ends without a signature_delta, and the turn with it.
    const raw = await fetch(`${h.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: JSON.stringify({ model: 'reasoner', max_tokens: 4000, stream: true, thinking: { type: 'enabled', budget_tokens: 2000 }, messages: [{ role: 'user', content: 'why' }] }) });
    const events = (await raw.text()).split('\n').filter((l) => l.startsWith('data: ')).map((l) => JSON.parse(l.slice(6)) as { type: string; index?: number; delta?: { type: string; signature?: string } });
    const thinking = events.filter((e) => e.index === 0).map((e) => (e.type === 'content_block_delta' ? e.delta?.type : e.type));
    expect(thinking).toEqual(['content_block_start', 'thinking_delta', 'signature_delta', 'content_block_stop']);
    const signature = events.find((e) => e.delta?.type === 'signature_delta')?.delta?.signature;
    expect(signature).toMatch(/\S/);

    const client = new Anthropic({ baseURL: h.url, apiKey: 'k', maxRetries: 0 });
    const whole = await client.messages.create({ model: 'reasoner', max_tokens: 4000, thinking: { type: 'enabled', budget_tokens: 2000 }, messages: [{ role: 'user', content: 'why' }] });
    expect(whole.content[0]).toMatchObject({ type: 'thinking', signature });

    // A route that went to Claude next: the block is left out of what Claude is sent, not refused there.
    await client.messages.create({ model: 'sonnet-4-5', max_tokens: 4000, messages: [{ role: 'user', content: 'why' }, { role: 'assistant', content: whole.content }, { role: 'user', content: 'and then?' }] });
    expect(anthropic.requests).toHaveLength(1);
    expect(JSON.stringify(anthropic.requests[0]?.body.messages)).not.toContain('"thinking"');
  });

  it('get a DeepSeek model\'s reasoning as a thinking block and as a reasoning item', async () => {
    const client = new Anthropic({ baseURL: h.url, apiKey: 'k', maxRetries: 0 });
    const message = await client.messages.stream({ model: 'reasoner', max_tokens: 4000, thinking: { type: 'enabled', budget_tokens: 2000 }, messages: [{ role: 'user', content: 'why' }] }).finalMessage();
    expect(message.content[0]).toMatchObject({ type: 'thinking', thinking: 'Let me think about it.' });
    const response = await h.openai.responses.create({ model: 'via-v1', input: 'why', reasoning: { effort: 'low' } });
    expect(response.output[0]).toMatchObject({ type: 'reasoning', summary: [{ type: 'summary_text', text: 'Let me think about it.' }] });
  });
});
