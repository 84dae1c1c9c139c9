/**
 * Ollama's embed requests to an Ollama deployment. The front door made them canonical, so the
 * client's `options` (the `num_ctx` a long document needs: nomic-embed-text runs with 2,048 tokens
 * unless asked for more), `keep_alive` and `truncate` were left behind, and a long input was cut
 * without a word. They now go as sent, with the deployment's defaults under them, as chat and
 * generate requests do. And a deployment's `keepAlive` written as a number in a string ("300") went
 * to Ollama as that string on embeddings, which Ollama refuses ("missing unit in duration").
 */
import { expect, it } from 'vitest';
import { useTwoTier } from '../support/two-tier';
import { assertMatchesSpec } from '../support/spec';

const t = useTwoTier({
  config: (t) => {
    const config = t.configWith();
    const deployments = config.deployments.map((d) => (d.name === 'local-embed' ? { ...d, keepAlive: '300', options: { num_ctx: 1024, num_thread: 4 } } : d));
    return { ...config, deployments };
  },
});

const sent = () => t.ollama.requests.filter((r) => r.path === '/api/embed').at(-1)?.body;
const longDocument = Array.from({ length: 3000 }, (_, i) => `word${i}`).join(' ');

it("passes the client's options, keep_alive and truncate to an Ollama, over the deployment's, and embeds a long document whole", async () => {
  const result = await t.h.ollama.embed({ model: 'local-embed', input: longDocument, keep_alive: '1h', truncate: false, options: { num_ctx: 8192 }, dimensions: 2 });
  assertMatchesSpec('ollama', 'EmbedResponse', JSON.parse(JSON.stringify(result)));
  expect(sent()).toEqual({ model: 'nomic-embed-text', input: longDocument, keep_alive: '1h', truncate: false, dimensions: 2, options: { num_ctx: 8192, num_thread: 4 } });
  expect(result.embeddings).toEqual([[0.5, 0.25].map((x) => x / Math.hypot(0.5, 0.25))]);
  // All 3,000 tokens read: none were cut at the 2,048 the model runs with unless asked.
  expect(result.prompt_eval_count).toBe(3000);
});

it("keeps the deployment's window where it is the larger, and its keep-alive where the client names none (as a number)", async () => {
  await t.h.ollama.embed({ model: 'local-embed', input: 'short', options: { num_ctx: 512 } });
  expect(sent()).toEqual({ model: 'nomic-embed-text', input: 'short', keep_alive: 300, options: { num_ctx: 1024, num_thread: 4 } });
  const legacy = await t.h.ollama.embeddings({ model: 'local-embed', prompt: 'older client', options: { num_ctx: 2048 } });
  expect(legacy.embedding).toEqual([0.5, 0.25, -1, 0.125]);
  expect(t.ollama.requests.at(-1)).toMatchObject({ path: '/api/embeddings', body: { model: 'nomic-embed-text', prompt: 'older client', keep_alive: 300, options: { num_ctx: 2048, num_thread: 4 } } });
  // The OpenAI API's request to the same deployment, which Ollama refused with the string "300".
  const viaOpenAI = await t.h.openai.embeddings.create({ model: 'local-embed', input: 'x' });
  expect(viaOpenAI.data).toHaveLength(1);
  expect(sent()).toMatchObject({ keep_alive: 300 });
});

it('refuses an input past the window it would be read with, rather than have it cut, and a route goes on to a deployment that reads it', async () => {
  const error = await t.h.ollama.embed({ model: 'local-embed', input: longDocument, truncate: false }).then(() => undefined, (e: unknown) => e as Error & { status_code?: number });
  expect(error?.status_code).toBe(400);
  expect(error?.message).toContain('The request is too long for every deployment of "local-embed": its maximum context length is 1024 tokens');
  const routed = await t.h.ollama.embed({ model: 'embed', input: longDocument, truncate: false });
  expect(routed.embeddings).toHaveLength(1);
  expect(t.openai.requests.at(-1)?.path).toBe('/v1/embeddings');
});
