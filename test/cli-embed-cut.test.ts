/**
 * The built gateway cuts an Ollama client's long input to a cloud model's window with OpenAI's
 * tokenizer, which its worker thread finds in the install (gateway/providers/embedding-cut.ts): the
 * bundle names it by path, and a path the build got wrong would only show here.
 */
import { countTokens } from 'gpt-tokenizer/encoding/cl100k_base';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startFakeOpenAI } from './support/fake-openai';
import { cloudOnly, dir, onCleanup, serve, useCliCleanups, writeJson } from './support/cli';

useCliCleanups();

it("cuts an input past text-embedding-3-small's window, by the tokenizer OpenAI counts with", async () => {
  const openai = await startFakeOpenAI();
  onCleanup(() => openai.stop());
  const data = dir();
  const base = cloudOnly(openai.url);
  const withEmbeddings = { ...base, deployments: [...base.deployments, { name: 'cloud-embed', provider: 'cloud', model: 'text-embedding-3-small', type: 'embedding' }] };
  const configPath = writeJson(join(data, 'config.json'), withEmbeddings);
  const { baseUrl } = await serve(['--port', '0', '--data-dir', data, '--config', configPath], { OPENAI_API_KEY: 'sk-test' });
  const hindi = 'भारत दक्षिण एशिया में स्थित एक विशाल देश है। '.repeat(200);
  const res = await fetch(`${baseUrl.replace(/\/v1$/, '')}/api/embed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'cloud-embed', input: hindi }) });
  expect(res.status).toBe(200);
  const sent = openai.requests.find((r) => r.path === '/v1/embeddings')?.body.input as string;
  expect(hindi.startsWith(sent) && sent.length < hindi.length).toBe(true);
  expect(countTokens(sent)).toBeLessThanOrEqual(8_191);
  // Near the window: without the tokenizer it would keep a third of it (a character may be three tokens).
  expect(countTokens(sent)).toBeGreaterThan(8_100);
});
