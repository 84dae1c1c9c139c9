/**
 * Gemini's embeddings through Google's OpenAI compatibility layer, which embeds at most 100 inputs a
 * request (AI SDK's embedMany and LangChain met its "at most 100 requests can be in one batch"): a
 * larger batch goes in pieces of 100 and is answered as one, in order. Its vectors are scaled to
 * length 1 for a client of Ollama's `/api/embed`, whose vectors are, and a long input is cut to fit, as
 * Ollama cuts, with room for a tokenizer that is not OpenAI's.
 */
import { countTokens } from 'gpt-tokenizer/encoding/cl100k_base';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeGemini } from '../support/fake-gemini';
import { unitLength } from '../support/fake-ollama';
import { startGateway, stopAll, type Harness } from '../support/harness';

let gemini: FakeServer;
let h: Harness;

beforeAll(async () => {
  gemini = await startFakeGemini();
  h = await startGateway({
    version: 1,
    providers: [{ name: 'gemini', kind: 'openai', baseUrl: `${gemini.url}/v1beta/openai`, apiKey: 'env:TEST_KEY' }],
    deployments: [{ name: 'gemini-embed', provider: 'gemini', model: 'gemini-embedding-001', type: 'embedding' }],
    routes: [],
  });
});
afterAll(() => stopAll(h, gemini));

it('embeds 250 texts in pieces of 100, 100 and 50, numbered as one batch', async () => {
  const texts = Array.from({ length: 250 }, (_, i) => `document number ${i}`);
  const answer = await h.openai.embeddings.create({ model: 'gemini-embed', input: texts, encoding_format: 'float' });
  const sent = gemini.requests.filter((r) => r.path === '/v1beta/openai/embeddings').map((r) => r.body.input as string[]);
  expect(sent.map((input) => input.length)).toEqual([100, 100, 50]);
  expect(sent.flat()).toEqual(texts);
  expect(answer.data.map((d) => d.index)).toEqual(texts.map((_, i) => i));
  // The fake's vectors start with their index within a request.
  expect([answer.data[99]!.embedding[0], answer.data[100]!.embedding[0], answer.data[249]!.embedding[0]]).toEqual([99, 0, 49]);
  expect(answer.usage.prompt_tokens).toBe(750);
});

it("scales Gemini's vectors to length 1 for an Ollama client's /api/embed, which promises that, and keeps OpenAI clients' as sent", async () => {
  // Gemini scales only its full 3,072-dimension vectors; the fake's [index, 1, 0] are not of length 1 past index 0.
  const ollama = await h.ollama.embed({ model: 'gemini-embed', input: ['a', 'b', 'c'] });
  expect(ollama.embeddings).toEqual([[0, 1, 0], [1, 1, 0], [2, 1, 0]].map(unitLength));
  for (const vector of ollama.embeddings) expect(Math.hypot(...vector)).toBeCloseTo(1, 12);
  const openai = await h.openai.embeddings.create({ model: 'gemini-embed', input: ['a', 'b', 'c'], encoding_format: 'float' });
  expect(openai.data.map((d) => d.embedding)).toEqual([[0, 1, 0], [1, 1, 0], [2, 1, 0]]);
});

it("cuts an Ollama client's long input to four fifths of Gemini's window, as its tokenizer is not OpenAI's", async () => {
  // gemini-embedding reads 2,048 tokens (the bundled table); its tokenizer counts otherwise than cl100k.
  const long = Array.from({ length: 3_000 }, (_, i) => `sentence ${i} of a long document`).join('. ');
  const answer = await h.ollama.embed({ model: 'gemini-embed', input: long });
  expect(answer.embeddings).toHaveLength(1);
  const sent = gemini.requests.filter((r) => r.path === '/v1beta/openai/embeddings').at(-1)?.body.input as string;
  expect(long.startsWith(sent)).toBe(true);
  expect(countTokens(sent)).toBeLessThanOrEqual(Math.floor(2_048 * 0.8));
  expect(countTokens(sent)).toBeGreaterThan(Math.floor(2_048 * 0.8) - 20);
});
