/**
 * A file made new or not at all (the backup's promise never to overwrite one): a file another
 * process makes under the name while this one writes is never overwritten and never removed, and
 * no temporary file is left either way.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { writeNewFile } from '../../gateway/store/new-file';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});
function folder(): string {
  const made = mkdtempSync(join(tmpdir(), 'sy-new-file-'));
  folders.push(made);
  return made;
}

it('writes the file whole under its name, with nothing else left beside it', () => {
  const dir = folder();
  const target = join(dir, 'backup.db');
  expect(writeNewFile(target, (temporary) => writeFileSync(temporary, 'copy'))).toBe('written');
  expect(readFileSync(target, 'utf8')).toBe('copy');
  expect(readdirSync(dir)).toEqual(['backup.db']);
});

it('leaves a file made under the name meanwhile as it was, whether this write ends whole or fails', () => {
  const dir = folder();
  const target = join(dir, 'backup.db');
  const taken = writeNewFile(target, (temporary) => {
    writeFileSync(temporary, 'copy');
    writeFileSync(target, 'theirs');
  });
  expect(taken).toBe('taken');
  expect(readFileSync(target, 'utf8')).toBe('theirs');
  expect(readdirSync(dir)).toEqual(['backup.db']);

  const other = join(dir, 'other.db');
  expect(() => writeNewFile(other, (temporary) => {
    writeFileSync(temporary, 'half a co');
    writeFileSync(other, 'theirs');
    throw Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
  })).toThrow('malformed');
  expect(readFileSync(other, 'utf8')).toBe('theirs');
  expect(readdirSync(dir).sort()).toEqual(['backup.db', 'other.db']);
});
