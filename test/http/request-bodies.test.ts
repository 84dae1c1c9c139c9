/**
 * Inputs a client or the dashboard gets wrong: values of the wrong type or range in every front
 * door, prototype keys, control characters in a model name, and admin API inputs. Each is a 400
 * (or 401) that names what is wrong, never a 500, and nothing goes upstream.
 */
import zlib, { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier();

const post = (path: string, body: unknown) => fetch(`${t.h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('request bodies', () => {
  it('refuse values of the wrong type or range, in both front doors, before anything goes upstream', async () => {
    const chat = (extra: Record<string, unknown>) => post('/v1/chat/completions', { model: 'mini', messages: [{ role: 'user', content: 'x' }], ...extra });
    const cases: [Promise<Response>, string][] = [
      [post('/v1/chat/completions', { model: 'mini', messages: [{ role: 'user', content: { text: 'x' } }] }), 'messages[0].content'],
      [chat({ max_tokens: -5 }), 'max_tokens'],
      [chat({ temperature: 'hot' }), 'temperature'],
      [chat({ top_p: 3 }), 'top_p'],
      // A stop sequence is looked for in every chunk of the answer: its length is bounded.
      [chat({ stop: ['x'.repeat(1_001)] }), 'stop'],
      [post('/api/chat', { model: 'default', stream: false, messages: [{ role: 'user', content: 'x' }], options: { stop: ['x'.repeat(1_001)] } }), 'options.stop'],
      // Read when translated (Ollama's format, Anthropic's output schema).
      [chat({ response_format: { type: 'json_schema', json_schema: null } }), 'response_format.json_schema'],
      [post('/api/chat', { model: 'default', stream: false, messages: [{ role: 'user', content: 'x' }], options: { temperature: 'hot' } }), 'options.temperature'],
      [post('/api/chat', { model: 'default', stream: false, messages: [{ role: 'user', content: ['x'] }] }), 'messages[0].content'],
      // What the Ollama front door translates for other upstreams: tools, format and tool calls (arguments are an object there).
      [post('/api/chat', { model: 'cloud-first', stream: false, messages: [{ role: 'user', content: 'x' }], tools: 'get_weather' }), 'tools'],
      [post('/api/chat', { model: 'cloud-first', stream: false, messages: [{ role: 'user', content: 'x' }], format: 1 }), 'format'],
      // A function tool without its function: read when names are made fit for an OpenAI-compatible server.
      [chat({ tools: [{ type: 'function' }] }), 'tools[0].function'],
      [post('/v1/responses', { model: 'mini', input: 'x', tools: [{ type: 'function', parameters: {} }] }), 'tools[0].name'],
      [post('/api/chat', { model: 'cloud-first', stream: false, messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function' }] }), 'tools[0].function'],
      [post('/api/chat', { model: 'cloud-first', stream: false, messages: [{ role: 'assistant', content: '', tool_calls: [{ function: { name: 'f', arguments: '{}' } }] }] }), 'messages[0].tool_calls[0].function.arguments'],
      [post('/api/generate', { model: 'cloud-first', stream: false, prompt: 'x', context: ['a'] }), 'context'],
    ];
    for (const [pending, field] of cases) {
      const res = await pending;
      expect(res.status, field).toBe(400);
      const body = await res.json();
      expect(typeof body.error === 'string' ? body.error : body.error.param, field).toContain(field);
    }
    expect(t.openai.requests).toHaveLength(0);
    expect(t.ollama.requests).toHaveLength(0);
  });

  it('refuse content the Messages, Responses and chat translations read, with its path, and never open a breaker however often they come', async () => {
    const messages = (content: unknown) => post('/v1/messages', { model: 'default', max_tokens: 10, messages: [{ role: 'user', content }] });
    const responses = (input: unknown) => post('/v1/responses', { model: 'default', input });
    const chat = (messages: unknown[]) => post('/v1/chat/completions', { model: 'default', messages });
    const cases: [() => Promise<Response>, string][] = [
      // An image part the Ollama translation reads, and a call with no function (a TypeError upstream of both, answered 503).
      [() => chat([{ role: 'user', content: [{ type: 'image_url' }] }]), 'messages[0].content[0].image_url'],
      [() => chat([{ role: 'user', content: [{ type: 'image_url', image_url: { url: 5 } }] }]), 'messages[0].content[0].image_url'],
      [() => chat([{ role: 'assistant', content: null, tool_calls: [{ id: 'x', type: 'function' }] }, { role: 'tool', tool_call_id: 'x', content: 'r' }]), 'messages[0].tool_calls[0].function'],
      [() => messages([{ type: 'tool_result', tool_use_id: 'toolu_1', content: 1 }]), 'messages[0].content[0].content'],
      [() => messages([{ type: 'tool_result', tool_use_id: 'toolu_1', content: [null] }]), 'messages[0].content[0].content'],
      [() => messages([{ type: 'image', source: null }]), 'messages[0].content[0].source'],
      [() => responses([{ role: 'user', content: 1 }]), 'input[0].content'],
      [() => responses([{ role: 'user', content: [null] }]), 'input[0].content[0]'],
      [() => responses([{ type: 'function_call_output', call_id: 'call_1', output: [null] }]), 'input[0].output[0]'],
      [() => responses([{ type: 'reasoning', summary: 'not a list' }]), 'input[0].summary'],
      // A call or a result without its id or name: sent on as "undefined" where the upstream took it.
      [() => post('/v1/messages', { model: 'default', max_tokens: 10, messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: [{ type: 'tool_use', name: 'f', input: {} }] }] }), 'messages[1].content[0].id'],
      [() => post('/v1/messages', { model: 'default', max_tokens: 10, messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'f', input: [1] }] }] }), 'messages[1].content[0].input'],
      [() => messages([{ type: 'tool_result', content: 'r' }]), 'messages[0].content[0].tool_use_id'],
      [() => responses([{ type: 'function_call', call_id: 'call_1', arguments: '{}' }]), 'input[0].name'],
      [() => responses([{ type: 'function_call_output', output: 'r' }]), 'input[0].call_id'],
    ];
    // Each several times: a malformed body is the client's fault, never a deployment's.
    for (let round = 0; round < 3; round++) {
      for (const [send, param] of cases) {
        const res = await send();
        const body = await res.json();
        expect(res.status, `${param}: ${JSON.stringify(body)}`).toBe(400);
        expect(body.error.param ?? body.error.message, param).toContain(param);
      }
    }
    expect(t.h.gateway.breakers.get('llama').snapshot(Date.now()).state).toBe('closed');
    expect(t.h.gateway.breakers.get('mini').snapshot(Date.now()).state).toBe('closed');
    expect(t.openai.requests).toHaveLength(0);
    expect(t.ollama.requests).toHaveLength(0);
  });

  it('refuse prototype keys as Fastify\'s own parser does', async () => {
    const raw = (text: string) => fetch(`${t.h.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
    expect((await raw('{"model":"mini","messages":[{"role":"user","content":"x"}],"__proto__":{"polluted":true}}')).status).toBe(400);
    expect((await raw('{"model":"mini","messages":[{"role":"user","content":"x"}],"constructor":{"prototype":{"polluted":true}}}')).status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(t.openai.requests).toHaveLength(0);
  });

  it('say a missing body is empty, in each front door\'s shape, whether or not a content type came', async () => {
    for (const path of ['/v1/chat/completions', '/v1/messages', '/api/chat']) {
      for (const headers of [{}, { 'content-type': 'application/json' }] as Record<string, string>[]) {
        const res = await fetch(`${t.h.url}${path}`, { method: 'POST', headers });
        expect(res.status, path).toBe(400);
        expect(JSON.stringify(await res.json()), path).toContain('The request body is empty; send a JSON object');
      }
    }
  });

  it('take an empty body that says it is JSON as none where a route takes none (HTTP helpers set the header on every call)', async () => {
    const reset = await t.h.admin('/admin/api/breakers/mini/reset', { method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(reset.status).toBe(200);
  });

  it('answer a model name with control characters with 400, not 404', async () => {
    const res = await post('/v1/chat/completions', { model: 'mini\u0000\n', messages: [{ role: 'user', content: 'x' }] });
    expect(res.status).toBe(400);
    expect((await res.json()).error.param).toBe('model');
  });
});

describe('admin API inputs', () => {
  it('answer a non-numeric page size and a malformed cookie with 400 and 401, never 500', async () => {
    expect((await t.h.admin('/admin/api/usage?limit=abc')).status).toBe(400);
    const res = await fetch(`${t.h.url}/admin/api/providers`, { headers: { cookie: `switchyard_session_${t.h.port}=%E0%A4%A` } });
    expect(res.status).toBe(401);
  });
});

/** Node 22.15 and later: zstd, as Codex sends it when signed in with ChatGPT. */
const zstdCompressSync = (zlib as { zstdCompressSync?: (input: Buffer) => Buffer }).zstdCompressSync;

describe('compressed request bodies', () => {
  const send = (path: string, encoding: string, body: Buffer) => fetch(`${t.h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': encoding }, body: new Uint8Array(body) });
  const json = (value: unknown) => Buffer.from(JSON.stringify(value));

  it('are decoded before they are read, in every front door, as gzip, deflate or br', async () => {
    const chat = await send('/v1/chat/completions', 'gzip', gzipSync(json({ model: 'cloud-first', messages: [{ role: 'user', content: 'zipped hello' }] })));
    expect(chat.status).toBe(200);
    expect((await chat.json()).choices[0].message.content).toBe('Echo: zipped hello');
    expect(t.openai.requests.at(-1)?.body.messages).toEqual([{ role: 'user', content: 'zipped hello' }]);
    const messages = await send('/v1/messages', 'deflate', deflateSync(json({ model: 'default', max_tokens: 20, messages: [{ role: 'user', content: 'deflated' }] })));
    expect((await messages.json()).content[0].text).toBe('Echo: deflated');
    const ollama = await send('/api/chat', 'br', brotliCompressSync(json({ model: 'default', stream: false, messages: [{ role: 'user', content: 'brotli' }] })));
    expect((await ollama.json()).message.content).toBe('Echo: brotli');
    if (zstdCompressSync) {
      const zstd = await send('/v1/chat/completions', 'zstd', zstdCompressSync(json({ model: 'cloud-first', messages: [{ role: 'user', content: 'zstd hello' }] })));
      expect((await zstd.json()).choices[0].message.content).toBe('Echo: zstd hello');
    }
    // A request with no body that names an encoding all the same is read as having none.
    expect((await fetch(`${t.h.url}/v1/models`, { headers: { 'content-encoding': 'gzip' } })).status).toBe(200);
  });

  it('are refused with a reason when they cannot be decoded, too big once decoded, or in an encoding not served', async () => {
    const cases: [Response, number, string][] = [
      [await send('/v1/chat/completions', 'gzip', json({ model: 'default', messages: [] })), 400, 'could not be decoded as gzip'],
      // 40 MB of zeros is 39 KB gzipped: refused at the 32 MiB limit, not decoded whole.
      [await send('/v1/responses', 'gzip', gzipSync(Buffer.alloc(40_000_000, 0x20))), 413, 'decoded from gzip it passes the limit of 32 MiB'],
      [await send('/v1/chat/completions', 'compress', json({ model: 'default', messages: [] })), 415, 'Content-Encoding "compress" is not supported here'],
    ];
    // Codex signed in with ChatGPT sends zstd; a Node without it says how to get going, not only "no".
    if (!zstdCompressSync) cases.push([await send('/v1/responses', 'zstd', json({ model: 'default', input: 'x' })), 415, `"zstd" needs Node 22.15 or later, and this gateway runs on Node ${process.version}`]);
    for (const [res, status, message] of cases) {
      expect(res.status, message).toBe(status);
      expect((await res.json()).error.message).toContain(message);
    }
    expect(t.openai.requests).toHaveLength(0);
    expect(t.ollama.requests).toHaveLength(0);
  });
});
