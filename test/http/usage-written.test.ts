/**
 * What a model writes besides its answer's text (reasoning, tool calls) in the usage row: an agent's
 * turn is mostly these. Its time to first token is when the first of them reached the client, not
 * the first visible word (which a tool call never has), and an estimate of its output counts them
 * (a turn the client cut short, an upstream that reports no usage). Where the log keeps answers
 * (`logBodies`), it keeps these too, each under a heading, in the order the client got them.
 */
import Anthropic from '@anthropic-ai/sdk';
import { countTokens } from 'gpt-tokenizer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeAnthropic } from '../support/fake-anthropic';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { resetBetweenTests, startGateway, stopAll, type Harness } from '../support/harness';

let openai: FakeServer, silent: FakeServer, repeating: FakeServer, anthropic: FakeServer, ollama: FakeServer, h: Harness;
const config = () => ({
  version: 1,
  providers: [
    { name: 'cloud', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY' },
    // A server that reports no usage (some vLLM and llama.cpp builds without stream_options).
    { name: 'quiet', kind: 'openai', baseUrl: `${silent.url}/v1`, apiKey: 'env:TEST_KEY', apis: ['chat'] },
    { name: 'claude', kind: 'anthropic', baseUrl: anthropic.url, apiKey: 'env:TEST_KEY' },
    { name: 'local', kind: 'ollama', baseUrl: ollama.url },
    // A server that sends each call's id and name again with every piece of its arguments.
    { name: 'repeater', kind: 'openai', baseUrl: `${repeating.url}/v1`, apiKey: 'env:TEST_KEY', apis: ['chat'] },
  ],
  deployments: [
    { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' },
    { name: 'vllm', provider: 'quiet', model: 'qwen3-coder' },
    { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5' },
    { name: 'qwen', provider: 'local', model: 'qwen3:8b' },
    { name: 'repeating', provider: 'repeater', model: 'gpt-4.1-mini' },
  ],
  routes: [],
  settings: { usage: { logBodies: true } },
});
beforeAll(async () => {
  [openai, silent, repeating, anthropic, ollama] = await Promise.all([startFakeOpenAI(), startFakeOpenAI({ omitUsage: true, reasoningField: 'reasoning_content' }), startFakeOpenAI({ repeatsCallHeaders: true }), startFakeAnthropic(), startFakeOllama({ models: ['qwen3:8b'] })]);
  h = await startGateway(config());
});
afterAll(() => stopAll(h, openai, silent, repeating, anthropic, ollama));
beforeEach(() => resetBetweenTests(h, [openai, silent, repeating, anthropic, ollama], config()));

const lastRow = () => [...h.gateway.usage.iterate({ since: 0 })].at(-1);
const parameters = { type: 'object' as const, properties: { city: { type: 'string' } } };
const ask = 'weather in paris';

describe('a streamed answer that is only a tool call', () => {
  it('has its time to first token on every front door', async () => {
    const ttft: Record<string, unknown> = {};
    const chat = await h.openai.chat.completions.create({ model: 'mini', stream: true, tools: [{ type: 'function', function: { name: 'weather', parameters } }], messages: [{ role: 'user', content: ask }] });
    for await (const chunk of chat) void chunk;
    ttft.chat = lastRow()?.ttftMs;
    const messages = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 }).messages.stream({ model: 'sonnet', max_tokens: 100, tools: [{ name: 'weather', input_schema: parameters }], messages: [{ role: 'user', content: ask }] });
    expect((await messages.finalMessage()).content.map((b) => b.type)).toEqual(['tool_use']);
    ttft.messages = lastRow()?.ttftMs;
    const responses = await h.openai.responses.create({ model: 'mini', stream: true, tools: [{ type: 'function', name: 'weather', parameters, strict: false }], input: ask });
    for await (const event of responses) void event;
    ttft.responses = lastRow()?.ttftMs;
    for await (const part of await h.ollama.chat({ model: 'qwen', stream: true, tools: [{ type: 'function', function: { name: 'weather', parameters } }], messages: [{ role: 'user', content: ask }] })) void part;
    ttft.ollama = lastRow()?.ttftMs;
    expect(ttft).toEqual({ chat: expect.any(Number), messages: expect.any(Number), responses: expect.any(Number), ollama: expect.any(Number) });
  });
});

describe('an estimate of the output, where the upstream reports none', () => {
  it('counts the reasoning and the tool call the model wrote, streamed and whole', async () => {
    const tools = [{ type: 'function' as const, function: { name: 'weather', parameters } }];
    const written = countTokens('Let me think about it.') + countTokens('weather') + countTokens('{"city":"Paris"}');
    const stream = await h.openai.chat.completions.create({ model: 'vllm', stream: true, reasoning_effort: 'high', tools, messages: [{ role: 'user', content: ask }] });
    for await (const chunk of stream) void chunk;
    expect(lastRow()).toMatchObject({ tokensEstimated: true, outputTokens: expect.any(Number) });
    expect(lastRow()?.outputTokens).toBeGreaterThanOrEqual(written - 2);
    await h.openai.chat.completions.create({ model: 'vllm', reasoning_effort: 'high', tools, messages: [{ role: 'user', content: ask }] });
    expect(lastRow()?.outputTokens).toBeGreaterThanOrEqual(written - 2);
  });
});

describe('an answer the log keeps', () => {
  const keptAnswer = async () => {
    const id = lastRow()!.id;
    await expect.poll(() => h.gateway.usage.body(id)?.response).toBeTruthy();
    return h.gateway.usage.body(id)!.response;
  };
  const narrated = 'weather in paris: say first';
  const called = 'Let me look that up.\n\n[tool call: weather]\n{"city":"Paris"}';

  it('holds the tool call beside the text on every front door, streamed and whole', async () => {
    const kept: Record<string, unknown> = {};
    const chatTools = [{ type: 'function' as const, function: { name: 'weather', parameters } }];
    for await (const chunk of await h.openai.chat.completions.create({ model: 'mini', stream: true, tools: chatTools, messages: [{ role: 'user', content: narrated }] })) void chunk;
    kept.chatStream = await keptAnswer();
    await h.openai.chat.completions.create({ model: 'mini', tools: chatTools, messages: [{ role: 'user', content: narrated }] });
    kept.chat = await keptAnswer();
    const claude = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
    await claude.messages.stream({ model: 'sonnet', max_tokens: 100, tools: [{ name: 'weather', input_schema: parameters }], messages: [{ role: 'user', content: narrated }] }).finalMessage();
    kept.messagesStream = await keptAnswer();
    await claude.messages.create({ model: 'sonnet', max_tokens: 100, tools: [{ name: 'weather', input_schema: parameters }], messages: [{ role: 'user', content: narrated }] });
    kept.messages = await keptAnswer();
    const responseTools = [{ type: 'function' as const, name: 'weather', parameters, strict: false }];
    for await (const event of await h.openai.responses.create({ model: 'mini', stream: true, tools: responseTools, input: ask })) void event;
    kept.responsesStream = await keptAnswer();
    await h.openai.responses.create({ model: 'mini', tools: responseTools, input: ask });
    kept.responses = await keptAnswer();
    for await (const part of await h.ollama.chat({ model: 'qwen', stream: true, tools: chatTools, messages: [{ role: 'user', content: ask }] })) void part;
    kept.ollamaStream = await keptAnswer();
    const only = '[tool call: weather]\n{"city":"Paris"}';
    // The OpenAI fake, like most chat servers, writes no text beside a tool call.
    expect(kept).toEqual({ chatStream: only, chat: only, messagesStream: called, messages: called, responsesStream: only, responses: only, ollamaStream: only });
  });

  it('keeps parallel calls apart, their input interleaved in the stream, and names each once where the server repeats its name', async () => {
    const chatTools = ['weather', 'time'].map((name) => ({ type: 'function' as const, function: { name, parameters } }));
    const both = '[tool call: weather]\n{"city":"Paris"}\n\n[tool call: time]\n{"city":"Tokyo"}';
    for (const model of ['mini', 'repeating']) {
      for await (const chunk of await h.openai.chat.completions.create({ model, stream: true, tools: chatTools, messages: [{ role: 'user', content: 'weather and time: both' }] })) void chunk;
      expect(await keptAnswer()).toBe(both);
    }
  });

  it('holds the reasoning before the answer, each under its heading', async () => {
    await h.openai.chat.completions.create({ model: 'vllm', reasoning_effort: 'high', messages: [{ role: 'user', content: 'hello' }] });
    expect(await keptAnswer()).toBe('[thinking]\nLet me think about it.\n\n[answer]\nEcho: hello');
    await new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 }).messages.stream({ model: 'sonnet', max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: 1024 }, tools: [{ name: 'weather', input_schema: parameters }], messages: [{ role: 'user', content: narrated }] }).finalMessage();
    expect(await keptAnswer()).toBe(`[thinking]\nLet me think about it.\n\n[answer]\n${called}`);
  });

  it('is the text alone where the model wrote only text', async () => {
    await h.openai.chat.completions.create({ model: 'mini', messages: [{ role: 'user', content: 'hello' }] });
    expect(await keptAnswer()).toBe('Echo: hello');
  });
});
