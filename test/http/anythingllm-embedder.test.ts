/**
 * AnythingLLM's Ollama embedder, as it calls (its server/utils/EmbeddingEngines/ollama): a GET of
 * its base URL first (is Ollama alive? a 2xx or nothing is embedded), then `/api/embed` with the
 * `ollama` client, a chunk at a time by default, `num_ctx` set to its maximum chunk length (8,192),
 * and its Auth Token as a Bearer header, which here is a client key.
 */
import { Ollama } from 'ollama';
import { expect, it } from 'vitest';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier({ config: (t) => t.configWith({ clientKeys: { required: true } }) });

it('answers its aliveness check and embeds its chunks through the embedding route, with a client key', async () => {
  const { key } = await (await t.h.admin('/admin/api/keys', { method: 'POST', body: JSON.stringify({ name: 'anythingllm' }) })).json();
  expect((await fetch(t.h.url)).ok).toBe(true);
  const client = new Ollama({ host: t.h.url, headers: { Authorization: `Bearer ${key}` } });
  const vectors: number[][] = [];
  for (const chunk of ['The first chunk of a document.', 'The second one.']) {
    const { embeddings } = await client.embed({ model: 'embed', input: [chunk], options: { num_ctx: 8192 } });
    vectors.push(...embeddings);
  }
  expect(vectors).toHaveLength(2);
  expect(t.ollama.requests.filter((r) => r.path === '/api/embed').map((r) => r.body.options)).toEqual([{ num_ctx: 8192 }, { num_ctx: 8192 }]);
  // Without its token, refused: the key check covers the embedder too.
  await expect(new Ollama({ host: t.h.url }).embed({ model: 'embed', input: ['x'] })).rejects.toThrow();
});
