/**
 * The fake upstreams are only worth what their wire format is: every shape they send is checked
 * against the published specs, and the official clients must read them.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { Ollama } from 'ollama';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from './support/fake-server';
import { startFakeAnthropic } from './support/fake-anthropic';
import { startFakeOllama } from './support/fake-ollama';
import { startFakeOpenAI } from './support/fake-openai';
import { assertMatchesSpec } from './support/spec';

let ollama: FakeServer;
let openai: FakeServer;
let anthropic: FakeServer;
beforeAll(async () => {
  ollama = await startFakeOllama({ version: '0.14.2', models: ['llama3.2:3b', 'nomic-embed-text', 'gpt-oss:20b'] });
  openai = await startFakeOpenAI();
  anthropic = await startFakeAnthropic();
});
afterAll(async () => {
  await Promise.all([ollama.stop(), openai.stop(), anthropic.stop()]);
});

const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const tools = [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} } } }];

describe('the fake OpenAI upstream', () => {
  it('sends spec-valid completions, chunks, embeddings, model lists and errors', async () => {
    for (const extra of [{}, { tools }]) {
      const body = await post(`${openai.url}/v1/chat/completions`, { model: 'm', messages: [{ role: 'user', content: 'hi' }], ...extra }).then((r) => r.json());
      assertMatchesSpec('openai', 'CreateChatCompletionResponse', body);
      const sse = await post(`${openai.url}/v1/chat/completions`, { model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true }, ...extra }).then((r) => r.text());
      const events = sse.trim().split('\n\n');
      expect(events.pop()).toBe('data: [DONE]');
      for (const event of events) assertMatchesSpec('openai', 'CreateChatCompletionStreamResponse', JSON.parse(event.slice(6)));
    }
    // Its quirky variants (test/http/stream-quirks.test.ts) still send chunks the spec allows.
    const quirky = await startFakeOpenAI({ repeatsCallHeaders: true, endsWithoutDone: true });
    const sse = await post(`${quirky.url}/v1/chat/completions`, { model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true, tools }).then((r) => r.text());
    await quirky.stop();
    const events = sse.trim().split('\n\n').map((e) => JSON.parse(e.slice(6)));
    expect(events.filter((e) => e.choices[0]?.delta.tool_calls?.[0]?.function.name === 'f').length).toBeGreaterThan(1);
    for (const event of events) assertMatchesSpec('openai', 'CreateChatCompletionStreamResponse', event);
    assertMatchesSpec('openai', 'CreateEmbeddingResponse', await post(`${openai.url}/v1/embeddings`, { model: 'e', input: ['a'] }).then((r) => r.json()));
    assertMatchesSpec('openai', 'CreateCompletionResponse', await post(`${openai.url}/v1/completions`, { model: 'm', prompt: 'a', suffix: 'b' }).then((r) => r.json()));
    // Streamed text completions: the same shape, `finish_reason` null until the last (as OpenAI sends them; the spec omits null).
    const chunks = (await post(`${openai.url}/v1/completions`, { model: 'm', prompt: 'a b', stream: true }).then((r) => r.text())).trim().split('\n\n');
    expect(chunks.pop()).toBe('data: [DONE]');
    for (const chunk of chunks.map((c) => JSON.parse(c.slice(6)))) assertMatchesSpec('openai', 'CreateCompletionResponse', { ...chunk, choices: chunk.choices.map((c: { finish_reason: unknown }) => ({ ...c, finish_reason: c.finish_reason ?? 'stop' })) });
    assertMatchesSpec('openai', 'ListModelsResponse', await fetch(`${openai.url}/v1/models`).then((r) => r.json()));
    await openai.setMode({ kind: 'status', status: 500 });
    assertMatchesSpec('openai', 'ErrorResponse', await post(`${openai.url}/v1/chat/completions`, {}).then((r) => r.json()));
    await openai.reset();
  });

  it('sends spec-valid Responses, whole and streamed, with reasoning, text and parallel function calls', async () => {
    const twoTools = [{ type: 'function', name: 'weather', parameters: { type: 'object', properties: {} } }, { type: 'function', name: 'time', parameters: { type: 'object', properties: {} } }];
    for (const base of [`${openai.url}/v1`, `${ollama.url}/v1`]) {
      for (const extra of [{}, { tools: twoTools, input: 'call both' }, { reasoning: { effort: 'low' }, include: ['reasoning.encrypted_content'] }]) {
        // Ollama makes an effort a think level, which gpt-oss takes (llama3.2 does not think).
        const request = { model: 'reasoning' in extra ? 'gpt-oss:20b' : 'llama3.2:3b', input: 'hi', ...extra };
        assertMatchesSpec('openai', 'Response', await post(`${base}/responses`, request).then((r) => r.json()));
        const sse = await post(`${base}/responses`, { ...request, stream: true }).then((r) => r.text());
        const events = sse.trim().split('\n\n').map((e) => JSON.parse(e.split('\n')[1]!.slice(6)));
        expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
        for (const event of events) assertMatchesSpec('openai', 'ResponseStreamEvent', event);
      }
    }
    // A model that speaks in phases (a commentary preamble, the answer as final_answer, two summary parts).
    const phased = await startFakeOpenAI({ speaksInPhases: true });
    try {
      const request = { model: 'gpt-5.5', input: 'hi', reasoning: { effort: 'low' } };
      const response = await post(`${phased.url}/v1/responses`, request).then((r) => r.json());
      assertMatchesSpec('openai', 'Response', response);
      expect(response.output.map((i: { type: string; phase?: string }) => i.phase ?? i.type)).toEqual(['reasoning', 'commentary', 'final_answer']);
      const sse = await post(`${phased.url}/v1/responses`, { ...request, stream: true }).then((r) => r.text());
      for (const e of sse.trim().split('\n\n')) assertMatchesSpec('openai', 'ResponseStreamEvent', JSON.parse(e.split('\n')[1]!.slice(6)));
    } finally {
      await phased.stop();
    }
    // Codex's "responses lite": tools in an `additional_tools` item, in a namespace its calls name.
    const lite = { model: 'gpt-5.5', input: [{ type: 'additional_tools', id: 'at_1', role: 'developer', tools: [{ type: 'namespace', name: 'functions', description: 'Local tools', tools: twoTools }] }, { role: 'user', content: 'call both' }] };
    const response = await post(`${openai.url}/v1/responses`, lite).then((r) => r.json());
    assertMatchesSpec('openai', 'Response', response);
    expect(response.output.map((item: { namespace?: string; name?: string }) => [item.namespace, item.name])).toEqual([['functions', 'weather'], ['functions', 'time']]);
    const compaction = await post(`${openai.url}/v1/responses/compact`, { model: 'gpt-5.5', input: [{ role: 'user', content: 'hi' }, { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'hello' }] }] }).then((r) => r.json());
    assertMatchesSpec('openai', 'CompactResource', compaction);
    assertMatchesSpec('openai', 'TokenCountsResource', await post(`${openai.url}/v1/responses/input_tokens`, { model: 'gpt-5.5', input: 'hi' }).then((r) => r.json()));
    expect(compaction.output.map((item: { type: string }) => item.type)).toEqual(['message', 'compaction']);
  });

  it('is read by the official openai client', async () => {
    const client = new OpenAI({ baseURL: `${openai.url}/v1`, apiKey: 'k', maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'a b' }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Echo: a b');
  });
});

describe('the fake Ollama upstream', () => {
  it('sends spec-valid chat responses, stream events, embeddings and listings', async () => {
    for (const extra of [{}, { tools }]) {
      assertMatchesSpec('ollama', 'ChatResponse', await post(`${ollama.url}/api/chat`, { model: 'llama3.2:3b', messages: [{ role: 'user', content: 'x' }], stream: false, ...extra }).then((r) => r.json()));
      const ndjson = await post(`${ollama.url}/api/chat`, { model: 'llama3.2:3b', messages: [{ role: 'user', content: 'x y' }], ...extra }).then((r) => r.text());
      const lines = ndjson.trim().split('\n').map((l) => JSON.parse(l));
      for (const line of lines.slice(0, -1)) assertMatchesSpec('ollama', 'ChatStreamEvent', line);
      assertMatchesSpec('ollama', 'ChatResponse', lines[lines.length - 1]);
      expect(lines[lines.length - 1].done).toBe(true);
    }
    assertMatchesSpec('ollama', 'EmbedResponse', await post(`${ollama.url}/api/embed`, { model: 'nomic-embed-text', input: 'x' }).then((r) => r.json()));
    assertMatchesSpec('ollama', 'ListResponse', await fetch(`${ollama.url}/api/tags`).then((r) => r.json()));
    assertMatchesSpec('ollama', 'PsResponse', await fetch(`${ollama.url}/api/ps`).then((r) => r.json()));
    assertMatchesSpec('ollama', 'VersionResponse', await fetch(`${ollama.url}/api/version`).then((r) => r.json()));
    assertMatchesSpec('ollama', 'ShowResponse', await post(`${ollama.url}/api/show`, { model: 'llama3.2:3b' }).then((r) => r.json()));
    const missing = await post(`${ollama.url}/api/chat`, { model: 'nope', messages: [] });
    expect(missing.status).toBe(404);
    assertMatchesSpec('ollama', 'ErrorResponse', await missing.json());
  });

  it('is read by the official ollama client', async () => {
    const client = new Ollama({ host: ollama.url });
    let text = '';
    for await (const part of await client.chat({ model: 'llama3.2:3b', messages: [{ role: 'user', content: 'a b' }], stream: true })) text += part.message.content;
    expect(text).toBe('Echo: a b');
    expect((await client.list()).models.map((m) => m.name)).toContain('llama3.2:3b');
  });
});

describe('the fake Anthropic upstream', () => {
  it('is read by the official Anthropic SDK: messages, streams with finalMessage, token counts, models and errors', async () => {
    const client = new Anthropic({ baseURL: anthropic.url, apiKey: 'sk-ant-fake', maxRetries: 0 });
    const message = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'a b' }] });
    expect(message.content).toEqual([{ type: 'text', text: 'Echo: a b' }]);
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-5',
      max_tokens: 2048,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      tools: [{ name: 'weather', input_schema: { type: 'object' } }, { name: 'time', input_schema: { type: 'object' } }],
      messages: [{ role: 'user', content: 'call both' }],
    });
    const final = await stream.finalMessage();
    expect(final.content.map((b) => b.type)).toEqual(['thinking', 'tool_use', 'tool_use']);
    expect(final.content.filter((b) => b.type === 'tool_use').map((b) => (b as { input: unknown }).input)).toEqual([{ city: 'Paris' }, { city: 'Tokyo' }]);
    expect((await client.messages.countTokens({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }] })).input_tokens).toBeGreaterThan(0);
    expect((await client.models.list()).data[0]?.id).toBe('claude-sonnet-4-5-20250929');
    await anthropic.setMode({ kind: 'status', status: 529 });
    await expect(client.messages.create({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ status: 529, error: { type: 'error', error: { type: 'overloaded_error' } } });
    await anthropic.reset();
  });

  it('serves the same wire at Ollama\'s /v1/messages (0.14 on)', async () => {
    const client = new Anthropic({ baseURL: ollama.url, apiKey: 'ollama', maxRetries: 0 });
    const final = await client.messages.stream({ model: 'llama3.2:3b', max_tokens: 100, messages: [{ role: 'user', content: 'a b' }] }).finalMessage();
    expect(final.content).toEqual([{ type: 'text', text: 'Echo: a b' }]);
    // It makes an effort a thinking level where thinking is adaptive, which a model without levels refuses.
    const effort = { model: 'llama3.2:3b', max_tokens: 100, thinking: { type: 'adaptive' }, output_config: { effort: 'high' }, messages: [{ role: 'user' as const, content: 'a b' }] };
    await expect(client.messages.create(effort as never)).rejects.toMatchObject({ status: 400, error: { type: 'error', error: { message: 'think value "high" is not supported for this model' } } });
    await expect(client.messages.create({ ...effort, thinking: { type: 'enabled', budget_tokens: 1024 } } as never)).rejects.toMatchObject({ status: 400, error: { error: { message: '"llama3.2:3b" does not support thinking' } } });
  });
});
