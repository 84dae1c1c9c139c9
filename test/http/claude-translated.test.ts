/**
 * What a chat client's request (Cline, Codex translated, an Ollama client) gets on a Claude model.
 * Prompt caching: Anthropic caches only when asked, OpenAI and the rest unasked; the conversation is
 * resent whole every turn, so without the ask it paid the full input price for all of it every turn.
 * Translated requests ask (top-level `cache_control`, which marks the last block) and the cached
 * tokens are priced as such; the fake Anthropic reads a marked prompt from its cache. An answer cap:
 * such clients send none and OpenAI gives the model's most, where 4,096 cut an agent's edits off.
 * And what a Messages client's own hour-long cache marks cost: Anthropic bills those writes at twice
 * the input price, where they were priced as 5-minute writes (1.25 times).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

let anthropic: FakeServer;
let h: Harness;

const config = () => ({
  version: 1,
  providers: [{ name: 'claude', kind: 'anthropic', baseUrl: anthropic.url, apiKey: 'env:TEST_KEY' }],
  deployments: [
    { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5', pricing: { inputPerMTok: 3, outputPerMTok: 15, cacheReadPerMTok: 0.3, cacheWritePerMTok: 3.75 } },
    { name: 'haiku-3-5', provider: 'claude', model: 'claude-3-5-haiku-latest' },
    { name: 'opus', provider: 'claude', model: 'claude-opus-4-6' },
    // Another vendor's model behind a Messages API: asked for nothing it may not know.
    { name: 'other', provider: 'claude', model: 'deepseek-chat' },
  ],
  routes: [],
});

beforeAll(async () => {
  anthropic = await startFakeAnthropic();
  h = await startGateway(config(), { env: { TEST_KEY: 'sk-test' } });
});
afterAll(() => stopAll(h, anthropic));
beforeEach(() => resetBetweenTests(h, [anthropic], config()));

describe("a chat client's conversation on Claude", () => {
  it('asks Anthropic to cache it, and is charged the cached price for what was read', async () => {
    const since = Date.now() - 1;
    const answer = await h.openai.chat.completions.create({ model: 'sonnet', messages: [{ role: 'system', content: 'You are Cline.' }, { role: 'user', content: 'hello' }] });
    expect(anthropic.requests[0]?.body.cache_control).toEqual({ type: 'ephemeral' });
    // The fake read 80 prompt tokens from its cache and wrote 20, beside 12 uncached.
    expect(answer.usage).toMatchObject({ prompt_tokens: 112, prompt_tokens_details: { cached_tokens: 80 } });
    const row = [...h.gateway.usage.iterate({ since })].at(-1)!;
    expect(row).toMatchObject({ inputTokens: 112, cacheReadTokens: 80, cacheWriteTokens: 20 });
    expect(row.cost).toBeCloseTo((12 * 3 + 80 * 0.3 + 20 * 3.75 + row.outputTokens! * 15) / 1e6, 10);
  });

  it('asks nothing of another vendor\'s model behind a Messages API', async () => {
    await h.openai.chat.completions.create({ model: 'other', messages: [{ role: 'user', content: 'hello' }] });
    expect(anthropic.requests[0]?.body).not.toHaveProperty('cache_control');
  });

  it("is capped, when the client sets no cap, at Claude Code's 32,000 tokens within the model's most, and 4,096 elsewhere", async () => {
    for (const model of ['sonnet', 'haiku-3-5', 'other']) await h.openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'hello' }] });
    expect(anthropic.requests.map((r) => r.body.max_tokens)).toEqual([32_000, 8_192, 4_096]);
    await h.openai.chat.completions.create({ model: 'sonnet', max_tokens: 100, messages: [{ role: 'user', content: 'hello' }] });
    expect(anthropic.requests.at(-1)?.body.max_tokens).toBe(100);
  });
});

describe('thinking through a tool loop on Claude', () => {
  const f = { type: 'function' as const, name: 'f', parameters: { type: 'object', properties: {} }, strict: false };
  const thinks = () => anthropic.requests.map((r) => r.body.thinking?.type ?? 'none');
  // Codex: the Responses API, reasoning asked every turn, the history resent with each request.
  const codex = (model: string, input: unknown, stream = false) =>
    h.openai.responses.create({ model, reasoning: { effort: 'low' }, include: ['reasoning.encrypted_content'], store: false, stream, tools: [f], input: input as never }) as never;
  const loop = async (model: string, stream: boolean) => {
    let first: { output: Record<string, unknown>[] };
    if (stream) {
      const events = (await codex(model, [{ role: 'user', content: 'call f' }], true)) as AsyncIterable<{ type: string; response?: { output: Record<string, unknown>[] } }>;
      let done: { output: Record<string, unknown>[] } | undefined;
      for await (const event of events) if (event.type === 'response.completed') done = event.response;
      first = done!;
    } else first = await codex(model, [{ role: 'user', content: 'call f' }]);
    const call = first.output.find((o) => o.type === 'function_call');
    return [{ role: 'user', content: 'call f' }, ...first.output, { type: 'function_call_output', call_id: call?.call_id, output: 'ok' }];
  };

  it("hands Codex Claude's signed thinking as encrypted reasoning and back to Claude, so each step of a tool loop thinks", async () => {
    for (const stream of [false, true]) {
      anthropic.requests.length = 0;
      const history = await loop('sonnet', stream);
      const reasoning = history.find((o) => (o as { type?: string }).type === 'reasoning') as { encrypted_content?: string; summary: { text: string }[] };
      expect(reasoning.encrypted_content).toMatch(/^switchyard-thinking-v1:/);
      const second: { output: { type: string }[] } = await codex('sonnet', history);
      expect(second.output.map((o) => o.type)).toContain('message');
      // The step after the tool call began with the thinking Claude signed, and thought again.
      const sent = anthropic.requests[1]?.body.messages[1].content;
      expect(sent[0]).toMatchObject({ type: 'thinking', thinking: reasoning.summary[0]?.text, signature: expect.any(String) });
      expect(sent[1]).toMatchObject({ type: 'tool_use' });
      expect(thinks()).toEqual(['enabled', 'enabled']);
    }
  });

  it('goes without thinking in a step whose thinking is lost: a chat client, or a route that moved to another Claude', async () => {
    // A chat client with reasoning_effort (Cline, opencode) keeps no signatures: Anthropic refused every step after a tool call.
    const chat = await h.openai.chat.completions.create({
      model: 'sonnet',
      reasoning_effort: 'low',
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} } } }],
      messages: [{ role: 'user', content: 'call f' }, { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }] }, { role: 'tool', tool_call_id: 'call_1', content: 'ok' }],
    });
    expect(chat.choices[0]?.message.content).toBe('The tool said: ok');
    expect(chat.choices[0]?.message).not.toHaveProperty('signed_thinking');
    expect(thinks()).toEqual(['none']);

    // Sonnet signed the thinking; Opus refuses it, and the step is sent again without it.
    anthropic.requests.length = 0;
    const history = await loop('sonnet', false);
    const second: { output: { type: string }[] } = await codex('opus', history);
    expect(second.output.map((o) => o.type)).toContain('message');
    expect(thinks()).toEqual(['enabled', 'adaptive', 'none']);
    expect(anthropic.requests[2]?.body.messages[1].content[0].type).toBe('tool_use');
  });
});

describe("Claude Code's hour-long cache marks, passed through", () => {
  it('are priced as Anthropic bills them: written for an hour at twice the input price, not the 5-minute rate', async () => {
    for (const stream of [false, true]) {
      const since = Date.now() - 1;
      const res = await fetch(`${h.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({ model: 'sonnet', max_tokens: 100, stream, system: [{ type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral', ttl: '1h' } }], messages: [{ role: 'user', content: 'hello' }] }),
      });
      await res.text();
      const row = [...h.gateway.usage.iterate({ since })].at(-1)!;
      expect(row).toMatchObject({ inputTokens: 112, cacheReadTokens: 80, cacheWriteTokens: 20 });
      expect(row.cost).toBeCloseTo((12 * 3 + 80 * 0.3 + 20 * 3 * 2 + row.outputTokens! * 15) / 1e6, 10);
    }
  });
});

describe('a text that is not a string, passed through to Claude', () => {
  it("gets Anthropic's own refusal, as the gateway refuses it where it translates", async () => {
    const messages = [{ role: 'user', content: 'hi' }, { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'f', input: {} }] }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: { a: 1 } }] }] }];
    const res = await fetch(`${h.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: JSON.stringify({ model: 'sonnet', max_tokens: 100, messages }) });
    expect([res.status, await res.json()]).toEqual([400, { type: 'error', error: { type: 'invalid_request_error', message: 'messages.2.content.0.tool_result.content.0.text.text: Input should be a valid string' }, request_id: expect.stringMatching(/^req_/) }]);
  });
});

describe("a chat client's tool_choice on Claude", () => {
  const tool = (name: string) => ({ type: 'function' as const, function: { name, parameters: { type: 'object', properties: {} } } });
  const ask = (tool_choice: unknown) => h.openai.chat.completions.create({ model: 'sonnet', messages: [{ role: 'user', content: 'go' }], tools: [tool('a'), tool('b'), tool('c')], tool_choice: tool_choice as never });
  const sent = () => anthropic.requests.map((r) => [(r.body.tools as { name: string }[] | undefined)?.map((t) => t.name), r.body.tool_choice]);

  it('forces a named tool with every tool offered, and offers only allowed_tools, which Anthropic has not', async () => {
    await ask({ type: 'function', function: { name: 'b' } });
    await ask({ type: 'allowed_tools', allowed_tools: { mode: 'required', tools: [{ type: 'function', function: { name: 'a' } }, { type: 'function', function: { name: 'c' } }] } });
    await ask({ type: 'allowed_tools', allowed_tools: { mode: 'auto', tools: [{ type: 'function', function: { name: 'c' } }] } });
    await ask('none');
    expect(sent()).toEqual([
      [['a', 'b', 'c'], { type: 'tool', name: 'b' }],
      [['a', 'c'], { type: 'any' }],
      [['c'], undefined],
      [['a', 'b', 'c'], { type: 'none' }],
    ]);
  });

  it('forces the call without thinking, which Anthropic refuses beside a forced choice, and thinks when the model may choose', async () => {
    const withEffort = (tool_choice: unknown) => h.openai.chat.completions.create({ model: 'sonnet', messages: [{ role: 'user', content: 'go' }], tools: [tool('a')], tool_choice: tool_choice as never, reasoning_effort: 'high' });
    expect((await withEffort('required')).choices[0]?.finish_reason).toBe('tool_calls');
    expect((await withEffort({ type: 'function', function: { name: 'a' } })).choices[0]?.finish_reason).toBe('tool_calls');
    await withEffort('auto');
    expect(anthropic.requests.map((r) => [r.body.tool_choice?.type, r.body.thinking?.type])).toEqual([
      ['any', undefined],
      ['tool', undefined],
      [undefined, 'enabled'],
    ]);
  });

  it('reads a malformed choice as none rather than failing the request', async () => {
    const answer = await ask({ type: 'function', function: null });
    expect(answer.choices[0]?.finish_reason).toBe('tool_calls');
    expect(sent()).toEqual([[['a', 'b', 'c'], undefined]]);
  });
});

describe('the other front doors on a Claude deployment', () => {
  it('serves a chat completion and an Ollama /api/chat from an Anthropic deployment', async () => {
    const chat = await h.openai.chat.completions.create({ model: 'sonnet', messages: [{ role: 'user', content: 'hi' }] });
    expect(chat.choices[0]?.message.content).toBe('Echo: hi');
    const sent = anthropic.requests.at(-1)?.body;
    expect(sent).toMatchObject({ model: 'claude-sonnet-4-5', max_tokens: 32_000, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] });
    const stream = await h.openai.chat.completions.create({ model: 'sonnet', stream: true, tools: ['weather', 'time'].map((name) => ({ type: 'function' as const, function: { name, description: `${name} in a city`, parameters: { type: 'object', properties: { city: { type: 'string' } } } } })), messages: [{ role: 'user', content: 'call both' }] });
    const calls = new Map<number, { name: string; args: string }>();
    for await (const chunk of stream) {
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
        const entry = calls.get(call.index) ?? { name: '', args: '' };
        entry.name += call.function?.name ?? '';
        entry.args += call.function?.arguments ?? '';
        calls.set(call.index, entry);
      }
    }
    expect([...calls.values()].map((c) => [c.name, JSON.parse(c.args)])).toEqual([['weather', { city: 'Paris' }], ['time', { city: 'Tokyo' }]]);
    const ollamaAnswer = await h.ollama.chat({ model: 'sonnet', messages: [{ role: 'user', content: 'hello' }], stream: false });
    expect(ollamaAnswer.message.content).toBe('Echo: hello');
  });
});
