/**
 * The batch-size refusals each server words its own way, read as such (halved and sent again), and
 * any other refusal passed on after one request. The HTTP tests (embedding-batches-in-pieces,
 * gemini-embeddings) cover OpenAI's and Google's through real fakes; these are the wordings of
 * servers the tests have no fake of, taken from their users' reports.
 */
import { expect, it } from 'vitest';
import { UpstreamError } from '../../gateway/errors';
import { embedInPieces, OPENAI_BATCH } from '../../gateway/providers/embedding-batches';
import { quickTokenCount } from '../../gateway/usage/tokens';
import type { CreateEmbeddingResponse, EmbeddingRequest } from '../../gateway/wire/canonical';

/** A server that refuses more than `most` inputs a request, in `words`. */
function serverTaking(most: number, words: { message: string; type?: string; code?: string | null }) {
  const sizes: number[] = [];
  const send = async (request: EmbeddingRequest): Promise<CreateEmbeddingResponse> => {
    const input = request.input as string[];
    sizes.push(input.length);
    if (input.length > most) throw new UpstreamError('upstream_4xx', words.message, { status: 400, upstreamError: words });
    return { object: 'list', model: 'm', data: input.map((_, index) => ({ object: 'embedding', index, embedding: [index] })), usage: { prompt_tokens: input.length, total_tokens: input.length } };
  };
  return { sizes, send };
}

const batch = (n: number) => Array.from({ length: n }, (_, i) => `text ${i}`);

for (const [server, words] of [
  ['Mistral', { message: 'Too many tokens overall, split into more batches.', type: 'invalid_request_prompt', code: '3210' }],
  ['Mistral, before', { message: 'Too many tokens in batch. Max is 16384 got 17555', type: 'invalid_request_error', code: null }],
  ['Mistral, inputs', { message: 'Too many inputs in request, split into more batches.', type: 'invalid_request_prompt', code: '3210' }],
  ['Azure OpenAI', { message: 'Too many inputs. The max number of inputs is 16.  We hope to increase the number of inputs per request soon.', type: 'invalid_request_error' }],
  ['Alibaba', { message: '<400> InternalError.Algo.InvalidParameter: Value error, batch size is invalid, it should not be larger than 10.: input.contents', type: 'InvalidParameter', code: 'InvalidParameter' }],
] as const) {
  it(`halves a batch ${server} refuses for its size until each piece is taken, answered in order`, async () => {
    const { sizes, send } = serverTaking(10, words);
    const answer = await embedInPieces({ model: 'm', input: batch(40) }, OPENAI_BATCH, send);
    expect(answer.data.map((d) => [d.index, d.embedding[0]])).toEqual(batch(40).map((_, i) => [i, i % 10]));
    expect(answer.usage.prompt_tokens).toBe(40);
    // 40 refused, 20 and 20 refused, then four pieces of 10.
    expect(sizes).toEqual([40, 20, 10, 10, 20, 10, 10]);
  });
}

it('passes on any other refusal after one request', async () => {
  const { sizes, send } = serverTaking(10, { message: 'The model `m` does not exist', type: 'invalid_request_error', code: 'model_not_found' });
  await expect(embedInPieces({ model: 'm', input: batch(40) }, OPENAI_BATCH, send)).rejects.toThrow('does not exist');
  expect(sizes).toEqual([40]);
});

it('sends one input, a text or token ids, as it came', async () => {
  const { sizes, send } = serverTaking(10, { message: 'x' });
  for (const input of ['one text', [1, 2, 3]]) {
    const request = { model: 'm', input } as EmbeddingRequest;
    await embedInPieces(request, OPENAI_BATCH, async (sent) => {
      expect(sent).toBe(request);
      return send({ ...sent, input: ['x'] });
    });
  }
  expect(sizes).toEqual([1, 1]);
});

it('counts no batch of fewer characters than the piece limit: the estimate is never more than a token a character', () => {
  // Worst cases of the estimate (usage/tokens.ts): punctuation between letters, emoji, CJK, one-letter words.
  const alphabet = ['a', 'b', '.', ',', ' ', '🦜', '中', 'é', '1', '\n', '\u0301'];
  let seed = 7;
  const next = () => (seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647;
  for (let i = 0; i < 5_000; i++) {
    let text = '';
    for (let n = 1 + Math.floor(next() * 40); n > 0; n--) text += alphabet[Math.floor(next() * alphabet.length)];
    expect(quickTokenCount(text), JSON.stringify(text)).toBeLessThanOrEqual(text.length);
  }
  for (const unit of ['.a', 'a🦜', '中', '!']) expect(quickTokenCount(unit.repeat(10_000))).toBeLessThanOrEqual(unit.length * 10_000);
});
