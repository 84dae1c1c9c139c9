/** A config file named on the command line (`import`, `check`, `serve --config`), read as JSON. */
import { readFileSync } from 'node:fs';
import type { Output } from '../cli-output';

/** The file's JSON, or undefined once it has said why there is none (unreadable, not JSON). */
export function readConfigFile(file: string, io: Output): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    io.err(`Cannot read ${file}: ${(error as Error).message}\n`);
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    io.err(`${file} is not valid JSON: ${(error as Error).message}\n`);
    return undefined;
  }
}
