/**
 * `ollama stop` (a generate with no prompt and `keep_alive: 0`), and any client's load request,
 * for an embedding model. Ollama unloads any model so; the gateway answered 400 ("serves embedding
 * requests, not chat") for a name its own `/api/ps` lists. A load goes as an embed request of
 * nothing, as Ollama's generate will not load an embedding model.
 */
import { expect, it } from 'vitest';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier();
const post = (path: string, body: unknown) =>
  fetch(`${t.h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (res) => ({ status: res.status, body: await res.json() }));
const running = async () => ((await (await fetch(`${t.ollama.url}/api/ps`)).json()) as { models: { name: string }[] }).models.map((m) => m.name);

it("unloads an embedding deployment's model as `ollama stop` asks, and loads it for a load request", async () => {
  await t.h.ollama.embed({ model: 'local-embed', input: 'warm' });
  expect(await running()).toContain('nomic-embed-text');
  const stopped = await post('/api/generate', { model: 'local-embed', keep_alive: 0 });
  expect(stopped).toMatchObject({ status: 200, body: { model: 'local-embed', done: true, done_reason: 'unload' } });
  expect(t.ollama.requests.at(-1)).toMatchObject({ path: '/api/generate', body: { model: 'nomic-embed-text', keep_alive: 0 } });
  expect(await running()).not.toContain('nomic-embed-text');

  const loaded = await post('/api/chat', { model: 'embed', messages: [], keep_alive: '10m' });
  expect(loaded).toMatchObject({ status: 200, body: { model: 'embed', done: true, done_reason: 'load' } });
  expect(t.ollama.requests.at(-1)).toMatchObject({ path: '/api/embed', body: { model: 'nomic-embed-text', keep_alive: '10m' } });
  expect(await running()).toContain('nomic-embed-text');
});

it('answers one for a cloud embedding deployment itself, which has nothing to load', async () => {
  expect(await post('/api/generate', { model: 'cloud-embed', keep_alive: 0 })).toMatchObject({ status: 200, body: { done: true, done_reason: 'unload' } });
  expect(t.openai.requests).toHaveLength(0);
});

it('still refuses a chat with something to answer, naming the kind of model', async () => {
  const asked = await post('/api/generate', { model: 'local-embed', prompt: 'hello', stream: false });
  expect(asked.status).toBe(400);
  expect(asked.body.error).toContain('serves embedding requests, not chat');
});
