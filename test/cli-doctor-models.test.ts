/**
 * `switchyard doctor` tells an embedding model added as a chat deployment (the one case an
 * installed model cannot answer its route's requests), as its Ollama's `/api/show` says: the
 * router passes it over for every chat, so a route of it alone answers none. It said the route
 * could answer.
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startFakeOllama } from './support/fake-ollama';
import { dir, onCleanup, run, runAsync, useCliCleanups, writeJson } from './support/cli';

useCliCleanups();

it('says an embedding model added as chat is passed over, and the route of it answers nothing, until its type says embedding', async () => {
  const ollama = await startFakeOllama();
  onCleanup(() => ollama.stop());
  const data = dir();
  const config = (type: 'chat' | 'embedding') => ({
    version: 1,
    providers: [{ name: 'local', kind: 'ollama', baseUrl: ollama.url }],
    deployments: [
      { name: 'llama', provider: 'local', model: 'llama3.2:3b' },
      { name: 'vectors', provider: 'local', model: 'nomic-embed-text', type },
    ],
    routes: [
      { name: 'default', deployments: ['llama'] },
      { name: 'search', deployments: ['vectors'] },
    ],
  });
  const home = dir();
  expect(run(['import', writeJson(join(dir(), 'chat.json'), config('chat')), '--data-dir', data]).code).toBe(0);
  const misfiled = await runAsync(['doctor', '--data-dir', data], { HOME: home });
  const lines = misfiled.stdout.trimEnd().split('\n');
  expect(lines).toContain('[✗] vectors: nomic-embed-text is an embedding model (its Ollama says so), so every chat passes over it: set the deployment\'s type to "embedding", and name it in embeddings requests');
  expect(lines).toContain('[✗] Route search: none of vectors can answer now (see above)');
  expect(lines).toContain('[✓] Route default: llama can answer now');
  expect(misfiled.code).toBe(1);

  expect(run(['import', writeJson(join(dir(), 'embedding.json'), config('embedding')), '--data-dir', data]).code).toBe(0);
  const filed = await runAsync(['doctor', '--data-dir', data], { HOME: home });
  expect(filed.stdout).not.toContain('is an embedding model');
  expect(filed.stdout).toContain('[✓] Route search: vectors can answer now');
});
