/**
 * A running gateway's build can be replaced under it: `npm run build` or `npm start` after a change
 * rebuilds `out/` (a chunk's name is its content's hash, and the old ones are deleted), an upgrade
 * replaces the package. A part the process loads on first use (the Connect page's editors, the usage
 * reader's thread) would then fail to load, or load the new build's code into the old process; each
 * checks here first, and is refused in words that say to restart.
 */
import { statSync } from 'node:fs';

export const REBUILT = 'Switchyard was rebuilt or updated since this gateway started';

/** Whether `file`, a file of the build this process started from, has been replaced since this was called. */
export function replacedSince(file: string): () => boolean {
  const started = signature(file);
  return () => signature(file) !== started;
}

function signature(file: string): string {
  try {
    const { ino, size, mtimeMs } = statSync(file);
    return `${ino}:${size}:${mtimeMs}`;
  } catch {
    return 'gone';
  }
}
