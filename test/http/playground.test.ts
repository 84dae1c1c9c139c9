/** The playground over the admin API: rehearsed fallbacks, streams with their trace, each front door, runs kept apart. */
import { executionAsyncId } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { twoTierConfig } from '../support/harness';
import { useTwoTier } from '../support/two-tier';

const config = () => twoTierConfig({ ollama: t.ollama.url, openai: t.openai.url });
const t = useTwoTier({ config: () => config() });
const json = (body: unknown) => ({ body: JSON.stringify(body) });

describe('playground', () => {
  it('rehearses a fallback: the simulated deployment is not called and the trace shows why it was skipped', async () => {
    const res = await t.h.admin('/admin/api/playground', { method: 'POST', ...json({ model: 'default', messages: [{ role: 'user', content: 'hi' }], simulateFailures: ['llama'] }) });
    const body = await res.json();
    expect(body.completion.choices[0].message.content).toBe('Echo: hi');
    expect(body.deployment).toBe('mini');
    expect(body.attempts).toEqual([
      expect.objectContaining({ deployment: 'llama', outcome: 'failed', message: expect.stringContaining('simulated') }),
      expect.objectContaining({ deployment: 'mini', outcome: 'ok' }),
    ]);
    expect(body.tokens).toEqual({ input: 12, output: 2 });
    expect(body.cost).toBeGreaterThan(0);
    expect(t.ollama.requests).toHaveLength(0);
    expect((await t.h.admin('/admin/api/breakers').then((r) => r.json())).breakers.find((b: { deployment: string }) => b.deployment === 'llama').consecutiveFailures).toBe(0);
  });

  it('refuses to simulate the failure of a deployment the config does not have, naming the one meant', async () => {
    for (const [path, body] of [
      ['/admin/api/playground', { model: 'default', messages: [{ role: 'user', content: 'hi' }], simulateFailures: ['lama'] }],
      ['/admin/api/playground/wire', { api: 'openai', body: { model: 'default', messages: [{ role: 'user', content: 'hi' }] }, simulateFailures: ['lama'] }],
    ] as const) {
      const res = await t.h.admin(path, { method: 'POST', ...json(body) });
      expect([path, res.status, (await res.json()).error]).toEqual([path, 400, expect.objectContaining({ message: 'There is no deployment named "lama" to simulate the failure of (did you mean "llama"?)', param: 'simulateFailures' })]);
    }
    expect(t.ollama.requests.length + t.openai.requests.length).toBe(0);
  });

  it('refuses a chat request /v1/chat/completions would refuse, before any deployment is called or counted', async () => {
    for (const bad of [{ content: [null] }, { content: 5 }, { role: 'robot', content: 'hi' }]) {
      const res = await t.h.admin('/admin/api/playground', { method: 'POST', ...json({ model: 'default', messages: [{ role: 'user', ...bad }], temperature: 0.5 }) });
      expect([res.status, (await res.json()).error.message]).toEqual([400, expect.stringMatching(/messages/)]);
    }
    expect((await t.h.admin('/admin/api/playground', { method: 'POST', ...json({ model: 'default', messages: [{ role: 'user', content: 'hi' }], temperature: 7 }) })).status).toBe(400);
    expect([...t.ollama.requests, ...t.openai.requests]).toHaveLength(0);
    const breakers = (await t.h.admin('/admin/api/breakers').then((r) => r.json())).breakers as { consecutiveFailures: number }[];
    expect(breakers.every((b) => b.consecutiveFailures === 0)).toBe(true);
  });

  it('streams chunks and ends with the trace', async () => {
    const res = await t.h.admin('/admin/api/playground', { method: 'POST', ...json({ model: 'default', stream: true, messages: [{ role: 'user', content: 'a b' }] }) });
    const events = (await res.text()).trim().split('\n\n').map((e) => JSON.parse(e.slice(6)));
    expect(events.filter((e) => e.type === 'chunk').map((e) => e.chunk.choices[0]?.delta?.content ?? '').join('')).toBe('Echo: a b');
    expect(events.at(-1)).toMatchObject({ type: 'trace', deployment: 'llama', tokens: { input: 12, output: 3 } });
    // The request as it went to Ollama: translated to /api/chat.
    expect(events.at(-1).upstream).toEqual([{ provider: 'local', method: 'POST', url: `${t.ollama.url}/api/chat`, body: expect.objectContaining({ model: 'llama3.2:3b', stream: true }) }]);
    expect(events.at(-1).firstTokenMs).toEqual(expect.any(Number));
  });

  it("times a streamed answer's first token when it is a tool call, with no text at all", async () => {
    const tools = [{ type: 'function', function: { name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
    const res = await t.h.admin('/admin/api/playground', { method: 'POST', ...json({ model: 'default', stream: true, tools, messages: [{ role: 'user', content: 'weather in paris' }] }) });
    const events = (await res.text()).trim().split('\n\n').map((e) => JSON.parse(e.slice(6)));
    expect(events.filter((e) => e.type === 'chunk').flatMap((e) => e.chunk.choices[0]?.delta?.tool_calls ?? []).map((c: { function: { name?: string } }) => c.function.name)).toContain('weather');
    expect(events.at(-1)).toMatchObject({ type: 'trace', firstTokenMs: expect.any(Number) });
  });

  it('sends a Messages or Responses request through its front door and shows each request that went upstream, translated', async () => {
    const wire = (body: unknown) => t.h.admin('/admin/api/playground/wire', { method: 'POST', ...json(body) }).then((r) => r.json());
    const messages = await wire({ api: 'anthropic', body: { model: 'default', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }, simulateFailures: ['llama'] });
    expect(messages).toMatchObject({ status: 200, deployment: 'mini', answer: { type: 'message', content: [{ type: 'text', text: 'Echo: hi' }] }, tokens: { input: 12, output: 2 } });
    expect(messages.attempts.map((a: { deployment: string; outcome: string }) => [a.deployment, a.outcome])).toEqual([['llama', 'failed'], ['mini', 'ok']]);
    expect(messages.upstream).toEqual([{ provider: 'cloud', method: 'POST', url: `${t.openai.url}/v1/chat/completions`, body: expect.objectContaining({ model: 'gpt-4.1-mini', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }) }]);
    expect(t.h.gateway.usage.row(messages.requestId)).toMatchObject({ api: 'anthropic', clientKey: 'playground' });

    const streamed = await wire({ api: 'responses', body: { model: 'default', input: 'a b', stream: true } });
    expect(streamed).toMatchObject({ status: 200, deployment: 'llama', contentType: 'text/event-stream; charset=utf-8' });
    expect(streamed.answer).toMatch(/event: response\.completed\n/);
    expect(streamed.upstream[0].url).toBe(`${t.ollama.url}/api/chat`);
    // Ollama's own chat, streamed: its NDJSON lines as they came, not read as one JSON body.
    const native = await wire({ api: 'ollama', body: { model: 'default', messages: [{ role: 'user', content: 'c d' }] } });
    expect(native).toMatchObject({ status: 200, deployment: 'llama', contentType: 'application/x-ndjson' });
    expect(native.answer.trim().split('\n').map((line: string) => JSON.parse(line).message.content).join('')).toBe('Echo: c d');

    const refused = await wire({ api: 'openai', body: { model: 'default', messages: [] } });
    expect(refused).toMatchObject({ status: 400, answer: { error: { type: 'invalid_request_error' } }, upstream: [] });
  });

  it('keeps concurrent runs apart, and leaves no promise tracking behind once they end', async () => {
    const wire = (simulateFailures: string[]) =>
      t.h.admin('/admin/api/playground/wire', { method: 'POST', ...json({ api: 'openai', body: { model: 'default', messages: [{ role: 'user', content: 'x' }] }, simulateFailures }) }).then((r) => r.json());
    const [failed, plain] = await Promise.all([wire(['llama']), wire([])]);
    expect(failed.attempts.map((a: { deployment: string }) => a.deployment)).toEqual(['llama', 'mini']);
    expect(plain.attempts.map((a: { deployment: string }) => a.deployment)).toEqual(['llama']);
    // While an AsyncLocalStorage is on, Node 20 gives every promise an async id (and tracks it, at
    // a cost to every request); off, a promise's continuation runs under id 0.
    await null;
    expect(executionAsyncId()).toBe(0);
  });

  it('is let through when client keys are required, which no client request is', async () => {
    t.h.gateway.applyConfig({ ...config(), settings: { clientKeys: { required: true } } }, 'test');
    const answer = await t.h.admin('/admin/api/playground/wire', { method: 'POST', ...json({ api: 'anthropic', body: { model: 'default', max_tokens: 9, messages: [{ role: 'user', content: 'x' }] } }) }).then((r) => r.json());
    expect(answer.status).toBe(200);
    const direct = await fetch(`${t.h.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'default', max_tokens: 9, messages: [{ role: 'user', content: 'x' }] }) });
    expect(direct.status).toBe(401);
  });
});
