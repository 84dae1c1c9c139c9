/**
 * What a 404 for an unknown model offers. A user coming from Ollama types the model's own name
 * (`llama3.2:3b`), which was refused with no hint although a deployment runs it; a name in other
 * capitals (`CLOUD-FIRST`) or with Ollama's `:latest` (`default:latest`) on the OpenAI API was
 * refused with none too. Each now names what was meant, on every front door.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { expect, it } from 'vitest';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier({
  config: (t) => {
    const config = t.configWith();
    return { ...config, deployments: [...config.deployments, { name: 'llama-cold', provider: 'local', model: 'llama3.2:3b', type: 'chat' }] };
  },
});

const refusal = (model: string) => t.h.openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }).then(() => undefined, (e: unknown) => e as InstanceType<typeof OpenAI.APIError>);

it("offers the deployments that run a model named by its own name, on each front door", async () => {
  const error = await refusal('gpt-4.1-mini');
  expect(error).toMatchObject({ status: 404, param: 'model', code: 'model_not_found' });
  expect(error?.message).toContain('The model "gpt-4.1-mini" does not exist (did you mean "mini", the deployment that runs it?)');
  expect((await refusal('llama3.2:3b'))?.message).toContain('(did you mean one of the deployments that run it: "llama", "llama-cold"?)');
  const messages = await new Anthropic({ baseURL: t.h.url, apiKey: 'k', maxRetries: 0 }).messages.create({ model: 'gpt-4.1-mini', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).then(() => undefined, (e: unknown) => e as InstanceType<typeof Anthropic.APIError>);
  expect(messages).toMatchObject({ status: 404, error: { error: { type: 'not_found_error', message: expect.stringContaining('did you mean "mini", the deployment that runs it?') } } });
  const native = await t.h.ollama.chat({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] }).then(() => undefined, (e: unknown) => e as Error);
  expect(native?.message).toContain('did you mean "mini", the deployment that runs it?');
  // Of the request's type only: an embedding model's name offers the embedding deployment.
  const embedding = await t.h.openai.embeddings.create({ model: 'nomic-embed-text', input: 'x' }).then(() => undefined, (e: unknown) => e as Error);
  expect(embedding?.message).toContain('did you mean "local-embed", the deployment that runs it?');
  expect((await refusal('nomic-embed-text'))?.message).not.toContain('did you mean');
});

it('offers the name meant in other capitals, and past Ollama\'s :latest', async () => {
  expect((await refusal('CLOUD-FIRST'))?.message).toContain('(did you mean "cloud-first"?)');
  expect((await refusal('default:latest'))?.message).toContain('(did you mean "default"?)');
  expect((await refusal('nothing-like-it'))?.message).not.toContain('did you mean');
});
