/**
 * The built CLI's code cache (bin/code-cache.js), on a copy of the build of its own, so no other
 * test's runs write its caches: the first run writes a cache for each chunk it loads, later runs
 * use them as they are, a cache is never used for other code (V8 itself would take one made for any
 * source of the same length), and a cache V8 refuses, one damaged on disk, a folder that cannot be
 * written or the switch turning it off never stops a command; and each built file runs once.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { baseEnv, copyOfBuild, useCliCleanups } from './support/cli';

useCliCleanups();
const root = join(import.meta.dirname, '..');
let copy: string;
let caches: string;

beforeAll(() => {
  expect(existsSync(join(root, 'out', 'main', 'cli.cjs')), 'run "npm run build" first').toBe(true);
});

function freshCopy(): void {
  copy = copyOfBuild();
  caches = join(copy, 'out', 'main', '.code-cache');
}

function runCopy(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [join(copy, 'bin', 'switchyard.js'), ...args], { env: baseEnv(env), encoding: 'utf8', timeout: 20_000 });
  expect(result.status, result.stderr).toBe(0);
  return result;
}

/** A command that opens the database (the store's chunk): a key made, by each run its own. */
function makeKey(env: Record<string, string> = {}) {
  const name = `key-${++runs}`;
  expect(runCopy(['keys', 'create', name, '--data-dir', join(copy, 'data')], env).stderr).toContain(`Created client key "${name}"`);
}
let runs = 0;

const written = () => Object.fromEntries(readdirSync(caches).map((name) => [name, statSync(join(caches, name)).mtimeMs]));
/** The cache file of a built file: its name, then its source's CRC-32. */
const cacheOf = (prefix: string) => readdirSync(caches).find((name) => name.startsWith(prefix)) as string;

it('writes a cache for each chunk a command loads, and the next run uses them as they are', () => {
  freshCopy();
  expect(existsSync(caches)).toBe(false);
  makeKey();
  const first = written();
  // The entry and the store's chunk (the database) at least; nothing left half-written beside them.
  expect(Object.keys(first)).toEqual(expect.arrayContaining([expect.stringMatching(/^cli\.cjs\.[0-9a-f]+\.v8$/), expect.stringMatching(/^store-.*\.cjs\.[0-9a-f]+\.v8$/)]));
  expect(Object.keys(first).every((name) => /\.cjs\.[0-9a-f]+\.v8$/.test(name))).toBe(true);
  makeKey();
  // A cache V8 refused would have been written again.
  expect(written()).toEqual(first);
});

it('never runs a cache made for other code, even of the same length', () => {
  freshCopy();
  makeKey();
  const entry = join(copy, 'out', 'main', 'cli.cjs');
  const source = readFileSync(entry, 'utf8');
  // The usage text is made as the entry loads, so its cache holds it.
  expect(runCopy(['--help']).stdout).toContain('one localhost endpoint');
  // The same length, other code: what V8 checks of a cache's source would not tell them apart.
  writeFileSync(entry, source.replace('one localhost endpoint', 'one LOCALHOST endpoint'));
  expect(runCopy(['--help']).stdout).toContain('one LOCALHOST endpoint');
});

it('a cache V8 refuses (made for another chunk) or one damaged on disk is written again, and the command runs as without one', () => {
  freshCopy();
  makeKey();
  const entry = join(caches, cacheOf('cli.cjs.'));
  const store = join(caches, cacheOf('store-'));
  writeFileSync(entry, readFileSync(store));
  // A byte changed in the middle, as a disk might: V8 would take it as it is.
  const damaged = readFileSync(store);
  damaged[damaged.length >> 1] = (damaged[damaged.length >> 1] as number) ^ 0x5a;
  writeFileSync(store, damaged);
  makeKey();
  expect(readFileSync(entry).equals(readFileSync(store))).toBe(false);
  expect(readFileSync(store).equals(damaged)).toBe(false);
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

it("runs each built file once: a chunk that needs its entry (`../cli.cjs`) gets the entry already running, not a second copy Node loads", () => {
  freshCopy();
  // Told of every file Node's own loader compiles: none of the build's should be among them.
  const hook = join(copy, 'hook.cjs');
  writeFileSync(hook, `const M = require('node:module'); const compile = M.prototype._compile; M.prototype._compile = function (code, file) { if (file.includes('/out/main/')) process.stderr.write('compiled by Node: ' + file + '\\n'); return compile.call(this, code, file); };`);
  makeKey();
  // doctor's chunk needs the entry (as serve's does).
  const result = spawnSync(process.execPath, ['-r', hook, join(copy, 'bin', 'switchyard.js'), 'doctor', '--data-dir', join(copy, 'data')], { env: baseEnv({}), encoding: 'utf8', timeout: 20_000 });
  expect(result.stdout).toContain('No config is stored');
  expect(readdirSync(caches)).toEqual(expect.arrayContaining([expect.stringMatching(/^doctor-command-.*\.cjs\.[0-9a-f]+\.v8$/)]));
  expect(result.stderr).not.toContain('compiled by Node');
});
