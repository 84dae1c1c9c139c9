import { Ollama } from 'ollama';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama, unitLength } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, twoTierConfig, type Harness, stopAll, resetBetweenTests } from '../support/harness';
import { assertMatchesSpec } from '../support/spec';

let ollamaUp: FakeServer;
let openaiUp: FakeServer;
let h: Harness;
/** The official client, pointed at the gateway's root as a tool configured for Ollama would be. */
let client: Ollama;

const config = () => {
  const c = twoTierConfig({ ollama: ollamaUp.url, openai: openaiUp.url });
  (c.deployments[0] as Record<string, unknown>).options = { num_ctx: 16384 };
  return c;
};

beforeAll(async () => {
  ollamaUp = await startFakeOllama({ chunkDelayMs: 2, models: ['llama3.2:3b', 'nomic-embed-text', 'qwen2.5-coder:1.5b'] });
  openaiUp = await startFakeOpenAI({ chunkDelayMs: 2 });
  h = await startGateway(config());
  client = new Ollama({ host: h.url });
});
afterAll(() => stopAll(h, ollamaUp, openaiUp));
beforeEach(async () => {
  await resetBetweenTests(h, [ollamaUp, openaiUp], config());
});

const post = (path: string, body: unknown) => fetch(`${h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const weather = { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } };

describe('model listing', () => {
  it('lists routes and deployments in Ollama format, with the version', async () => {
    const list = await client.list();
    expect(list.models.map((m) => m.name)).toEqual(['default', 'cloud-first', 'embed', 'llama', 'mini', 'local-embed', 'cloud-embed']);
    assertMatchesSpec('ollama', 'ListResponse', await fetch(`${h.url}/api/tags`).then((r) => r.json()));
    expect((await client.version()).version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("shows an Ollama-backed model with the upstream's template and capabilities, and the deployment's num_ctx as its window", async () => {
    const shown = await client.show({ model: 'default' });
    assertMatchesSpec('ollama', 'ShowResponse', JSON.parse(JSON.stringify(shown)));
    expect(shown.capabilities).toEqual(['completion', 'tools']);
    expect(shown.template).not.toContain('.Suffix');
    expect(shown.model_info).toMatchObject({ 'general.architecture': 'llama', 'llama.context_length': 16384 });
    expect(shown.parameters).toContain('num_ctx                        16384');
    expect(shown.parameters).not.toContain('8192');
    expect(shown.parameters).toContain('stop');
    expect(ollamaUp.requests.at(-1)?.body).toEqual({ model: 'llama3.2:3b' });
  });

  it('tells the truth about every exposed model, cloud ones included, and takes the deployment\'s word over both', async () => {
    const c = config();
    c.providers.push({ name: 'claude', kind: 'anthropic', baseUrl: openaiUp.url, apiKey: 'env:TEST_KEY' } as never);
    c.deployments.push(
      { name: 'coder', provider: 'local', model: 'qwen2.5-coder:1.5b' } as never,
      { name: 'sonnet', provider: 'claude', model: 'claude-sonnet-4-5' } as never,
      { name: 'codestral-ish', provider: 'cloud', model: 'my-finetune', capabilities: ['completion', 'insert'], contextWindow: 32000 } as never,
      { name: 'coder-no-fim', provider: 'local', model: 'qwen2.5-coder:1.5b', capabilities: ['completion', 'tools'], contextWindow: 12000 } as never,
    );
    h.gateway.applyConfig(c, 'test');
    const shown = async (model: string) => {
      const answer = await client.show({ model });
      assertMatchesSpec('ollama', 'ShowResponse', JSON.parse(JSON.stringify(answer)));
      // The client types model_info as a Map; on the wire it is an object.
      const info = answer.model_info as unknown as Record<string, unknown>;
      return { capabilities: answer.capabilities, fim: answer.template.includes('.Suffix'), context: info[`${String(info['general.architecture'])}.context_length`] };
    };
    expect(await shown('mini')).toEqual({ capabilities: ['completion', 'tools', 'vision'], fim: false, context: 1047576 });
    expect(await shown('sonnet')).toEqual({ capabilities: ['completion', 'tools', 'vision', 'thinking'], fim: false, context: 200000 });
    expect(await shown('coder')).toEqual({ capabilities: ['completion', 'tools', 'insert'], fim: true, context: 8192 });
    expect(await shown('codestral-ish')).toEqual({ capabilities: ['completion', 'insert'], fim: true, context: 32000 });
    expect(await shown('coder-no-fim')).toEqual({ capabilities: ['completion', 'tools'], fim: false, context: 12000 });
    expect(await shown('local-embed')).toMatchObject({ capabilities: ['embedding'], fim: false });
    expect(await shown('cloud-embed')).toEqual({ capabilities: ['embedding'], fim: false, context: 8191 });
  });

  it('describes an OpenAI-backed model from its config, and answers 404 for an unknown one', async () => {
    const shown = await client.show({ model: 'mini' });
    expect(shown.capabilities).toEqual(['completion', 'tools', 'vision']);
    expect(shown.template).not.toContain('.Suffix');
    const missing = await post('/api/show', { model: 'gpt-9' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: expect.stringContaining('gpt-9') });
  });

  it('lists the deployments whose models are loaded in their Ollama, as that Ollama describes them', async () => {
    const ps = await client.ps();
    expect(ps.models.map((m) => m.name)).toEqual(['llama']);
    // The upstream's own entry: the ollama CLI parses expires_at as a time and cuts the digest to 12.
    const raw = await fetch(`${h.url}/api/ps`).then((r) => r.json());
    assertMatchesSpec('ollama', 'PsResponse', raw);
    expect(raw.models[0]).toMatchObject({ name: 'llama', model: 'llama', expires_at: '2026-11-22T10:00:00Z', size_vram: 2_000_000_000, context_length: 4096 });
    expect(raw.models[0].digest).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('/api/chat', () => {
  it('streams NDJSON by default and ends with done: true and the upstream Ollama counts and durations', async () => {
    const res = await post('/api/chat', { model: 'default', messages: [{ role: 'user', content: 'one two' }] });
    expect(res.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
    for (const line of lines.slice(0, -1)) assertMatchesSpec('ollama', 'ChatStreamEvent', line);
    const last = lines.at(-1);
    assertMatchesSpec('ollama', 'ChatResponse', last);
    expect(lines.slice(0, -1).map((l) => l.message.content).join('')).toBe('Echo: one two');
    expect(last).toMatchObject({ model: 'default', done: true, done_reason: 'stop', prompt_eval_count: 12, eval_count: 3, total_duration: 5_000_000, load_duration: 1_000_000 });
    expect(lines.filter((l) => l.done)).toHaveLength(1);
  });

  it('answers through the official client, streaming and not, from an OpenAI-kind upstream with counts from its usage', async () => {
    let text = '';
    let final: Record<string, unknown> = {};
    for await (const part of await client.chat({ model: 'cloud-first', messages: [{ role: 'user', content: 'a b c' }], stream: true })) {
      text += part.message.content;
      if (part.done) final = part as unknown as Record<string, unknown>;
    }
    expect(text).toBe('Echo: a b c');
    expect(final).toMatchObject({ done: true, done_reason: 'stop', prompt_eval_count: 12, eval_count: 4 });
    expect(final.total_duration).toBeGreaterThan(0);

    const whole = await client.chat({ model: 'cloud-first', messages: [{ role: 'user', content: 'hi' }], stream: false });
    assertMatchesSpec('ollama', 'ChatResponse', JSON.parse(JSON.stringify(whole)));
    expect(whole.message.content).toBe('Echo: hi');
    expect(whole).toMatchObject({ done: true, prompt_eval_count: 12, eval_count: 2 });
  });

  it("passes num_ctx, keep_alive, think and sampling options to an Ollama upstream, the client's winning", async () => {
    await client.chat({ model: 'llama', messages: [{ role: 'user', content: 'x' }], options: { num_ctx: 32768, temperature: 0.1, num_predict: 20 }, keep_alive: '5m', think: false, stream: false });
    expect(ollamaUp.requests[0]?.body).toMatchObject({ model: 'llama3.2:3b', keep_alive: '5m', think: false, options: { num_ctx: 32768, temperature: 0.1, num_predict: 20 } });
  });

  it('maps options to OpenAI parameters for a cloud upstream', async () => {
    await client.chat({ model: 'mini', messages: [{ role: 'system', content: 's' }, { role: 'user', content: 'x' }], options: { temperature: 0.3, num_predict: 99, stop: ['END'] }, format: 'json', stream: false });
    expect(openaiUp.requests[0]?.body).toMatchObject({ model: 'gpt-4.1-mini', temperature: 0.3, max_tokens: 99, stop: ['END'], response_format: { type: 'json_object' } });
    expect(openaiUp.requests[0]?.body.messages).toEqual([{ role: 'system', content: 's' }, { role: 'user', content: 'x' }]);
  });

  it('falls back from a failing Ollama upstream to the OpenAI-kind one in the middle of the route', async () => {
    await ollamaUp.setMode({ kind: 'status', status: 500 });
    const res = await post('/api/chat', { model: 'default', messages: [{ role: 'user', content: 'hey' }], stream: false });
    expect(res.headers.get('x-switchyard-deployment')).toBe('mini');
    expect(res.headers.get('x-switchyard-attempts')).toBe('2');
    expect((await res.json()).message.content).toBe('Echo: hey');
  });

  it('sends images as base64 to Ollama and as typed data URLs to OpenAI', async () => {
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    await client.chat({ model: 'llama', messages: [{ role: 'user', content: 'see', images: [png] }], stream: false });
    expect(ollamaUp.requests[0]?.body.messages[0]).toEqual({ role: 'user', content: 'see', images: [png] });
    const answer = await client.chat({ model: 'mini', messages: [{ role: 'user', content: 'see', images: [png] }], stream: false });
    expect(openaiUp.requests[0]?.body.messages[0].content).toEqual([{ type: 'text', text: 'see' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } }]);
    expect(answer.message.content).toBe('Echo: see [1 image]');
  });
});

describe('tool calls both ways', () => {
  for (const model of ['llama', 'mini']) {
    it(`round-trips a tool call with an ${model === 'llama' ? 'Ollama' : 'OpenAI'}-kind upstream, streaming and not`, async () => {
      // An Ollama before 0.12.10 (this one) gives calls no ids; the gateway's own calls have them.
      const expected = [{ ...(model === 'mini' ? { id: expect.stringMatching(/^call_/) } : {}), function: { name: 'get_weather', arguments: { city: 'Paris' } } }];
      const first = await client.chat({ model, messages: [{ role: 'user', content: 'weather?' }], tools: [weather as never], stream: false });
      expect(first.message.tool_calls).toEqual(expected);

      const streamed = [];
      for await (const part of await client.chat({ model, messages: [{ role: 'user', content: 'weather?' }], tools: [weather as never], stream: true })) streamed.push(...(part.message.tool_calls ?? []));
      expect(streamed).toEqual(expected);

      const second = await client.chat({
        model,
        tools: [weather as never],
        stream: false,
        messages: [
          { role: 'user', content: 'weather?' },
          { role: 'assistant', content: '', tool_calls: first.message.tool_calls },
          { role: 'tool', content: 'sunny', tool_name: 'get_weather' } as never,
        ],
      });
      expect(second.message.content).toBe('The tool said: sunny');
      if (model === 'mini') {
        const sent = openaiUp.requests.at(-1)?.body.messages;
        expect(sent[1].tool_calls[0]).toMatchObject({ type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } });
        expect(sent[2]).toEqual({ role: 'tool', content: 'sunny', tool_call_id: sent[1].tool_calls[0].id });
      } else {
        expect(ollamaUp.requests.at(-1)?.body.messages[2]).toEqual({ role: 'tool', content: 'sunny', tool_name: 'get_weather' });
      }
    });
  }
});

describe('/api/generate', () => {
  it("passes fill-in-the-middle to an Ollama upstream with the deployment's num_ctx, as chat where its model lacks insert (fill-in-the-middle.test.ts)", async () => {
    const answer = await client.generate({ model: 'default', prompt: 'def f(', suffix: '):\n  return 1', stream: false, options: { num_predict: 32 } });
    assertMatchesSpec('ollama', 'GenerateResponse', JSON.parse(JSON.stringify(answer)));
    expect(ollamaUp.requests.map((r) => r.path)).toEqual(['/api/generate', '/api/chat']);
    expect(ollamaUp.requests[0]).toMatchObject({ body: { model: 'llama3.2:3b', suffix: '):\n  return 1', options: { num_ctx: 16384, num_predict: 32 } } });
    expect(ollamaUp.requests[1]).toMatchObject({ body: { model: 'llama3.2:3b', options: { num_ctx: 16384, num_predict: 32 } } });
    expect(answer).toMatchObject({ done: true, prompt_eval_count: 12 });
  });

  it('streams generate lines by default and stands in a chat model for FIM when the route falls back to the cloud', async () => {
    await ollamaUp.setMode({ kind: 'refuse' });
    const res = await post('/api/generate', { model: 'default', prompt: 'a = ', suffix: '\nprint(a)' });
    expect(res.headers.get('x-switchyard-deployment')).toBe('mini');
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
    for (const line of lines) assertMatchesSpec('ollama', 'GenerateStreamEvent', line);
    expect(lines.at(-1)).toMatchObject({ done: true, done_reason: 'stop' });
    const sent = openaiUp.requests[0]?.body.messages;
    expect(sent[0].role).toBe('system');
    expect(sent[1]).toEqual({ role: 'user', content: '<prefix>a = </prefix><suffix>\nprint(a)</suffix>' });
  });

  it('turns system and prompt into chat messages for a cloud model', async () => {
    const answer = await client.generate({ model: 'mini', system: 'be brief', prompt: 'hello', stream: false });
    expect(answer.response).toBe('Echo: hello');
    expect(openaiUp.requests[0]?.body.messages).toEqual([{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hello' }]);
  });
});

describe('embeddings', () => {
  it('embeds through /api/embed and the older /api/embeddings, from both kinds', async () => {
    // /api/embed's vectors are of length 1, the cloud's too (Ollama scales its own; the gateway the cloud's).
    const raw = [[0.5, 0.25, -1, 0.125], [1.5, 0.25, -1, 0.125]];
    for (const model of ['local-embed', 'cloud-embed', 'embed']) {
      const result = await client.embed({ model, input: ['a', 'b'] });
      assertMatchesSpec('ollama', 'EmbedResponse', JSON.parse(JSON.stringify(result)));
      expect(result.embeddings).toEqual(raw.map(unitLength));
      // The fake OpenAI counts tokens as OpenAI does (a token each here), the fake Ollama three an input.
      expect(result.prompt_eval_count).toBe(model === 'cloud-embed' ? 2 : 6);
    }
    const legacy = await client.embeddings({ model: 'cloud-embed', prompt: 'x' });
    expect(legacy.embedding).toEqual([0.5, 0.25, -1, 0.125]);
  });
});

describe('errors as Ollama sends them', () => {
  it('takes NAME:latest for a route or deployment listed as NAME, as Ollama does, and keeps the name the client sent', async () => {
    const whole = await client.chat({ model: 'cloud-first:latest', messages: [{ role: 'user', content: 'hi' }], stream: false });
    expect(whole).toMatchObject({ model: 'cloud-first:latest', message: { content: 'Echo: hi' } });
    const shown = await client.show({ model: 'cloud-first:latest' });
    expect(shown.capabilities).toContain('completion');
    const embedded = await client.embed({ model: 'embed:latest', input: 'x' });
    expect(embedded.embeddings).toHaveLength(1);
    await expect(client.chat({ model: 'nope:latest', messages: [] })).rejects.toMatchObject({ status_code: 404 });
  });

  it('answers an unknown model with 404 before any stream starts', async () => {
    const res = await post('/api/chat', { model: 'nope', messages: [{ role: 'user', content: 'x' }] });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = await res.json();
    assertMatchesSpec('ollama', 'ErrorResponse', body);
    expect(typeof body.error).toBe('string');
    await expect(client.chat({ model: 'nope', messages: [] })).rejects.toMatchObject({ status_code: 404 });
  });

  it('answers a bad body with 400 and a string error', async () => {
    const res = await post('/api/chat', { model: 'default', messages: [{ role: 'wizard', content: 'x' }] });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toContain('messages[0].role');
    // (No input at all only loads the model, as in Ollama: test/http/embed-nothing.test.ts.)
    expect((await post('/api/embed', { model: 'embed', input: 5 })).status).toBe(400);
  });

  it('ends a stream that fails after its first line with an error line, never done: true', async () => {
    await openaiUp.setMode({ kind: 'reset-mid-stream', chunks: 2 });
    const res = await post('/api/chat', { model: 'cloud-first', messages: [{ role: 'user', content: 'x y z' }] });
    expect(res.status).toBe(200);
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.some((l) => l.done === true)).toBe(false);
    expect(lines.at(-1)).toEqual({ error: expect.stringContaining('after the stream began') });
    await openaiUp.setMode({ kind: 'reset-mid-stream', chunks: 2 });
    const consume = async () => {
      for await (const _ of await client.chat({ model: 'cloud-first', messages: [{ role: 'user', content: 'x y z' }], stream: true })) void _;
    };
    await expect(consume()).rejects.toThrow(/after the stream began/);
  });

  it('does not manage models, and says where to do it', async () => {
    for (const [method, path] of [['POST', '/api/pull'], ['POST', '/api/push'], ['POST', '/api/create'], ['POST', '/api/copy'], ['DELETE', '/api/delete']]) {
      const res = await fetch(`${h.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'llama3.2' }) });
      expect(res.status).toBe(501);
      const said = (await res.json()).error;
      expect(said).toContain('manage models in Ollama itself');
      // Switchyard pulls a deployment's model itself, for whoever runs it: the refusal says where.
      if (path === '/api/pull') expect(said).toContain('"switchyard pull DEPLOYMENT"');
    }
    await expect(client.pull({ model: 'llama3.2' })).rejects.toThrow(/ollama pull/);
    expect(ollamaUp.requests).toHaveLength(0);
  });
});
