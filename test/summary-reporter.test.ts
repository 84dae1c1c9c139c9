import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('the summary line', () => {
  it('counts the tests of a file that failed in beforeAll or at import as failed, and agrees with the exit code', () => {
    const root = join(import.meta.dirname, '..');
    const run = spawnSync(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', join(root, 'test', 'fixtures', 'reporter', 'vitest.config.ts')], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    const lines = run.stdout.trim().split('\n');
    // 1 passed; the two tests of the file whose beforeAll threw and the file that did not load fail; 1 skipped on purpose.
    expect(lines.at(-1)).toBe('1 passed, 3 failed, 1 skipped');
    expect(run.status).not.toBe(0);
  });
});
