/**
 * `serve --config FILE` applies the file again on SIGHUP (`systemctl reload`): a valid change is in
 * force at once, an invalid file changes nothing and says why, and the gateway keeps serving.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { dir, run, serve, useCliCleanups, writeJson } from './support/cli';

useCliCleanups();

/** A config file's content with these routes (each on the one deployment). */
const config = (routes: string[]) => ({
  version: 1,
  providers: [{ name: 'local', kind: 'ollama', baseUrl: 'http://127.0.0.1:9' }],
  deployments: [{ name: 'llama', provider: 'local', model: 'llama3.2:3b' }],
  routes: routes.map((name) => ({ name, deployments: ['llama'] })),
});

it('reloads its config file on SIGHUP, and keeps the one in force when the file is not valid', async () => {
  const data = dir();
  const file = join(dir(), 'switchyard.json');
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

it('says which revision a config file replaced when changes were made since it was applied, at a reload and at a start', async () => {
  const data = dir();
  const file = join(dir(), 'switchyard.json');
  const elsewhere = writeJson(join(dir(), 'other.json'), config(['default', 'made-elsewhere']));
  const revisionOf = (source: string) => /^[\s*]*(\d+)\s/.exec(run(['history', '--data-dir', data]).stdout.split('\n').find((line) => line.includes(source)) ?? '')?.[1];
  writeJson(file, config(['default']));
  const first = await serve(['--port', '0', '--data-dir', data, '--config', file]);
  // The file's own changes replace nothing of anyone's: no notice.
  writeJson(file, config(['default', 'coder']));
  first.child.kill('SIGHUP');
  await expect.poll(first.output).toContain(`Reloaded ${file}`);
  expect(first.output()).not.toContain('replaced');

  // A change made since by another hand (an import here; the dashboard's are the same), then the file again.
  expect(run(['import', elsewhere, '--data-dir', data]).code).toBe(0);
  const imported = revisionOf(`import ${elsewhere}`);
  expect(imported).toMatch(/^\d+$/);
  writeJson(file, config(['default']));
  first.child.kill('SIGHUP');
  await expect.poll(first.output).toContain(`Notice: ${file} replaced the stored config, changed since a config file was last applied (revision ${imported}, "import ${elsewhere}"): "switchyard restore ${imported}" applies that one again; put its changes in ${file} to keep them\n`);
  first.child.kill('SIGTERM');
  await new Promise((resolve) => first.child.once('exit', resolve));

  // And at a start.
  expect(run(['import', elsewhere, '--data-dir', data]).code).toBe(0);
  const again = revisionOf(`import ${elsewhere}`);
  const second = await serve(['--port', '0', '--data-dir', data, '--config', file]);
  expect(second.output()).toContain(`Notice: ${file} replaced the stored config, changed since a config file was last applied (revision ${again}, "import ${elsewhere}")`);
  const models = ((await (await fetch(`${second.baseUrl}/models`)).json()) as { data: { id: string }[] }).data.map((m) => m.id);
  expect(models).not.toContain('made-elsewhere');
});

it('says which routes a config file renamed, at a reload and at a start (what counts by name follows them)', async () => {
  const data = dir();
  const file = join(dir(), 'switchyard.json');
  writeJson(file, config(['default']));
  const first = await serve(['--port', '0', '--data-dir', data, '--config', file]);
  writeJson(file, config(['main']));
  first.child.kill('SIGHUP');
  await expect.poll(first.output).toContain('Renamed route default to main: client keys limited to it, its budgets and its probe history go on under the new name\n');
  first.child.kill('SIGTERM');
  await new Promise((resolve) => first.child.once('exit', resolve));

  // Edited while it was stopped.
  writeJson(file, config(['coder']));
  const second = await serve(['--port', '0', '--data-dir', data, '--config', file]);
  expect(second.output()).toContain('Notice: Renamed route main to coder: client keys limited to it,');
});
