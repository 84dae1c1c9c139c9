/**
 * An embeddings batch the cloud would refuse for its size alone is sent in pieces it takes and
 * answered as one, in order, usage summed. The fake OpenAI refuses as OpenAI does: more than
 * 2,048 inputs, or more than 300,000 tokens summed (counted by a real tokenizer). Before, an
 * indexer on Ollama's API (which takes any batch) failed once the gateway sent it to the cloud, and
 * an OpenAI client's batch of long chunks failed there too.
 */
import { countTokens } from 'gpt-tokenizer/encoding/cl100k_base';
import { expect, it } from 'vitest';
import { unitLength } from '../support/fake-ollama';
import { fakeVector } from '../support/openai-embeddings';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier();
const sent = () => t.openai.requests.filter((r) => r.path === '/v1/embeddings').map((r) => r.body.input as string[]);
const WORDS = 'the quick brown fox jumps over a lazy dog while people read about history science and music in their homes'.split(' ');
const chunk = (i: number, words: number) => Array.from({ length: words }, (_, j) => WORDS[(i + j) % WORDS.length]).join(' ');

it("embeds an Ollama client's batch of 3,000 through the cloud in pieces of at most 2,048, in order", async () => {
  const texts = Array.from({ length: 3_000 }, (_, i) => `document ${i}`);
  const answer = await t.h.ollama.embed({ model: 'cloud-embed', input: texts });
  expect(answer.embeddings).toHaveLength(3_000);
  expect(sent().map((input) => input.length)).toEqual([2_048, 952]);
  expect(sent().flat()).toEqual(texts);
  // Each piece's vectors are numbered from its own start upstream, and from the batch's start here.
  expect([answer.embeddings[0], answer.embeddings[2_047], answer.embeddings[2_048], answer.embeddings[2_999]]).toEqual([0, 2_047, 0, 951].map((i) => unitLength(fakeVector(i))));
  expect(answer.prompt_eval_count).toBe(texts.reduce((sum, text) => sum + countTokens(text), 0));
});

it("embeds an OpenAI client's batch of long chunks, 400,000 tokens in all, in pieces under OpenAI's 300,000", async () => {
  const texts = Array.from({ length: 400 }, (_, i) => chunk(i, 1_000));
  const answer = await t.h.openai.embeddings.create({ model: 'cloud-embed', input: texts, encoding_format: 'float' });
  expect(answer.data.map((d) => d.index)).toEqual(texts.map((_, i) => i));
  expect(sent().length).toBeGreaterThan(1);
  for (const input of sent()) expect(input.reduce((sum, text) => sum + countTokens(text), 0)).toBeLessThanOrEqual(300_000);
  expect(sent().flat()).toEqual(texts);
  expect(answer.usage.prompt_tokens).toBe(texts.reduce((sum, text) => sum + countTokens(text), 0));
});

it('halves a piece the cloud still finds too large, where its tokenizer counts more than the estimate here', async () => {
  // A parrot is three tokens to OpenAI's tokenizer, one and a half by the estimate: pieces cut by it are twice too large.
  const texts = Array.from({ length: 200 }, () => '🦜'.repeat(1_000));
  const answer = await t.h.openai.embeddings.create({ model: 'cloud-embed', input: texts, encoding_format: 'float' });
  expect(answer.data).toHaveLength(200);
  expect(answer.data.map((d) => d.index)).toEqual(texts.map((_, i) => i));
  const sizes = sent().map((input) => input.length);
  // The first piece, refused, then its halves, then the rest.
  expect(sizes[0]).toBe(sizes[1]! + sizes[2]!);
  expect(sizes.slice(1).reduce((a, b) => a + b, 0)).toBe(200);
  expect(answer.usage.prompt_tokens).toBe(200 * countTokens(texts[0]!));
});

it('sends a batch within the limits as it came, and passes on a refusal that is not of its size without trying again', async () => {
  const answer = await t.h.openai.embeddings.create({ model: 'cloud-embed', input: ['a', 'b'], encoding_format: 'float' });
  expect(answer.data).toHaveLength(2);
  expect(t.openai.requests.at(-1)?.body).toEqual({ model: 'text-embedding-3-small', input: ['a', 'b'], encoding_format: 'float' });

  await t.openai.setMode({ kind: 'status', status: 400, body: { error: { message: 'Invalid model', type: 'invalid_request_error', param: 'model', code: null } } });
  const before = sent().length;
  const refused = await t.h.openai.embeddings.create({ model: 'cloud-embed', input: Array.from({ length: 300 }, (_, i) => `text ${i}`) }).then(() => undefined, (e: { status?: number }) => e);
  expect(refused?.status).toBe(400);
  expect(sent().length - before).toBe(1);
});
