/** The built CLI's import and restore say which connected tool asks for a route the new config leaves out. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { config, dir, run, useCliCleanups, writeJson } from './support/cli';

useCliCleanups();

it("says which connected tool asks for a route an import or a restore leaves out, as it is done", () => {
  const data = dir();
  const home = dir();
  // Codex pointed at this data dir's gateway (the default port, none running), asking for default.
  mkdirSync(join(home, '.codex'));
  writeFileSync(join(home, '.codex', 'config.toml'), 'model_provider = "switchyard"\nmodel = "default"\n\n[model_providers.switchyard]\nbase_url = "http://127.0.0.1:7788/v1"\n');
  expect(run(['import', writeJson(join(data, 'a.json'), config), '--data-dir', data], { HOME: home })).toMatchObject({ code: 0, stderr: '' });
  const renamed = run(['import', writeJson(join(data, 'b.json'), { ...config, routes: [{ ...config.routes[0], name: 'everyday' }] }), '--data-dir', data], { HOME: home });
  expect(renamed.code).toBe(0);
  expect(renamed.stderr).toBe('Note: Codex CLI: this gateway, asking for default, which is no route, deployment or alias here (renamed or deleted?), so each of its requests is refused: "switchyard connect codex" points it at a route (--route NAME for another)\n');
  // Restoring the first brings default back: nothing to say.
  expect(run(['restore', '1', '--data-dir', data], { HOME: home })).toMatchObject({ code: 0, stderr: '' });
  expect(run(['restore', '2', '--data-dir', data], { HOME: home }).stderr).toContain('Note: Codex CLI: this gateway, asking for default, which is no route');
});
