/**
 * llama.cpp's server (and what runs it: LM Studio's engine, llama-box, Lemonade) refuses an embedding
 * input longer than its batch with a 500: "input (992 tokens) is too large to process. increase the
 * physical batch size (current batch size: 512)". Read as a server down, an indexer's few long
 * chunks opened the breaker of a healthy local embedder, and its short ones went to the cloud too.
 * Now it is a request that deployment cannot take: the route moves on and the breaker stays shut;
 * and for Ollama's API, which cuts what does not fit, the input is sent again cut to that batch.
 */
import { countTokens } from 'gpt-tokenizer/encoding/cl100k_base';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { sendJson, startFakeServer, type FakeServer, type RecordedRequest } from '../support/fake-server';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, type Harness } from '../support/harness';

const BATCH = 512;

/** llama-server's /v1/embeddings, as it answers with its default batch of 512 tokens. */
function llamaServer(request: RecordedRequest, res: ServerResponse): void {
  if (request.path !== '/v1/embeddings') return sendJson(res, 404, { error: { code: 404, message: 'File Not Found', type: 'not_found_error' } });
  const inputs: string[] = Array.isArray(request.body.input) ? request.body.input : [request.body.input];
  const counts = inputs.map((input) => countTokens(input));
  const over = counts.find((count) => count > BATCH);
  if (over !== undefined) {
    const message = `input (${over} tokens) is too large to process. increase the physical batch size (current batch size: ${BATCH})`;
    return sendJson(res, 500, { error: { code: 500, message, type: 'server_error' } });
  }
  const data = inputs.map((_, index) => ({ object: 'embedding', index, embedding: [0.6, 0.8] }));
  const tokens = counts.reduce((sum, count) => sum + count, 0);
  sendJson(res, 200, { model: request.body.model, object: 'list', usage: { prompt_tokens: tokens, total_tokens: tokens }, data });
}

let llama: FakeServer;
let openai: FakeServer;
let h: Harness;
const chunk = (words: number) => Array.from({ length: words }, (_, i) => `term${i % 50}`).join(' ');

beforeAll(async () => {
  [llama, openai] = await Promise.all([startFakeServer(llamaServer), startFakeOpenAI()]);
  h = await startGateway({
    version: 1,
    providers: [
      { name: 'llamacpp', kind: 'openai', baseUrl: `${llama.url}/v1`, healthCheck: { intervalMs: 0 } },
      { name: 'cloud', kind: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'env:TEST_KEY', healthCheck: { intervalMs: 0 } },
    ],
    deployments: [
      // A GGUF the bundled table does not know: its window is the server's to say.
      { name: 'local-embed', provider: 'llamacpp', model: 'my-embedder-q8', type: 'embedding', breaker: { failures: 3, cooldownMs: 600_000 } },
      { name: 'cloud-embed', provider: 'cloud', model: 'text-embedding-3-small', type: 'embedding' },
    ],
    routes: [{ name: 'embed', deployments: ['local-embed', 'cloud-embed'] }],
  });
});
afterAll(() => stopAll(h, llama, openai));
beforeEach(async () => {
  await Promise.all([llama.reset(), openai.reset()]);
  h.gateway.breakers.reset('local-embed');
});

it("passes a long input on to the next deployment without opening a healthy local embedder's breaker", async () => {
  for (let i = 0; i < 5; i++) {
    const answer = await h.openai.embeddings.create({ model: 'embed', input: ['short', chunk(700)], encoding_format: 'float' });
    expect(answer.model).toBe('text-embedding-3-small');
  }
  expect(h.gateway.breakers.snapshot('local-embed').state).toBe('closed');
  const short = await h.openai.embeddings.create({ model: 'embed', input: ['short', 'also short'], encoding_format: 'float' });
  expect(short.data[0]?.embedding).toEqual([0.6, 0.8]);
  expect(llama.requests.filter((r) => r.path === '/v1/embeddings')).toHaveLength(6);
});

it("sends an Ollama client's long input again, cut to the batch the server named, to the same local embedder", async () => {
  const long = chunk(700);
  const answer = await h.ollama.embed({ model: 'embed', input: ['short', long] });
  expect(answer.embeddings).toEqual([[0.6, 0.8], [0.6, 0.8]]);
  const sent = llama.requests.filter((r) => r.path === '/v1/embeddings').map((r) => r.body.input as string[]);
  expect(sent).toHaveLength(2);
  expect(sent[0]).toEqual(['short', long]);
  // Four fifths of the batch it named, as its model's tokenizer is not known to be OpenAI's.
  expect(long.startsWith(sent[1]![1]!)).toBe(true);
  expect(countTokens(sent[1]![1]!)).toBeLessThanOrEqual(Math.floor(BATCH * 0.8));
  expect(countTokens(sent[1]![1]!)).toBeGreaterThan(Math.floor(BATCH * 0.8) - 10);
  expect(openai.requests.filter((r) => r.path === '/v1/embeddings')).toHaveLength(0);
});
