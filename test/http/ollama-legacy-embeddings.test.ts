/**
 * Ollama's deprecated `/api/embeddings` (one `prompt`, one `embedding`), still what the Python
 * client's `embeddings()`, LangChain's older OllamaEmbeddings and many RAG scripts call. The front door
 * sent it to an Ollama as `/api/embed`, and that is not the same answer: `/api/embed` scales every vector
 * to length 1, `/api/embeddings` gives the model's vector as it is (server/routes.go). An index built by
 * calling Ollama directly, searched by dot product or distance, then found other neighbours through
 * the gateway. It now goes to an Ollama deployment as it came.
 */
import { expect, it } from 'vitest';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier({ config: (t) => ({ ...t.configWith({ cache: { enabled: true } }) }) });

const length = (vector: number[]) => Math.hypot(...vector);

it("answers an Ollama deployment's own vector, not the unit-length one /api/embed gives, and sends the request as it came", async () => {
  const legacy = await t.h.ollama.embeddings({ model: 'local-embed', prompt: 'the sky is blue', keep_alive: '5m', options: { num_ctx: 4096 } });
  expect(legacy.embedding).toEqual([0.5, 0.25, -1, 0.125]);
  expect(t.ollama.requests.map((r) => r.path)).toEqual(['/api/embeddings']);
  expect(t.ollama.requests[0]?.body).toEqual({ model: 'nomic-embed-text', prompt: 'the sky is blue', keep_alive: '5m', options: { num_ctx: 4096 } });

  // The same text through /api/embed: the unit-length vector, as Ollama gives it there; neither answer is the other's cached.
  const embed = await t.h.ollama.embed({ model: 'local-embed', input: 'the sky is blue' });
  expect(length(embed.embeddings[0]!)).toBeCloseTo(1, 12);
  const again = await t.h.ollama.embeddings({ model: 'local-embed', prompt: 'the sky is blue', keep_alive: '5m', options: { num_ctx: 4096 } });
  expect(again.embedding).toEqual([0.5, 0.25, -1, 0.125]);

  const rows = t.rows(0).filter((row) => row.endpoint === 'ollama.embeddings');
  expect(rows.map((row) => [row.deployment, row.cached])).toEqual([['local-embed', false], ['local-embed', true]]);
  expect(rows[0]).toMatchObject({ tokensEstimated: true, status: 200 });
  expect(rows[0]?.inputTokens).toBeGreaterThan(0);
});

it('answers an empty prompt with no vector, as Ollama does (it only loads the model)', async () => {
  const empty = await t.h.ollama.embeddings({ model: 'embed', prompt: '' });
  expect(empty.embedding).toEqual([]);
  expect(t.ollama.requests.at(-1)).toMatchObject({ path: '/api/embeddings', body: { model: 'nomic-embed-text', prompt: '' } });
  expect(t.openai.requests).toHaveLength(0);
});

it('still answers from a cloud deployment when the route falls back to one', async () => {
  await t.ollama.setMode({ kind: 'refuse' });
  const legacy = await t.h.ollama.embeddings({ model: 'embed', prompt: 'fallback' });
  expect(legacy.embedding).toHaveLength(4);
  expect(t.openai.requests.at(-1)).toMatchObject({ path: '/v1/embeddings', body: { model: 'text-embedding-3-small', input: 'fallback' } });
});
