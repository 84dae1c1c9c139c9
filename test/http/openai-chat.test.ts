import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama, unitLength } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { fakeVector } from '../support/openai-embeddings';
import { startGateway, twoTierConfig, type Harness, stopAll } from '../support/harness';
import { assertMatchesSpec } from '../support/spec';

let ollama: FakeServer;
let openai: FakeServer;
let h: Harness;

beforeAll(async () => {
  ollama = await startFakeOllama();
  openai = await startFakeOpenAI();
  h = await startGateway(twoTierConfig({ ollama: ollama.url, openai: openai.url }));
});
afterAll(() => stopAll(h, ollama, openai));
afterEach(() => {
  ollama.requests.length = 0;
  openai.requests.length = 0;
});

const weather = {
  type: 'function' as const,
  function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};

describe('non-streaming chat completions through the openai client', () => {
  it('answers from an Ollama deployment, translated to a spec-valid completion with usage', async () => {
    const { data, response } = await h.openai.chat.completions
      .create({ model: 'default', messages: [{ role: 'user', content: 'hello there' }], temperature: 0.2, max_tokens: 50, stop: 'END' })
      .withResponse();
    assertMatchesSpec('openai', 'CreateChatCompletionResponse', JSON.parse(JSON.stringify(data)));
    expect(data.choices[0]?.message.content).toBe('Echo: hello there');
    expect(data.usage).toEqual({ prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 });
    expect(data.created).toBeLessThan(10_000_000_000); // seconds, not milliseconds
    expect(response.headers.get('x-switchyard-deployment')).toBe('llama');
    expect(response.headers.get('x-switchyard-attempts')).toBe('1');
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);

    expect(ollama.requests).toHaveLength(1);
    const sent = ollama.requests[0]!;
    expect(sent.path).toBe('/api/chat');
    // Asked for as a stream and put together, so the stream's timeouts tell a stuck Ollama from a long answer.
    expect(sent.body).toMatchObject({
      model: 'llama3.2:3b',
      stream: true,
      keep_alive: '30m',
      options: { num_ctx: 8192, temperature: 0.2, num_predict: 50, stop: ['END'] },
    });
  });

  it('passes a request to an OpenAI-kind deployment with its own key, never the client key', async () => {
    const { data, response } = await h.openai.chat.completions
      .create({ model: 'cloud-first', messages: [{ role: 'user', content: 'hi' }], response_format: { type: 'json_object' }, seed: 7 })
      .withResponse();
    assertMatchesSpec('openai', 'CreateChatCompletionResponse', JSON.parse(JSON.stringify(data)));
    expect(data.choices[0]?.message.content).toBe('Echo: hi');
    expect(response.headers.get('x-switchyard-deployment')).toBe('mini');
    const sent = openai.requests[0]!;
    expect(sent.headers.authorization).toBe('Bearer sk-test-secret-1234');
    expect(sent.body).toMatchObject({ model: 'gpt-4.1-mini', response_format: { type: 'json_object' }, seed: 7 });
    expect(ollama.requests).toHaveLength(0);
  });

  it('accepts a deployment name as the model', async () => {
    const { response } = await h.openai.chat.completions.create({ model: 'mini', messages: [{ role: 'user', content: 'x' }] }).withResponse();
    expect(response.headers.get('x-switchyard-deployment')).toBe('mini');
  });

  it('maps response_format json_schema to Ollama format', async () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    await h.openai.chat.completions.create({
      model: 'default',
      messages: [{ role: 'user', content: 'x' }],
      response_format: { type: 'json_schema', json_schema: { name: 's', schema } },
    });
    expect(ollama.requests[0]?.body.format).toEqual(schema);
  });
});

describe('tool calls', () => {
  it('keeps tool_choice on an Ollama deployment, which has none: "none" offers no tools, a named or allowed tool only that one', async () => {
    const time = { type: 'function' as const, function: { name: 'get_time', parameters: { type: 'object', properties: {} } } };
    const ask = (tool_choice: unknown) => h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'weather?' }], tools: [weather, time], tool_choice: tool_choice as never });

    const none = await ask('none');
    expect(none.choices[0]?.message.tool_calls ?? []).toEqual([]);
    expect(none.choices[0]?.message.content).toBe('Echo: weather?');
    expect(ollama.requests[0]?.body.tools).toBeUndefined();

    const named = await ask({ type: 'function', function: { name: 'get_time' } });
    expect(named.choices[0]?.message.tool_calls?.map((c) => (c.type === 'function' ? c.function.name : c.type))).toEqual(['get_time']);
    expect(ollama.requests[1]?.body.tools).toEqual([time]);

    await ask({ type: 'allowed_tools', allowed_tools: { mode: 'auto', tools: [{ type: 'function', function: { name: 'get_time' } }] } });
    expect(ollama.requests[2]?.body.tools).toEqual([time]);
    await ask('required');
    expect(ollama.requests[3]?.body.tools).toEqual([weather, time]);
    // A shape the front door lets through but does not know offers every tool rather than failing.
    await ask({ type: 'allowed_tools' });
    expect(ollama.requests[4]?.body.tools).toEqual([weather, time]);
  });

  it('round-trips a tool call through an Ollama deployment (arguments object <-> JSON string)', async () => {
    const first = await h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'weather?' }], tools: [weather] });
    assertMatchesSpec('openai', 'CreateChatCompletionResponse', JSON.parse(JSON.stringify(first)));
    const call = first.choices[0]!.message.tool_calls![0]!;
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call.type).toBe('function');
    if (call.type !== 'function') throw new Error('expected a function call');
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });
    expect(ollama.requests[0]?.body.tools).toEqual([weather]);

    const second = await h.openai.chat.completions.create({
      model: 'default',
      tools: [weather],
      messages: [
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: 'sunny, 21C' },
      ],
    });
    expect(second.choices[0]?.message.content).toBe('The tool said: sunny, 21C');
    const sent = ollama.requests[1]!.body.messages;
    expect(sent[1]).toMatchObject({ role: 'assistant', tool_calls: [{ id: call.id, function: { name: 'get_weather', arguments: { city: 'Paris' } } }] });
    expect(sent[2]).toEqual({ role: 'tool', content: 'sunny, 21C', tool_name: 'get_weather', tool_call_id: call.id });
  });

  it('streams a tool call from an OpenAI-kind deployment in fragments the SDK reassembles', async () => {
    const stream = await h.openai.chat.completions.create({ model: 'cloud-first', messages: [{ role: 'user', content: 'w' }], tools: [weather], stream: true });
    let args = '';
    let name = '';
    let finish: string | null = null;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta;
      name += delta?.tool_calls?.[0]?.function?.name ?? '';
      args += delta?.tool_calls?.[0]?.function?.arguments ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(name).toBe('get_weather');
    expect(JSON.parse(args)).toEqual({ city: 'Paris' });
    expect(finish).toBe('tool_calls');
  });

  it('streams a whole tool call from an Ollama deployment as one delta', async () => {
    const stream = await h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'w' }], tools: [weather], stream: true });
    const calls = [];
    let finish: string | null = null;
    for await (const chunk of stream) {
      calls.push(...(chunk.choices[0]?.delta.tool_calls ?? []));
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ index: 0, type: 'function', function: { name: 'get_weather' } });
    expect(JSON.parse(calls[0]!.function!.arguments!)).toEqual({ city: 'Paris' });
    expect(finish).toBe('tool_calls');
  });
});

describe('streaming chat completions', () => {
  for (const route of ['default', 'cloud-first']) {
    it(`streams spec-valid chunks ending in a usage chunk from ${route === 'default' ? 'Ollama' : 'OpenAI'} when include_usage is set`, async () => {
      const stream = await h.openai.chat.completions.create({
        model: route,
        messages: [{ role: 'user', content: 'one two three' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      const chunks = [];
      for await (const chunk of stream) chunks.push(chunk);
      for (const chunk of chunks) assertMatchesSpec('openai', 'CreateChatCompletionStreamResponse', JSON.parse(JSON.stringify(chunk)));
      const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
      expect(text).toBe('Echo: one two three');
      const last = chunks[chunks.length - 1]!;
      expect(last.choices).toEqual([]);
      expect(last.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 });
      expect(chunks.some((c) => c.choices[0]?.finish_reason === 'stop')).toBe(true);
    });
  }

  it('asks OpenAI-kind upstreams for usage but drops the usage chunk when the client did not ask', async () => {
    const stream = await h.openai.chat.completions.create({ model: 'cloud-first', messages: [{ role: 'user', content: 'a b' }], stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((c) => c.choices.length === 1)).toBe(true);
    expect(openai.requests[0]?.body.stream_options).toEqual({ include_usage: true });
  });

  it('ends the raw SSE body with [DONE]', async () => {
    const res = await fetch(`${h.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'x' }], stream: true }),
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('x-switchyard-deployment')).toBe('llama');
    const text = await res.text();
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  });
});

describe('images', () => {
  const pixel = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
  it('sends data-URL images to Ollama as base64 images', async () => {
    const result = await h.openai.chat.completions.create({
      model: 'default',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'what is this' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${pixel}` } }] }],
    });
    expect(result.choices[0]?.message.content).toBe('Echo: what is this [1 image]');
    expect(ollama.requests[0]?.body.messages[0]).toEqual({ role: 'user', content: 'what is this', images: [pixel] });
    // The URL as a string, as vLLM and LiteLLM take it.
    await h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: `data:image/png;base64,${pixel}` as never }] }] });
    expect(ollama.requests[1]?.body.messages[0]).toEqual({ role: 'user', content: '', images: [pixel] });
  });

  it('passes image content parts to OpenAI-kind upstreams unchanged', async () => {
    const content = [{ type: 'text' as const, text: 'see' }, { type: 'image_url' as const, image_url: { url: 'https://example.com/cat.png', detail: 'low' as const } }];
    await h.openai.chat.completions.create({ model: 'cloud-first', messages: [{ role: 'user', content }] });
    expect(openai.requests[0]?.body.messages[0].content).toEqual(content);
  });

  it('refuses an image URL for an Ollama deployment with a 400 naming the field', async () => {
    const error = await h.openai.chat.completions
      .create({ model: 'llama', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/x.png' } }] }] })
      .catch((e) => e);
    expect(error.status).toBe(400);
    expect(error.error.param).toBe('messages[0].content[0].image_url.url');
    expect(error.message).toMatch(/image given by URL .* and no deployment of "llama" does/);
    expect(ollama.requests).toHaveLength(0);
  });

  it('passes over an Ollama deployment for an image URL, to the cloud one after it in the route', async () => {
    const content = [{ type: 'text' as const, text: 'see' }, { type: 'image_url' as const, image_url: { url: 'https://example.com/cat.png' } }];
    const { data, response } = await h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content }] }).withResponse();
    expect(data.choices[0]?.message.content).toBe('Echo: see [1 image]');
    expect(response.headers.get('x-switchyard-route')).toMatch(/^llama:skip\(capability-missing\) mini:ok$/);
    expect([ollama.requests.length, openai.requests[0]?.body.messages[0].content]).toEqual([0, content]);
  });
});

describe('models and embeddings', () => {
  it('lists routes and deployments in the OpenAI format', async () => {
    const res = await fetch(`${h.baseUrl}/models`);
    const body = await res.json();
    assertMatchesSpec('openai', 'ListModelsResponse', body);
    const ids = (await h.openai.models.list()).data.map((m) => m.id);
    expect(ids).toEqual(['default', 'cloud-first', 'embed', 'llama', 'mini', 'local-embed', 'cloud-embed']);
  });

  for (const [model, upstream] of [
    ['local-embed', 'ollama'],
    ['cloud-embed', 'openai'],
  ] as const) {
    it(`returns float and base64 embeddings from an ${upstream}-kind deployment`, async () => {
      const floats = await h.openai.embeddings.create({ model, input: ['a', 'b'], encoding_format: 'float' });
      assertMatchesSpec('openai', 'CreateEmbeddingResponse', JSON.parse(JSON.stringify(floats)));
      // Ollama's /api/embed scales each vector to length 1.
      const expected = (i: number) => (upstream === 'ollama' ? unitLength(fakeVector(i)) : fakeVector(i));
      expect(floats.data.map((d) => d.embedding)).toEqual([expected(0), expected(1)]);
      expect(floats.usage.prompt_tokens).toBe(upstream === 'ollama' ? 6 : 2);

      // The SDK asks for base64 by default and decodes it itself (32-bit floats).
      const decoded = await h.openai.embeddings.create({ model, input: 'a' });
      expect(decoded.data[0]?.embedding).toEqual(expected(0).map((x) => Math.fround(x)));
      const raw = await fetch(`${h.baseUrl}/embeddings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model, input: 'a', encoding_format: 'base64' }),
      }).then((r) => r.json());
      expect(typeof raw.data[0].embedding).toBe('string');
    });
  }

  it('embeds token ids (as LangChain sends them) on a deployment that takes them, passing over an Ollama', async () => {
    const tokens = await h.openai.embeddings.create({ model: 'embed', input: [[9906, 1917], [15339]], encoding_format: 'float' });
    expect(tokens.data).toHaveLength(2);
    expect(openai.requests.at(-1)?.body).toMatchObject({ model: 'text-embedding-3-small', input: [[9906, 1917], [15339]] });
    const refused = await h.openai.embeddings.create({ model: 'local-embed', input: [[9906]] }).catch((e) => e);
    expect([refused.status, refused.error.param]).toEqual([400, 'input']);
    expect(refused.error.message).toBe('token ids (arrays of integers) can only go to a deployment that takes them: Ollama embeds text (a string or an array of strings), and no deployment of "local-embed" does');
  });

  it('embeds through the embed route and refuses a chat route for embeddings', async () => {
    const result = await h.openai.embeddings.create({ model: 'embed', input: 'x', encoding_format: 'float' });
    expect(result.data).toHaveLength(1);
    const error = await h.openai.embeddings.create({ model: 'default', input: 'x' }).catch((e) => e);
    expect(error.status).toBe(400);
    expect(error.error.param).toBe('model');
    // Says which deployment, and what to set if its model does embed (the form's type defaults to chat).
    expect(error.error.message).toMatch(/^"default" \(its deployment \S+\) serves chat requests, not embedding: if \S+ is an embedding model, set the deployment's type to "embedding"$/);
  });
});
