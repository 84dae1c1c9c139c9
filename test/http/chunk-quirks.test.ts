/**
 * Chat chunks off OpenAI's contract, as the gateway meets them upstream. Azure OpenAI streams its
 * content filter's results among the chunks: a first event for the prompt with no choices and an
 * empty id, model and object, and with the asynchronous filter, annotation events whose choice has
 * no delta, one after the finish reason. Some servers send the usage chunk without `choices`
 * (the stream failed as "not a chat completion chunk"); MiniMax's API gives deltas an empty `role`;
 * LM Studio a call's later fragments an empty name; servers that do not parse reasoning write it into
 * the text between think tags; Mistral's reasoning models give `content` as a list of thinking and text chunks;
 * relays label a stream `application/json` or `text/plain` (and a server that always streams, a whole answer too).
 * Every client API must get the answer whole, with the answer's own id and model and its usage,
 * and chat clients chunks as OpenAI sends them.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, type Harness } from '../support/harness';

let standard: FakeServer, asynchronous: FakeServer, streamsAll: FakeServer, bare: FakeServer, minimax: FakeServer, lmStudio: FakeServer, ollama: FakeServer, mistral: FakeServer, relay: FakeServer, plainRelay: FakeServer, h: Harness;

beforeAll(async () => {
  [standard, asynchronous, streamsAll, bare, minimax, lmStudio, ollama, mistral, relay, plainRelay] = await Promise.all([
    startFakeOpenAI({ chunkQuirk: 'default' }),
    startFakeOpenAI({ chunkQuirk: 'asynchronous' }),
    startFakeOpenAI({ chunkQuirk: 'asynchronous', alwaysStreams: true }),
    startFakeOpenAI({ chunkQuirk: 'usage-without-choices' }),
    startFakeOpenAI({ chunkQuirk: 'empty-role' }),
    startFakeOpenAI({ chunkQuirk: 'empty-call-names' }),
    startFakeOllama(),
    startFakeOpenAI({ chunkQuirk: 'thinking-chunks', reasoningField: 'reasoning_content' }),
    startFakeOpenAI({ chunkQuirk: 'labelled-json' }),
    startFakeOpenAI({ chunkQuirk: 'labelled-plain', alwaysStreams: true }),
  ]);
  h = await startGateway({
    version: 1,
    providers: [
      { name: 'azure', kind: 'openai', baseUrl: `${standard.url}/v1`, apiKey: 'env:TEST_KEY' },
      { name: 'azure-async', kind: 'openai', baseUrl: `${asynchronous.url}/v1`, apiKey: 'env:TEST_KEY' },
      { name: 'azure-proxy', kind: 'openai', baseUrl: `${streamsAll.url}/v1`, apiKey: 'env:TEST_KEY' },
      { name: 'bare', kind: 'openai', baseUrl: `${bare.url}/v1`, local: true },
      { name: 'minimax', kind: 'openai', baseUrl: `${minimax.url}/v1`, apiKey: 'env:TEST_KEY' },
      { name: 'lm-studio', kind: 'openai', baseUrl: `${lmStudio.url}/v1`, local: true },
      { name: 'local', kind: 'ollama', baseUrl: ollama.url },
      { name: 'mistral', kind: 'openai', baseUrl: `${mistral.url}/v1`, apiKey: 'env:TEST_KEY' },
      { name: 'relay', kind: 'openai', baseUrl: `${relay.url}/v1`, apiKey: 'env:TEST_KEY' },
      { name: 'plain-relay', kind: 'openai', baseUrl: `${plainRelay.url}/v1`, apiKey: 'env:TEST_KEY' },
    ],
    deployments: [
      { name: 'gpt', provider: 'azure', model: 'gpt-4.1' },
      { name: 'gpt-async', provider: 'azure-async', model: 'gpt-4.1' },
      { name: 'gpt-proxied', provider: 'azure-proxy', model: 'gpt-4.1' },
      { name: 'atom', provider: 'bare', model: 'gpt-4.1' },
      { name: 'm2', provider: 'minimax', model: 'gpt-4.1' },
      { name: 'qwen', provider: 'lm-studio', model: 'gpt-4.1' },
      { name: 'r1', provider: 'lm-studio', model: 'deepseek-r1' },
      { name: 'r1-local', provider: 'local', model: 'llama3.2:3b' },
      { name: 'small', provider: 'mistral', model: 'mistral-small-latest' },
      { name: 'relayed', provider: 'relay', model: 'gpt-4.1' },
      { name: 'relayed-plain', provider: 'plain-relay', model: 'gpt-4.1' },
    ],
    routes: [],
  });
});
afterAll(() => stopAll(h, standard, asynchronous, streamsAll, bare, minimax, lmStudio, ollama, mistral, relay, plainRelay));

const city = { type: 'object' as const, properties: { city: { type: 'string' } } };

describe.each(['gpt', 'gpt-async', 'atom', 'm2', 'qwen', 'relayed', 'relayed-plain'])('a server off the contract (%s)', (model) => {
  it('streams chat whole, under the answer id, with the usage', async () => {
    const chunks = [];
    for await (const chunk of await h.openai.chat.completions.create({ model, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'one two three' }] })) chunks.push(chunk);
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe('Echo: one two three');
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(chunks[0]?.id).toMatch(/^chatcmpl-/);
    expect(chunks.every((c) => c.model === 'gpt-4.1' && c.object === 'chat.completion.chunk' && c.created > 0)).toBe(true);
    // Every chunk but the usage's has its choice, as OpenAI's stream has.
    expect(chunks.slice(0, -1).every((c) => c.choices[0]?.delta !== undefined)).toBe(true);
    expect(chunks.at(-1)?.usage?.completion_tokens).toBeGreaterThan(0);
    const whole = await h.openai.chat.completions.stream({ model, messages: [{ role: 'user', content: 'call it' }], tools: [{ type: 'function', function: { name: 'weather', parameters: city } }] }).finalChatCompletion();
    expect(whole.choices[0]).toMatchObject({ finish_reason: 'tool_calls', message: { tool_calls: [{ function: { name: 'weather', arguments: '{"city":"Paris"}' } }] } });
  });

  it('answers Messages, Responses and Ollama clients whole', async () => {
    const anthropic = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
    const message = await anthropic.messages.stream({ model, max_tokens: 200, messages: [{ role: 'user', content: 'one two three' }] }).finalMessage();
    expect(message).toMatchObject({ stop_reason: 'end_turn', content: [{ type: 'text', text: 'Echo: one two three' }] });
    expect(message.id).toMatch(/^msg_/);
    expect(message.usage.output_tokens).toBeGreaterThan(0);

    const response = await h.openai.responses.stream({ model, input: 'one two three' }).finalResponse();
    expect(response).toMatchObject({ status: 'completed', output_text: 'Echo: one two three' });

    let text = '';
    for await (const line of await h.ollama.chat({ model, stream: true, messages: [{ role: 'user', content: 'one two three' }] })) text += line.message.content;
    expect(text).toBe('Echo: one two three');

    const { rows } = (await h.admin('/admin/api/usage?limit=3').then((r) => r.json())) as { rows: { deployment: string; status: number; errorClass: string | null; outputTokens: number | null }[] };
    expect(rows.map((r) => [r.deployment, r.status, r.errorClass])).toEqual(Array(3).fill([model, 200, null]));
  });
});

describe('a whole answer a relay streams under another label', () => {
  it('is gathered from its events', async () => {
    const completion = await h.openai.chat.completions.create({ model: 'relayed-plain', messages: [{ role: 'user', content: 'one two three' }] });
    expect(completion).toMatchObject({ object: 'chat.completion', choices: [{ finish_reason: 'stop', message: { content: 'Echo: one two three' } }] });
  });
});

describe("a whole answer a server streams with Azure's annotations", () => {
  it('is gathered under the answer id', async () => {
    const completion = await h.openai.chat.completions.create({ model: 'gpt-proxied', messages: [{ role: 'user', content: 'one two three' }] });
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion).toMatchObject({ model: 'gpt-4.1', choices: [{ finish_reason: 'stop', message: { content: 'Echo: one two three' } }] });
  });
});

describe('deltas as MiniMax gives them', () => {
  it('reach chat clients without an empty role', async () => {
    const res = await fetch(`${h.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm2', stream: true, messages: [{ role: 'user', content: 'one two' }] }) });
    const text = await res.text();
    expect(text).toContain('"content":"two"');
    expect(text).not.toContain('"role":""');
  });
});

describe('calls whose later fragments have an empty name, as LM Studio streams them', () => {
  it('reach chat clients named once, so a client that takes the last name given keeps it', async () => {
    const res = await fetch(`${h.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'qwen', stream: true, messages: [{ role: 'user', content: 'call both' }], tools: ['weather', 'time'].map((name) => ({ type: 'function', function: { name, parameters: city } })) }) });
    const fragments = (await res.text()).split('\n').filter((l) => l.startsWith('data: {')).flatMap((l) => (JSON.parse(l.slice(6)) as { choices: { delta?: { tool_calls?: { function?: { name?: string } }[] } }[] }).choices[0]?.delta?.tool_calls ?? []);
    expect(fragments.length).toBeGreaterThan(2);
    expect(fragments.map((f) => f.function?.name).filter((name) => name !== undefined)).toEqual(['weather', 'time']);
  });
});

describe.each(['r1', 'r1-local'])('reasoning a model writes into the text between think tags (%s)', (model) => {
  it('reaches every client API as its reasoning, apart from the answer, streamed and whole', async () => {
    const ask = { model, messages: [{ role: 'user' as const, content: 'think aloud' }] };
    let reasoning = '';
    let content = '';
    for await (const chunk of await h.openai.chat.completions.create({ ...ask, stream: true })) {
      content += chunk.choices[0]?.delta?.content ?? '';
      reasoning += (chunk.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? '';
    }
    expect([reasoning, content]).toEqual(['Let me think about it.\n', 'Echo: think aloud']);
    const whole = await h.openai.chat.completions.create(ask);
    expect(whole.choices[0]?.message).toMatchObject({ content: 'Echo: think aloud', reasoning_content: 'Let me think about it.\n' });

    const anthropic = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
    const message = await anthropic.messages.stream({ model, max_tokens: 200, messages: ask.messages }).finalMessage();
    expect(message.content.map((b) => (b.type === 'thinking' ? ['thinking', b.thinking] : b.type === 'text' ? ['text', b.text] : [b.type]))).toEqual([['thinking', 'Let me think about it.\n'], ['text', 'Echo: think aloud']]);

    const response = await h.openai.responses.create({ model, input: 'think aloud' });
    expect(response.output_text).toBe('Echo: think aloud');
    expect(response.output[0]).toMatchObject({ type: 'reasoning', summary: [{ type: 'summary_text', text: 'Let me think about it.\n' }] });
  });
});

describe("content as Mistral's reasoning models give it, a list of thinking and text chunks", () => {
  it('reaches every client API as its reasoning and its text, streamed and whole', async () => {
    const ask = { model: 'small', reasoning_effort: 'high' as const, messages: [{ role: 'user' as const, content: 'one two three' }] };
    let reasoning = '';
    let content = '';
    for await (const chunk of await h.openai.chat.completions.create({ ...ask, stream: true })) {
      const delta = chunk.choices[0]?.delta as { content?: unknown; reasoning_content?: string } | undefined;
      if (delta?.content !== undefined && delta.content !== null) expect(typeof delta.content).toBe('string');
      content += (delta?.content as string | undefined) ?? '';
      reasoning += delta?.reasoning_content ?? '';
    }
    expect([reasoning, content]).toEqual(['Let me think about it.', 'Echo: one two three']);
    const whole = await h.openai.chat.completions.create(ask);
    expect(whole.choices[0]?.message).toMatchObject({ content: 'Echo: one two three', reasoning_content: 'Let me think about it.' });

    const anthropic = new Anthropic({ baseURL: h.url, apiKey: 'any', maxRetries: 0 });
    const message = await anthropic.messages.stream({ model: 'small', max_tokens: 2000, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: ask.messages }).finalMessage();
    expect(message.content.map((b) => (b.type === 'thinking' ? ['thinking', b.thinking] : b.type === 'text' ? ['text', b.text] : [b.type]))).toEqual([['thinking', 'Let me think about it.'], ['text', 'Echo: one two three']]);

    const response = await h.openai.responses.create({ model: 'small', reasoning: { effort: 'high' }, input: 'one two three' });
    expect(response.output_text).toBe('Echo: one two three');
    expect(response.output[0]).toMatchObject({ type: 'reasoning', summary: [{ type: 'summary_text', text: 'Let me think about it.' }] });
  });
});
