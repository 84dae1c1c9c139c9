/** A config file named on the command line (`import`, `check`, `serve --config`), read as JSON. */
import { readFileSync } from 'node:fs';
import type { Output } from '../cli-output';
import { jsonProblem } from './json-problem';

/** The file's JSON, or undefined once it has said why there is none (unreadable, not JSON). */
export function readConfigFile(file: string, io: Output): unknown {
  let text: string;
  try {
    // Without the byte order mark Windows editors may put first, which JSON.parse refuses.
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    io.err(`${unreadable(file, error as NodeJS.ErrnoException)}\n`);
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    io.err(`${file} is not valid JSON: ${jsonProblem(text) ?? (error as Error).message}\n`);
    return undefined;
  }
}

/** Why the file could not be read, in words for the common cases (Node's own names the syscall too). */
function unreadable(file: string, error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return `There is no file ${file}`;
  if (error.code === 'EISDIR') return `${file} is a directory: name the config file in it`;
  if (error.code === 'EACCES' || error.code === 'EPERM') return `${file} cannot be read: permission denied`;
  return `Cannot read ${file}: ${error.message}`;
}
