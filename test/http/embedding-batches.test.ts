/**
 * A batch of inputs to embed is read one input at a time: each must fit the model's window, not all
 * of them together. The router measured the batch whole, so a RAG indexer's batch (LangChain's
 * OpenAIEmbeddings sends 512 chunks a request) of chunks that each fit was refused as too long, or
 * sent past the local model to the cloud.
 */
import { expect, it } from 'vitest';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier();
const chunk = (i: number, words = 700) => Array.from({ length: words }, (_, j) => `w${i}x${j}`).join(' ');
const batch = Array.from({ length: 20 }, (_, i) => chunk(i));

it('embeds a batch whose inputs each fit the local window, though together they are over it, on both APIs', async () => {
  await t.h.gateway.health.probeAll();
  const { data, response } = await t.h.openai.embeddings.create({ model: 'embed', input: batch, encoding_format: 'float' }).withResponse();
  expect(data.data).toHaveLength(20);
  expect(response.headers.get('x-switchyard-deployment')).toBe('local-embed');
  const ollama = await t.h.ollama.embed({ model: 'embed', input: batch, truncate: false });
  expect(ollama.embeddings).toHaveLength(20);
  expect(t.openai.requests.filter((r) => r.path === '/v1/embeddings')).toHaveLength(0);
});

it('still refuses a batch with one input past every window, naming the longest', async () => {
  await t.h.gateway.health.probeAll();
  const refusal = await t.h.openai.embeddings.create({ model: 'local-embed', input: ['short', chunk(0, 12_000)] }).then(
    () => undefined,
    (e: { status?: number; error?: { message?: string; param?: string } }) => e,
  );
  expect(refusal?.status).toBe(400);
  expect(refusal?.error?.message).toMatch(/its maximum context length is 8192 tokens, and the longest input is about \d+ tokens \(as estimated here\)/);
});

it('measures one input given as token ids by its ids, and a batch of them by the longest', async () => {
  await t.h.gateway.health.probeAll();
  const ids = (n: number) => Array.from({ length: n }, (_, i) => i % 50_000);
  for (const input of [ids(9000), [ids(10), ids(9000)]]) {
    const refusal = await t.h.openai.embeddings.create({ model: 'local-embed', input }).then(() => undefined, (e: { status?: number; error?: { message?: string } }) => e);
    expect(refusal?.status).toBe(400);
    expect(refusal?.error?.message).toContain('and the longest input is about 9000 tokens');
  }
});
