/**
 * An input too long for every embedding deployment of its route is refused in words about an input:
 * the refusal was a chat completion's ("N in the messages, 0 in the completion ... Shorten the prompt
 * or lower max_tokens", `param: "messages"`), which an embeddings request has neither of.
 */
import { expect, it } from 'vitest';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier();
const longDocument = Array.from({ length: 12_000 }, (_, i) => `word${i}`).join(' ');

it('says the window and the input, names the input, and asks for pieces, on both APIs', async () => {
  const refusal = await t.h.openai.embeddings.create({ model: 'cloud-embed', input: ['short', longDocument] }).then(
    () => undefined,
    (e: { status?: number; error?: { message?: string; param?: string; code?: string } }) => e,
  );
  expect(refusal?.status).toBe(400);
  expect(refusal?.error).toMatchObject({ code: 'context_length_exceeded', param: 'input' });
  expect(refusal?.error?.message).toMatch(/^The request is too long for every deployment of "cloud-embed": its maximum context length is 8191 tokens, and the longest input is about \d+ tokens \(as estimated here\)\. Shorten the input, or send it in pieces\.$/);
  // Ollama's API cuts the input unless told not to (embed-cut-cloud.test.ts).
  const ollama = await t.h.ollama.embed({ model: 'cloud-embed', input: longDocument, truncate: false }).then(() => undefined, (e: Error) => e);
  expect(ollama?.message).toMatch(/and the longest input is about \d+ tokens \(as estimated here\)\. Shorten the input, or send it in pieces\.$/);
  expect(t.openai.requests).toHaveLength(0);
});
