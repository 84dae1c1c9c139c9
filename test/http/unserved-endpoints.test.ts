/**
 * An API the gateway does not pass on (OpenAI's images, audio, files), asked of it by the real
 * `openai` SDK: the 404 lists what it serves under /v1, from the routes the surfaces registered, and
 * a path a letter or two off one of them is named.
 */
import OpenAI, { NotFoundError } from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startGateway, stopAll, twoTierConfig, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startGateway(twoTierConfig({ ollama: 'http://127.0.0.1:9', openai: 'http://127.0.0.1:9' }));
});
afterAll(() => stopAll(h));

const SERVED = 'under /v1 the gateway serves models, chat/completions, completions, embeddings, messages and responses (whatever else a provider\'s API has, such as images or audio, is not passed on: call the provider for it)';

it('says what it serves under /v1 when asked for an API it does not pass on', async () => {
  const client = new OpenAI({ baseURL: h.baseUrl, apiKey: 'any', maxRetries: 0 });
  const images = await client.images.generate({ model: 'gpt-image-1', prompt: 'a switchyard' }).catch((e: unknown) => e);
  expect(images).toBeInstanceOf(NotFoundError);
  expect((images as NotFoundError).error).toMatchObject({ code: 'not_found', message: `There is no endpoint POST /v1/images/generations: ${SERVED}` });
  const speech = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'hi' }).catch((e: unknown) => e);
  expect((speech as NotFoundError).status).toBe(404);
  const files = await client.files.list().catch((e: unknown) => e);
  expect((files as NotFoundError).error).toMatchObject({ message: `There is no endpoint GET /v1/files: ${SERVED}` });
});

it('names the endpoint a path a letter or two off was meant to be', async () => {
  const res = await fetch(`${h.baseUrl}/chat/completion`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect([res.status, ((await res.json()) as { error: { message: string } }).error.message]).toEqual([404, 'There is no endpoint POST /v1/chat/completion (did you mean POST /v1/chat/completions?)']);
  // Ollama's API the same, in Ollama's error shape.
  const ollama = await fetch(`${h.url}/api/chatt`, { method: 'POST', body: '{}' });
  expect([ollama.status, await ollama.json()]).toEqual([404, { error: 'There is no endpoint POST /api/chatt (did you mean POST /api/chat?)' }]);
  const blobs = await fetch(`${h.url}/api/blobs/sha256:abc`, { method: 'POST', body: '' });
  expect(((await blobs.json()) as { error: string }).error).toMatch(/^There is no endpoint POST \/api\/blobs\/sha256:abc: under \/api the gateway serves version, tags, ps, show, chat, generate, embed, embeddings, .* \(the rest of Ollama's API, such as its blobs, is for Ollama itself\)$/);
});

it('says which method an endpoint takes when asked with another, not a look-alike path', async () => {
  const res = await fetch(`${h.baseUrl}/chat/completions`);
  expect([res.status, ((await res.json()) as { error: { message: string } }).error.message]).toEqual([404, 'There is no endpoint GET /v1/chat/completions: it takes POST']);
  const tags = await fetch(`${h.url}/api/tags`, { method: 'POST', body: '{}' });
  expect([tags.status, await tags.json()]).toEqual([404, { error: 'There is no endpoint POST /api/tags: it takes GET' }]);
  // Without /v1 and with the wrong method, both are said.
  const bare = await fetch(`${h.url}/chat/completions`);
  expect(((await bare.json()) as { error: { message: string } }).error.message).toBe('There is no endpoint GET /chat/completions: the gateway serves POST /v1/chat/completions; this tool does not add /v1 itself, so its base URL here ends in /v1');
});

it('tells a caller without a session nothing of the admin API by its 404s', async () => {
  const res = await fetch(`${h.url}/admin/api/config`, { method: 'DELETE' });
  expect([res.status, ((await res.json()) as { error: { message: string } }).error.message]).toEqual([404, 'There is no endpoint DELETE /admin/api/config']);
});
