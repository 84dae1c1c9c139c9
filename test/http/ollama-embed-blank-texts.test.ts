/**
 * A blank text in an Ollama embed batch: Ollama embeds it, OpenAI refuses the whole batch for it
 * ("'$.input' is invalid"), so an indexer's one blank chunk failed every other chunk once the cloud
 * answered for a local model that was down. It reaches the cloud as a space; an Ollama gets the
 * batch as it came.
 */
import { expect, it } from 'vitest';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier();

it('embeds a batch with a blank text through the cloud, the blank sent as a space', async () => {
  const answer = await t.h.ollama.embed({ model: 'cloud-embed', input: ['first chunk', '', 'third chunk'] });
  expect(answer.embeddings).toHaveLength(3);
  expect(t.openai.requests.at(-1)?.body.input).toEqual(['first chunk', ' ', 'third chunk']);
});

it('sends the batch to an Ollama as it came', async () => {
  const answer = await t.h.ollama.embed({ model: 'local-embed', input: ['first chunk', '', 'third chunk'] });
  expect(answer.embeddings).toHaveLength(3);
  expect(t.ollama.requests.at(-1)?.body.input).toEqual(['first chunk', '', 'third chunk']);
});
