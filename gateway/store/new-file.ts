/**
 * A file made new or not at all: whatever writes it writes a temporary file beside it, and the
 * name is taken at the end by a hard link, which fails if anything holds the name by then. So a
 * file another process made meanwhile (a second backup to the same name) is never overwritten,
 * and never removed when this write fails: checking first and writing after cannot promise that.
 */
import { copyFileSync, constants, linkSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** `taken` when the name was held by the time the file was whole; the temporary file is gone either way. */
export function writeNewFile(target: string, write: (temporary: string) => void): 'written' | 'taken' {
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.partial`);
  try {
    write(temporary);
    return claim(temporary, target);
  } finally {
    rmSync(temporary, { force: true });
  }
}

function claim(temporary: string, target: string): 'written' | 'taken' {
  try {
    linkSync(temporary, target);
    return 'written';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return 'taken';
    // A file system without hard links (FAT, some network shares): an exclusive copy keeps the promise, at the cost of writing twice.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
  }
  try {
    copyFileSync(temporary, target, constants.COPYFILE_EXCL);
    return 'written';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return 'taken';
    throw error;
  }
}
