/**
 * The built CLI's code cache (bin/code-cache.js), on a copy of the build of its own, so no other
 * test's runs write its caches: the first run writes a cache for each chunk it loads, later runs
 * use them as they are, and a cache V8 refuses, a folder that cannot be written or the switch
 * turning it off never stops a command.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { baseEnv, dir, useCliCleanups } from './support/cli';

useCliCleanups();
const root = join(import.meta.dirname, '..');
let copy: string;
let caches: string;

beforeAll(() => {
  expect(existsSync(join(root, 'out', 'main', 'cli.cjs')), 'run "npm run build" first').toBe(true);
});

function freshCopy(): void {
  copy = dir();
  cpSync(join(root, 'bin'), join(copy, 'bin'), { recursive: true });
  cpSync(join(root, 'out', 'main'), join(copy, 'out', 'main'), { recursive: true, filter: (source) => !source.includes('.code-cache') });
  cpSync(join(root, 'package.json'), join(copy, 'package.json'));
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  caches = join(copy, 'out', 'main', '.code-cache');
}

/** A command that opens the database (the store's chunk): a key made, by each run its own. */
function makeKey(env: Record<string, string> = {}) {
  const name = `key-${++runs}`;
  const made = spawnSync(process.execPath, [join(copy, 'bin', 'switchyard.js'), 'keys', 'create', name, '--data-dir', join(copy, 'data')], { env: baseEnv(env), encoding: 'utf8', timeout: 20_000 });
  expect(made.status, made.stderr).toBe(0);
  expect(made.stderr).toContain(`Created client key "${name}"`);
}
let runs = 0;

const written = () => Object.fromEntries(readdirSync(caches).map((name) => [name, statSync(join(caches, name)).mtimeMs]));

it('writes a cache for each chunk a command loads, and the next run uses them as they are', () => {
  freshCopy();
  expect(existsSync(caches)).toBe(false);
  makeKey();
  const first = written();
  // The entry and the store's chunk (the database) at least; nothing left half-written beside them.
  expect(Object.keys(first)).toEqual(expect.arrayContaining(['cli.cjs.v8', expect.stringMatching(/^store-.*\.cjs\.v8$/)]));
  expect(Object.keys(first).every((name) => name.endsWith('.cjs.v8'))).toBe(true);
  makeKey();
  // A cache V8 refused would have been written again.
  expect(written()).toEqual(first);
});

it('a cache V8 refuses (not for this source) is written again, and the command runs as without one', () => {
  freshCopy();
  makeKey();
  const entry = join(caches, 'cli.cjs.v8');
  const store = readdirSync(caches).find((name) => name.startsWith('store-')) as string;
  // Another chunk's cache, and bytes that are no cache at all.
  writeFileSync(entry, readFileSync(join(caches, store)));
  writeFileSync(join(caches, store), 'not a code cache');
  makeKey();
  expect(readFileSync(entry).equals(readFileSync(join(caches, store)))).toBe(false);
  expect(readFileSync(join(caches, store)).toString()).not.toBe('not a code cache');
  const rewritten = written();
  makeKey();
  expect(written()).toEqual(rewritten);
});

it('runs where the cache cannot be written, and writes none when SWITCHYARD_CODE_CACHE=off', () => {
  freshCopy();
  // A file where the folder would be: nothing can be written under it.
  writeFileSync(caches, '');
  makeKey();
  expect(statSync(caches).isFile()).toBe(true);

  freshCopy();
  makeKey({ SWITCHYARD_CODE_CACHE: 'off' });
  expect(existsSync(caches)).toBe(false);
});
