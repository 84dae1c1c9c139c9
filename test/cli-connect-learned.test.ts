/**
 * `switchyard connect` while a gateway serves the data dir tells a tool the window the gateway
 * learned of a local model (its Ollama's `num_ctx`), which the config does not say, as the
 * dashboard's Connect page does; with none serving it, only what the config and the table say.
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startFakeOllama } from './support/fake-ollama';
import { dir, onCleanup, run, serve, useCliCleanups, writeJson } from './support/cli';

useCliCleanups();

it("writes the window the running gateway learned of a local model into Codex's settings, and none without a gateway to ask", async () => {
  const ollama = await startFakeOllama();
  onCleanup(() => ollama.stop());
  const data = dir();
  const home = dir();
  const config = { version: 1, providers: [{ name: 'local', kind: 'ollama', baseUrl: ollama.url }], deployments: [{ name: 'llama', provider: 'local', model: 'llama3.2:3b' }], routes: [{ name: 'on-machine', deployments: ['llama'] }] };
  const codex = () => run(['connect', 'codex', '--dry-run', '--data-dir', data], { HOME: home });

  expect(run(['import', writeJson(join(data, 'c.json'), config), '--data-dir', data]).code).toBe(0);
  // The config names no num_ctx and the table knows no local model's: nothing is said rather than a guess.
  expect(codex().stdout).not.toContain('model_context_window');

  const { child } = await serve(['--port', '0', '--data-dir', data, '--config', join(data, 'c.json')]);
  // The fake Ollama's /api/show says num_ctx 8192 for it, once the gateway's first probe has asked.
  await expect.poll(() => codex().stdout).toContain('+model_context_window = 8192\n');
  const listed = run(['connect', '--data-dir', data], { HOME: home }).stdout;
  expect(listed).toContain('  model_context_window: 8192\n');

  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  expect(codex().stdout).not.toContain('model_context_window');
});
