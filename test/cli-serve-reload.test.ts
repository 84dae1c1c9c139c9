/**
 * `serve --config FILE` applies the file again on SIGHUP (`systemctl reload`): a valid change is in
 * force at once, an invalid file changes nothing and says why, and the gateway keeps serving.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { dir, run, serve, useCliCleanups, writeJson } from './support/cli';

useCliCleanups();

it('reloads its config file on SIGHUP, and keeps the one in force when the file is not valid', async () => {
  const data = dir();
  const file = join(dir(), 'switchyard.json');
  const config = (routes: string[]) => ({
    version: 1,
    providers: [{ name: 'local', kind: 'ollama', baseUrl: 'http://127.0.0.1:9' }],
    deployments: [{ name: 'llama', provider: 'local', model: 'llama3.2:3b' }],
    routes: routes.map((name) => ({ name, deployments: ['llama'] })),
  });
  writeJson(file, config(['default']));
  const { child, baseUrl, output } = await serve(['--port', '0', '--data-dir', data, '--config', file]);
  const models = async () => ((await (await fetch(`${baseUrl}/models`)).json()) as { data: { id: string }[] }).data.map((m) => m.id);
  expect(await models()).toContain('default');

  writeJson(file, config(['default', 'coder']));
  child.kill('SIGHUP');
  await expect.poll(models).toContain('coder');
  // The line is written after the change is in force, so it may reach this pipe a moment later.
  await expect.poll(output).toContain(`Reloaded ${file}`);
  // A revision like any other change, named for what made it.
  expect(run(['history', '--data-dir', data]).stdout).toContain(`reload ${file}`);

  writeFileSync(file, '{"version": 1, "providers": [');
  child.kill('SIGHUP');
  await expect.poll(output).toContain(`${file} is not valid JSON`);
  writeJson(file, { ...config(['default']), routes: [{ name: 'broken', deployments: ['nobody'] }] });
  child.kill('SIGHUP');
  await expect.poll(output).toContain(`${file} is not a valid Switchyard config; the config in force is kept`);
  expect(await models()).toEqual(expect.arrayContaining(['default', 'coder']));
  expect(child.exitCode).toBeNull();

  writeJson(file, config(['default', 'coder']));
  child.kill('SIGHUP');
  await expect.poll(output).toContain(`Reloaded ${file}: no change`);
});
