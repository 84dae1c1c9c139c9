/**
 * The instants the CLI prints for reading are this machine's wall time, as `usage tail` prints its
 * rows (`status`'s breaker events are in cli-status-events): a revision's in `history`, a revoked
 * key's in `keys list`. Run in New York, where UTC's clock is hours off.
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { config, dir, inNewYork, newYork, run, useCliCleanups, writeJson } from './support/cli';

useCliCleanups();

/** What `command` printed, with each instant it may have stamped (the second it ran in, or the next). */
function stamped(command: () => string): { text: string; times: string[] } {
  const before = Date.now();
  const text = command();
  const times: string[] = [];
  for (let at = Math.floor(before / 1000) * 1000; at <= Date.now(); at += 1000) times.push(newYork(at, true));
  return { text, times };
}

it("prints a revision's time and a revoked key's as the machine's clock reads them, with the date", () => {
  const data = dir();
  const file = writeJson(join(data, 'a.json'), config);
  const imported = stamped(() => run(['import', file, '--data-dir', data], inNewYork).stdout);
  expect(imported.text).toMatch(/^Imported /);
  const [line] = run(['history', '--data-dir', data], inNewYork).stdout.trim().split('\n');
  expect(imported.times.map((time) => `*     1  ${time}  import ${file}`)).toContain(line);

  expect(run(['keys', 'create', 'ci', '--data-dir', data]).code).toBe(0);
  const revoked = stamped(() => run(['keys', 'revoke', 'ci', '--data-dir', data]).stdout);
  expect(revoked.text).not.toBe('');
  const listed = /^ci\t\S+\.\.\.\trevoked (.+)\tno limit\tall routes$/.exec(run(['keys', 'list', '--data-dir', data], inNewYork).stdout.trim());
  expect(revoked.times).toContain(listed?.[1]);
});
