/**
 * The playground tries embedding routes too: a request as OpenAI's /v1/embeddings or Ollama's
 * /api/embed, through that front door, with its fallback rehearsed and what went upstream. The
 * dashboard learns which names embed from the client basics, beside the chat models.
 */
import { expect, it } from 'vitest';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier();
const wire = (body: unknown) => t.h.admin('/admin/api/playground/wire', { method: 'POST', body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: await r.json() }));

it('lists the embedding routes and deployments apart from the chat ones', async () => {
  const basics = await (await t.h.admin('/admin/api/clients')).json();
  expect(basics).toEqual({ keyRequired: false, models: ['default', 'cloud-first', 'llama', 'mini'], embeddingModels: ['embed', 'local-embed', 'cloud-embed'] });
});

it('sends an OpenAI embeddings request through /v1/embeddings, rehearsing the fallback to the cloud', async () => {
  const { status, body } = await wire({ api: 'embeddings', body: { model: 'embed', input: ['a cat', 'a dog'] }, simulateFailures: ['local-embed'] });
  expect(status).toBe(200);
  expect(body.status).toBe(200);
  expect(body.answer.data.map((d: { index: number; embedding: number[] }) => [d.index, d.embedding.length > 0])).toEqual([[0, true], [1, true]]);
  expect(body.deployment).toBe('cloud-embed');
  expect(body.attempts).toEqual([
    expect.objectContaining({ deployment: 'local-embed', outcome: 'failed', message: expect.stringContaining('simulated') }),
    expect.objectContaining({ deployment: 'cloud-embed', outcome: 'ok' }),
  ]);
  expect(body.upstream).toEqual([{ provider: 'cloud', method: 'POST', url: `${t.openai.url}/v1/embeddings`, body: expect.objectContaining({ model: 'text-embedding-3-small', input: ['a cat', 'a dog'] }) }]);
  expect(body.tokens?.input).toBeGreaterThan(0);
  expect(t.ollama.requests.filter((r) => r.path === '/api/embed')).toHaveLength(0);
});

it("sends an Ollama embed request through /api/embed, passed to the Ollama as it came", async () => {
  const { body } = await wire({ api: 'ollama-embed', body: { model: 'embed', input: 'a cat' } });
  expect(body.status).toBe(200);
  expect(body.answer.embeddings).toHaveLength(1);
  expect(body.deployment).toBe('local-embed');
  expect(body.upstream).toEqual([{ provider: 'local', method: 'POST', url: `${t.ollama.url}/api/embed`, body: expect.objectContaining({ model: 'nomic-embed-text', input: 'a cat' }) }]);
});

it("answers an embeddings request the front door refuses with that front door's error", async () => {
  const { body } = await wire({ api: 'embeddings', body: { model: 'embed', input: '' } });
  expect([body.status, body.answer.error.param]).toEqual([400, 'input']);
  expect((await wire({ api: 'embed', body: { model: 'embed', input: 'x' } })).status).toBe(400);
});
