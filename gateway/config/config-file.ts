/**
 * A config file named on the command line (`import`, `check`, `serve --config`), read as JSON with
 * what people write in a file they edit by hand: comments, and a comma after the last item (as
 * tsconfig.json and VS Code's settings take them). The gateway never writes the file, so nothing
 * of it is lost.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'jsonc-parser';
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
    const problem = jsonProblem(text, true);
    if (problem !== undefined) {
      io.err(`${file} is not valid JSON: ${problem}\n`);
      return undefined;
    }
    const value: unknown = parse(text, [], { allowTrailingComma: true, disallowComments: false });
    if (!plain(value)) {
      io.err(`${file} has a member named "__proto__", which a config never has\n`);
      return undefined;
    }
    return value;
  }
}

/**
 * Whether every object in `value` is a plain one: the comment-tolerant parser assigns members, so a
 * member named `__proto__` would set an object's prototype (its members then read through from
 * there) where JSON.parse makes it an own member. One walk, as deep as the file.
 */
function plain(value: unknown): boolean {
  const stack = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item !== 'object' || item === null) continue;
    if (Object.getPrototypeOf(item) !== (Array.isArray(item) ? Array.prototype : Object.prototype)) return false;
    for (const member of Object.values(item)) stack.push(member);
  }
  return true;
}

/** Why the file could not be read, in words for the common cases (Node's own names the syscall too). */
function unreadable(file: string, error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return `There is no file ${file}`;
  if (error.code === 'EISDIR') return `${file} is a directory: name the config file in it`;
  if (error.code === 'EACCES' || error.code === 'EPERM') return `${file} cannot be read: permission denied`;
  return `Cannot read ${file}: ${error.message}`;
}
