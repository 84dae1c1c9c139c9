/**
 * What an embeddings request to the cloud costs, in its usage row: OpenAI's embedding models were
 * priced only where the provider's base URL was OpenAI's own, so behind a proxy (and here, on
 * loopback) they cost nothing in the usage log and no budget counted them.
 */
import { expect, it } from 'vitest';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier();

it("records a cloud embedding's cost at text-embedding-3-small's price, and a local one's as free", async () => {
  const since = Date.now() - 1_000;
  const input = Array.from({ length: 40 }, (_, i) => `chunk ${i} ${'of some words '.repeat(50)}`);
  const cloud = await t.h.openai.embeddings.create({ model: 'cloud-embed', input, encoding_format: 'float' });
  await t.h.openai.embeddings.create({ model: 'local-embed', input, encoding_format: 'float' });
  await expect.poll(() => t.rows(since).length).toBe(2);
  const rows = t.rows(since).map((row) => [row.deployment, row.inputTokens, row.cost]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  expect(rows).toEqual([
    ['cloud-embed', cloud.usage.prompt_tokens, expect.closeTo((cloud.usage.prompt_tokens * 0.02) / 1e6, 12)],
    ['local-embed', expect.any(Number), 0],
  ]);
  expect(cloud.usage.prompt_tokens).toBeGreaterThan(1_000);
});
