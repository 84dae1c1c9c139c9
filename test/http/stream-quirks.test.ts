/**
 * OpenAI-compatible servers that answer otherwise than OpenAI, as the gateway meets them upstream:
 * MiniMax on NVIDIA NIM and GLM on Fireworks repeat each call's id and name with every fragment of
 * its arguments; ik_llama.cpp and llama-box end a finished stream without `[DONE]`; llama.cpp's
 * server gave a call's arguments as an object; Ollama's OpenAI API and LiteLLM's bridges number every
 * parallel call 0, and Poolside changes a call's id after its first fragment; Unsloth Studio's server
 * streams an answer asked for whole; OpenCode Zen's muse models end with `[DONE]` and no finish
 * reason; llama.cpp's parser named a call only in its second fragment. Each client API must
 * still get its calls apart, named once
 * with the arguments the model wrote and its answer whole, and a stream closed before any finish
 * reason must still count as cut short.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, type Harness } from '../support/harness';

let nim: FakeServer;
let llama: FakeServer;
let llamaCpp: FakeServer;
let litellm: FakeServer;
let poolside: FakeServer;
let unsloth: FakeServer;
let muse: FakeServer;
let museWhole: FakeServer;
let llamaLate: FakeServer;
let h: Harness;

beforeAll(async () => {
  [nim, llama, llamaCpp, litellm, poolside, unsloth, muse, museWhole, llamaLate] = await Promise.all([
    startFakeOpenAI({ repeatsCallHeaders: true }),
    startFakeOpenAI({ endsWithoutDone: true }),
    startFakeOpenAI({ argumentsAsObjects: true }),
    startFakeOpenAI({ everyCallIndexZero: true }),
    startFakeOpenAI({ changesCallId: true }),
    startFakeOpenAI({ alwaysStreams: true }),
    startFakeOpenAI({ omitsFinishReason: true }),
    startFakeOpenAI({ omitsFinishReason: true, alwaysStreams: true }),
    startFakeOpenAI({ namesCallsLate: true }),
  ]);
  h = await startGateway({
    version: 1,
    providers: [
      { name: 'nim', kind: 'openai', baseUrl: `${nim.url}/v1`, apiKey: 'env:TEST_KEY' },
      { name: 'ik-llama', kind: 'openai', baseUrl: `${llama.url}/v1`, local: true },
      { name: 'llama-server', kind: 'openai', baseUrl: `${llamaCpp.url}/v1`, local: true },
      { name: 'litellm', kind: 'openai', baseUrl: `${litellm.url}/v1`, local: true },
      { name: 'poolside', kind: 'openai', baseUrl: `${poolside.url}/v1`, apiKey: 'env:TEST_KEY' },
      { name: 'unsloth', kind: 'openai', baseUrl: `${unsloth.url}/v1`, local: true },
      { name: 'zen', kind: 'openai', baseUrl: `${muse.url}/v1`, apiKey: 'env:TEST_KEY' },
      { name: 'zen-streams', kind: 'openai', baseUrl: `${museWhole.url}/v1`, apiKey: 'env:TEST_KEY' },
      { name: 'llama-late', kind: 'openai', baseUrl: `${llamaLate.url}/v1`, local: true },
    ],
    deployments: [
      { name: 'minimax', provider: 'nim', model: 'minimaxai/minimax-m2.7' },
      { name: 'qwen', provider: 'ik-llama', model: 'qwen3-coder' },
      { name: 'gemma', provider: 'llama-server', model: 'gemma-4' },
      { name: 'zero', provider: 'litellm', model: 'ollama_chat/qwen3' },
      { name: 'malibu', provider: 'poolside', model: 'malibu' },
      { name: 'studio', provider: 'unsloth', model: 'gemma-4-12b-it' },
      { name: 'spark', provider: 'zen', model: 'muse-spark-1.2' },
      { name: 'spark-streams', provider: 'zen-streams', model: 'muse-spark-1.2' },
      { name: 'qwen-late', provider: 'llama-late', model: 'qwen3.5-9b' },
    ],
    routes: [],
  });
});
afterAll(() => stopAll(h, nim, llama, llamaCpp, litellm, poolside, unsloth, muse, museWhole, llamaLate));

const city = { type: 'object' as const, properties: { city: { type: 'string' } } };

describe('a server that repeats each call name with every fragment', () => {
  it('names each call once to Messages, Responses, Ollama and chat clients', async () => {
    const anthropic = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
    const message = await anthropic.messages
      .stream({ model: 'minimax', max_tokens: 200, tools: [{ name: 'weather', input_schema: city }, { name: 'time', input_schema: city }], messages: [{ role: 'user', content: 'call both' }] })
      .finalMessage();
    expect(message.content.map((b) => (b.type === 'tool_use' ? [b.name, b.input] : b.type))).toEqual([['weather', { city: 'Paris' }], ['time', { city: 'Tokyo' }]]);

    const response = await h.openai.responses
      .stream({ model: 'minimax', input: 'call both', tools: [{ type: 'function', name: 'weather', parameters: city, strict: false }, { type: 'function', name: 'time', parameters: city, strict: false }] })
      .finalResponse();
    expect(response.output.map((item) => (item.type === 'function_call' ? [item.name, item.arguments] : item.type))).toEqual([['weather', '{"city":"Paris"}'], ['time', '{"city":"Tokyo"}']]);

    const lines = [];
    for await (const line of await h.ollama.chat({ model: 'minimax', stream: true, messages: [{ role: 'user', content: 'call it' }], tools: [{ type: 'function', function: { name: 'weather', parameters: city } }] })) lines.push(line);
    expect(lines.flatMap((l) => l.message.tool_calls ?? []).map((c) => c.function)).toEqual([{ name: 'weather', arguments: { city: 'Paris' } }]);

    // A chat client gets the fragments as the server sent them; the official client names the call once.
    const chat = await h.openai.chat.completions.stream({ model: 'minimax', messages: [{ role: 'user', content: 'call it' }], tools: [{ type: 'function', function: { name: 'weather', parameters: city } }] }).finalChatCompletion();
    expect(chat.choices[0]?.message.tool_calls?.map((c) => c.type === 'function' && c.function.name)).toEqual(['weather']);
  });
});

describe('a server that ends a finished stream without [DONE]', () => {
  it('gives every client the whole answer, ended as its API ends one, and logs it as served', async () => {
    const raw = await fetch(`${h.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'qwen', stream: true, messages: [{ role: 'user', content: 'one two three' }] }) });
    const text = await raw.text();
    expect(raw.status).toBe(200);
    expect(text.trim().endsWith('data: [DONE]')).toBe(true);
    expect(text).not.toMatch(/"error"/);

    const anthropic = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
    const message = await anthropic.messages.stream({ model: 'qwen', max_tokens: 200, messages: [{ role: 'user', content: 'one two three' }] }).finalMessage();
    expect(message).toMatchObject({ stop_reason: 'end_turn', content: [{ type: 'text', text: 'Echo: one two three' }] });

    const response = await h.openai.responses.stream({ model: 'qwen', input: 'one two three' }).finalResponse();
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe('Echo: one two three');

    let ollamaText = '';
    for await (const line of await h.ollama.chat({ model: 'qwen', stream: true, messages: [{ role: 'user', content: 'one two three' }] })) ollamaText += line.message.content;
    expect(ollamaText).toBe('Echo: one two three');

    const { rows } = (await h.admin('/admin/api/usage?limit=10').then((r) => r.json())) as { rows: { deployment: string; status: number; errorClass: string | null }[] };
    expect(rows.filter((r) => r.deployment === 'qwen').map((r) => [r.status, r.errorClass])).toEqual(Array(4).fill([200, null]));
  });

  it('still reports a stream cut before its finish reason as cut short', async () => {
    await llama.setMode({ kind: 'truncated', chunks: 2 });
    try {
      const raw = await fetch(`${h.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'qwen', stream: true, messages: [{ role: 'user', content: 'one two three' }] }) });
      const text = await raw.text();
      expect(text).toMatch(/stream ended without \[DONE\]/);
      expect(text).not.toMatch(/data: \[DONE\]/);
    } finally {
      await llama.setMode({ kind: 'healthy' });
    }
  });
});

describe('a server that ends a stream with [DONE] but never a finish reason', () => {
  it('gives every client its finish reason: stop after text, tool_calls after calls', async () => {
    // The official client fails a stream none of whose chunks finishes ("missing finish_reason for choice 0").
    const text = await h.openai.chat.completions.stream({ model: 'spark', messages: [{ role: 'user', content: 'one two' }], stream_options: { include_usage: true } }).finalChatCompletion();
    expect(text.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: 'Echo: one two' } });
    const tools = [{ type: 'function' as const, function: { name: 'weather', parameters: city } }];
    const calling = await h.openai.chat.completions.stream({ model: 'spark', messages: [{ role: 'user', content: 'call it' }], tools }).finalChatCompletion();
    expect(calling.choices[0]?.finish_reason).toBe('tool_calls');

    const anthropic = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
    const message = await anthropic.messages.stream({ model: 'spark', max_tokens: 200, tools: [{ name: 'weather', input_schema: city }], messages: [{ role: 'user', content: 'call it' }] }).finalMessage();
    expect(message.stop_reason).toBe('tool_use');

    // And a whole answer such a server streams anyway is whole at its [DONE].
    const whole = await h.openai.chat.completions.create({ model: 'spark-streams', messages: [{ role: 'user', content: 'call it' }], tools });
    expect(whole.choices[0]).toMatchObject({ finish_reason: 'tool_calls', message: { tool_calls: [expect.objectContaining({ function: { name: 'weather', arguments: '{"city":"Paris"}' } })] } });
  });
});

describe('a server that names a call only in its second fragment', () => {
  it("gives chat clients each call's first fragment with its id and name, as the AI SDK requires", async () => {
    const tools = [{ type: 'function' as const, function: { name: 'weather', parameters: city } }, { type: 'function' as const, function: { name: 'time', parameters: city } }];
    const firsts = new Map<number, { id?: string; type?: string; function?: { name?: string } }>();
    const args = new Map<number, string>();
    for await (const chunk of await h.openai.chat.completions.create({ model: 'qwen-late', stream: true, messages: [{ role: 'user', content: 'call both' }], tools })) {
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
        if (!firsts.has(call.index)) firsts.set(call.index, call);
        args.set(call.index, (args.get(call.index) ?? '') + (call.function?.arguments ?? ''));
      }
    }
    expect([...firsts.values()].map((c) => [typeof c.id, c.type, c.function?.name])).toEqual([['string', 'function', 'weather'], ['string', 'function', 'time']]);
    expect([...args.values()]).toEqual(['{"city":"Paris"}', '{"city":"Tokyo"}']);

    const anthropic = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
    const message = await anthropic.messages.stream({ model: 'qwen-late', max_tokens: 200, tools: [{ name: 'weather', input_schema: city }, { name: 'time', input_schema: city }], messages: [{ role: 'user', content: 'call both' }] }).finalMessage();
    expect(message.content.map((b) => (b.type === 'tool_use' ? [b.name, b.input] : b.type))).toEqual([['weather', { city: 'Paris' }], ['time', { city: 'Tokyo' }]]);
  });
});

describe('a server that gives a call\'s arguments as an object', () => {
  it('gives chat clients the JSON text and Messages and Ollama clients the object, whole and streamed', async () => {
    const tools = [{ type: 'function' as const, function: { name: 'weather', parameters: city } }];
    const messages = [{ role: 'user' as const, content: 'call it' }];
    const whole = await h.openai.chat.completions.create({ model: 'gemma', messages, tools });
    const streamed = await h.openai.chat.completions.stream({ model: 'gemma', messages, tools }).finalChatCompletion();
    for (const answer of [whole, streamed]) expect(answer.choices[0]?.message.tool_calls?.map((c) => c.type === 'function' && c.function.arguments)).toEqual(['{"city":"Paris"}']);

    const anthropic = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
    const request = { model: 'gemma', max_tokens: 200, tools: [{ name: 'weather', input_schema: city }], messages };
    for (const message of [await anthropic.messages.create(request), await anthropic.messages.stream(request).finalMessage()]) {
      expect(message.content.filter((b) => b.type === 'tool_use').map((b) => b.input)).toEqual([{ city: 'Paris' }]);
    }

    const ollama = await h.ollama.chat({ model: 'gemma', messages, tools, stream: false });
    expect(ollama.message.tool_calls?.map((c) => c.function.arguments)).toEqual([{ city: 'Paris' }]);
  });
});

describe('servers that number every parallel call 0, or change a call\'s id midway', () => {
  it('keep each call apart, and each call whole, for chat, Messages, Responses and Ollama clients', async () => {
    const both = [{ type: 'function' as const, function: { name: 'weather', parameters: city } }, { type: 'function' as const, function: { name: 'time', parameters: city } }];
    const anthropic = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
    for (const [model, expected] of [['zero', 2], ['malibu', 2]] as const) {
      const chat = await h.openai.chat.completions.stream({ model, messages: [{ role: 'user', content: 'call both' }], tools: both }).finalChatCompletion();
      const calls = chat.choices[0]!.message.tool_calls!.map((c) => (c.type === 'function' ? [c.function.name, c.function.arguments] : c.type));
      expect(calls).toEqual([['weather', '{"city":"Paris"}'], ['time', '{"city":"Tokyo"}']].slice(0, expected));

      const message = await anthropic.messages.stream({ model, max_tokens: 200, tools: [{ name: 'weather', input_schema: city }, { name: 'time', input_schema: city }], messages: [{ role: 'user', content: 'call both' }] }).finalMessage();
      expect(message.content.map((b) => (b.type === 'tool_use' ? [b.name, b.input] : b.type))).toEqual([['weather', { city: 'Paris' }], ['time', { city: 'Tokyo' }]]);

      const response = await h.openai.responses.stream({ model, input: 'call both', tools: both.map((t) => ({ type: 'function' as const, name: t.function.name, parameters: city, strict: false })) }).finalResponse();
      expect(response.output.map((item) => (item.type === 'function_call' ? [item.name, item.arguments] : item.type))).toEqual([['weather', '{"city":"Paris"}'], ['time', '{"city":"Tokyo"}']]);

      const lines = [];
      for await (const line of await h.ollama.chat({ model, stream: true, messages: [{ role: 'user', content: 'call both' }], tools: both })) lines.push(line);
      expect(lines.flatMap((l) => l.message.tool_calls ?? []).map((c) => c.function)).toEqual([{ name: 'weather', arguments: { city: 'Paris' } }, { name: 'time', arguments: { city: 'Tokyo' } }]);
    }
  });
});

describe('a server that streams what was asked whole', () => {
  it('gives whole-answer clients of every API the answer gathered from its stream', async () => {
    const whole = await h.openai.chat.completions.create({ model: 'studio', messages: [{ role: 'user', content: 'one two three' }] });
    expect([whole.object, whole.choices[0]?.message.content, whole.choices[0]?.finish_reason]).toEqual(['chat.completion', 'Echo: one two three', 'stop']);
    const calls = await h.openai.chat.completions.create({ model: 'studio', messages: [{ role: 'user', content: 'call both' }], tools: [{ type: 'function', function: { name: 'weather', parameters: city } }, { type: 'function', function: { name: 'time', parameters: city } }] });
    expect(calls.choices[0]?.message.tool_calls?.map((c) => (c.type === 'function' ? [c.function.name, c.function.arguments] : c.type))).toEqual([['weather', '{"city":"Paris"}'], ['time', '{"city":"Tokyo"}']]);

    const anthropic = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
    const message = await anthropic.messages.create({ model: 'studio', max_tokens: 200, messages: [{ role: 'user', content: 'one two three' }] });
    expect(message.content.map((b) => (b.type === 'text' ? b.text : b.type))).toEqual(['Echo: one two three']);
    const ollama = await h.ollama.chat({ model: 'studio', stream: false, messages: [{ role: 'user', content: 'one two three' }] });
    expect(ollama.message.content).toBe('Echo: one two three');
    const response = await h.openai.responses.create({ model: 'studio', input: 'one two three' });
    expect(response.output_text).toBe('Echo: one two three');

    // A stream cut before its finish reason is no whole answer.
    await unsloth.setMode({ kind: 'truncated', chunks: 2 });
    try {
      const cut = await fetch(`${h.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'studio', messages: [{ role: 'user', content: 'one two three' }] }) });
      expect(cut.status).toBe(503);
      expect(await cut.text()).toMatch(/event stream that ends before its finish reason/);
    } finally {
      await unsloth.setMode({ kind: 'healthy' });
    }
  });
});
