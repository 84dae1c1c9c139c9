/**
 * What Ollama's own Go client sends (the `ollama` CLI, and Go tools on its api package): a nil map or
 * slice as null (`"options": null`, `"messages": null`), an unused name as "", and before the first
 * prompt of `ollama run` a request with no messages that only loads the model. The bodies here are
 * as that client marshals them (api/types.go: `json:"options"` and `json:"messages"` have no omitempty).
 * And the base URL itself, which many clients check for Ollama's own words ("Ollama is running").
 */
import { describe, expect, it } from 'vitest';
import { assertMatchesSpec } from '../support/spec';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier();

const post = (path: string, body: unknown, headers: Record<string, string> = {}) => fetch(`${t.h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const lines = async (res: Response) => (await res.text()).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

describe("Ollama's Go client", () => {
  it('runs `ollama run default` end to end: heartbeat, show, load, then the prompt', async () => {
    expect((await fetch(`${t.h.url}/`, { method: 'HEAD' })).status).toBe(200);
    const show = await post('/api/show', { model: 'default', system: '', template: '', verbose: false, options: null, name: '' });
    expect(show.status).toBe(200);
    assertMatchesSpec('ollama', 'ShowResponse', await show.json());

    const load = await lines(await post('/api/chat', { model: 'default', messages: null, options: null }));
    expect(load).toEqual([expect.objectContaining({ model: 'default', done: true, done_reason: 'load', message: { role: 'assistant', content: '' } })]);

    const answer = await lines(await post('/api/chat', { model: 'default', messages: [{ role: 'user', content: 'hi there' }], options: {} }));
    expect(answer.map((l) => (l.message as { content: string }).content).join('')).toBe('Echo: hi there');
    expect(answer.at(-1)).toMatchObject({ done: true, done_reason: 'stop' });
    // Ollama got the load and the prompt as its own client sends them (nothing null passed on).
    expect(t.ollama.requests.map((r) => [r.path, r.body.messages?.length ?? null, 'options' in r.body ? r.body.options : 'absent'])).toEqual([
      ['/api/show', null, 'absent'],
      ['/api/chat', null, { num_ctx: 8192 }],
      ['/api/chat', 1, { num_ctx: 8192 }],
    ]);
  });

  it('finds the model an older client names in `name` beside an empty `model`', async () => {
    const show = await post('/api/show', { model: '', system: '', template: '', options: null, name: 'default' });
    expect(show.status).toBe(200);
    // A key limited to the route reads the same name.
    const { key } = t.h.gateway.keys.create('go-tool', { allowedRoutes: ['default'] });
    expect((await post('/api/show', { model: '', options: null, name: 'default' }, { authorization: `Bearer ${key}` })).status).toBe(200);
    expect((await post('/api/show', { model: '', options: null, name: 'cloud-first' }, { authorization: `Bearer ${key}` })).status).toBe(403);
  });

  it('answers a load to a route whose deployment is not an Ollama without asking it, streamed or not', async () => {
    for (const body of [
      { model: 'cloud-first', messages: null, options: null },
      { model: 'cloud-first', messages: [], options: null, stream: false },
    ]) {
      const res = await post('/api/chat', body);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-switchyard-deployment')).toBe('mini');
      expect((await lines(res))[0]).toMatchObject({ model: 'cloud-first', done: true, done_reason: 'load' });
    }
    const unload = await post('/api/generate', { model: 'cloud-first', prompt: '', system: '', template: '', options: null, keep_alive: 0, stream: false });
    expect(await unload.json()).toMatchObject({ model: 'cloud-first', response: '', done: true, done_reason: 'unload' });
    expect(t.openai.requests).toHaveLength(0);
  });

  it('takes null options and empty strings on generate, embed and embeddings, translated or passed through', async () => {
    const generated = await post('/api/generate', { model: 'cloud-first', prompt: 'hi', suffix: '', system: '', template: '', options: null, stream: false });
    expect(generated.status).toBe(200);
    expect(((await generated.json()) as { response: string }).response).toBe('Echo: hi');
    // An empty system prompt is no system message.
    expect(t.openai.requests[0]?.body.messages).toEqual([{ role: 'user', content: 'hi' }]);
    expect((await post('/api/generate', { model: 'default', prompt: 'hi', suffix: '', system: '', template: '', options: null, stream: false })).status).toBe(200);
    expect((await post('/api/embed', { model: 'embed', input: 'x', options: null })).status).toBe(200);
    // Nulls inside options and messages too, as clients that do not omit empty fields send them.
    const nested = await post('/api/chat', { model: 'cloud-first', messages: [{ role: 'user', content: 'yo', images: null, tool_calls: null }], options: { temperature: null, num_ctx: 4096 }, stream: false });
    expect(nested.status).toBe(200);
    expect(t.openai.requests.at(-1)?.body).toMatchObject({ messages: [{ role: 'user', content: 'yo' }] });
    expect(t.openai.requests.at(-1)?.body).not.toHaveProperty('temperature');
    expect((await post('/api/embeddings', { model: 'embed', prompt: 'x', options: null })).status).toBe(200);
  });
});

describe('the Ollama base URL itself', () => {
  it("answers a client that checks it as Ollama does, word for word, and a browser with the dashboard", async () => {
    // As fetch, axios, requests and curl ask: nothing about HTML.
    for (const accept of ['*/*', 'application/json, text/plain, */*']) {
      const res = await fetch(`${t.h.url}/`, { headers: { accept } });
      expect([res.status, res.headers.get('content-type'), await res.text()]).toEqual([200, 'text/plain; charset=utf-8', 'Ollama is running']);
    }
    const browser = await fetch(`${t.h.url}/`, { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
    expect(browser.headers.get('content-type')).toMatch(/text\/html/);
    expect(await browser.text()).toMatch(/<!doctype html>/i);
  });
});
