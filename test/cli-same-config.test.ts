/** The built CLI's import and restore of the config in force: said, and no revision that changes nothing (serve --config and local-only make none either). */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { config, dir, run, useCliCleanups, writeJson } from './support/cli';

useCliCleanups();

it('says an import or a restore of the config in force changes nothing, and keeps no revision of it', () => {
  const data = dir();
  const file = writeJson(join(data, 'a.json'), config);
  expect(run(['import', file, '--data-dir', data]).stdout).toMatch(/^Imported /);
  expect(run(['import', file, '--data-dir', data])).toMatchObject({ code: 0, stdout: `${file} is the config in force in ${data} already: nothing changed\n` });
  expect(run(['restore', '1', '--data-dir', data])).toMatchObject({ code: 0, stdout: 'Revision 1 is the config in force already: nothing changed\n' });
  expect(run(['history', '--data-dir', data]).stdout.trim().split('\n')).toHaveLength(1);
});
