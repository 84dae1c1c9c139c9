/**
 * An embed request with nothing to embed. Ollama reads one (`input` "", [] or none; the deprecated
 * endpoint's `prompt` "") as a request to load the model, and answers it with no vectors: clients send
 * it to have the model ready before a batch. The front door refused `[]` and sent "" on to a cloud
 * deployment, which refuses it. OpenAI's API refuses an empty input ("'$.input' is invalid"); the
 * OpenAI front door answered it from an Ollama with no vectors at all, which a client indexing
 * `data[0]` fails on far from the cause.
 */
import { expect, it } from 'vitest';
import { useTwoTier } from '../support/two-tier';
import { assertMatchesSpec } from '../support/spec';

const t = useTwoTier();

const post = (path: string, body: unknown) =>
  fetch(`${t.h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (res) => ({ status: res.status, body: await res.json() }));

it("has an Ollama load the model for an embed request with no input, each time (no cached answer stands in), and answers no vectors", async () => {
  for (const input of [{ input: '' }, { input: [] }, {}]) {
    const answer = await post('/api/embed', { model: 'local-embed', keep_alive: '10m', ...input });
    expect(answer).toMatchObject({ status: 200, body: { model: 'local-embed', embeddings: [] } });
    assertMatchesSpec('ollama', 'EmbedResponse', answer.body);
    expect(t.ollama.requests.at(-1)).toMatchObject({ path: '/api/embed', body: { model: 'nomic-embed-text', keep_alive: '10m', ...input } });
  }
  await post('/api/embed', { model: 'local-embed', input: [] });
  expect(t.ollama.requests).toHaveLength(4);
  const legacy = await t.h.ollama.embeddings({ model: 'local-embed', prompt: '' });
  expect(legacy.embedding).toEqual([]);
  expect(t.ollama.requests.at(-1)?.path).toBe('/api/embeddings');
});

it('answers one with no vectors itself where the deployment is not an Ollama, as there is nothing to load', async () => {
  expect(await post('/api/embed', { model: 'cloud-embed', input: [] })).toMatchObject({ status: 200, body: { model: 'cloud-embed', embeddings: [] } });
  expect(await post('/api/embed', { model: 'cloud-embed', input: '' })).toMatchObject({ status: 200, body: { embeddings: [] } });
  expect((await t.h.ollama.embeddings({ model: 'cloud-embed', prompt: '' })).embedding).toEqual([]);
  expect(t.openai.requests).toHaveLength(0);
  // Something to embed still goes.
  expect((await t.h.ollama.embed({ model: 'cloud-embed', input: ['a'] })).embeddings).toHaveLength(1);
  expect(t.openai.requests).toHaveLength(1);
});

it("refuses an empty input in OpenAI's API, as OpenAI does, naming the item, before any upstream is asked", async () => {
  for (const [input, param] of [['', 'input'], [[''], 'input[0]'], [['text', ''], 'input[1]']] as const) {
    const answer = await post('/v1/embeddings', { model: 'embed', input });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', param });
    expect(answer.body.error.message).toBe(`Invalid request body: ${param} must not have fewer than 1 characters (got "")`);
  }
  // Whitespace is text: OpenAI embeds it.
  expect((await t.h.openai.embeddings.create({ model: 'embed', input: ' ', encoding_format: 'float' })).data).toHaveLength(1);
  expect(t.ollama.requests.filter((r) => r.path === '/api/embed')).toHaveLength(1);
  expect(t.openai.requests).toHaveLength(0);
});
