#!/usr/bin/env node
// better-sqlite3 is native: built for Node (tests, headless) or for Electron's ABI (the desktop app).
// `node scripts/native.js node` makes sure the Node build loads, rebuilding from source if needed
// (offline, about a minute). `node scripts/native.js electron` rebuilds for Electron, which needs
// Electron's headers from the internet: when that fails it says so and exits 1, changing nothing
// the Node build needs (the rebuild writes to a copy first).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const target = process.argv[2];
const moduleDir = join(import.meta.dirname, '..', 'node_modules', 'better-sqlite3');

function loadsUnderNode() {
  const result = spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], { cwd: join(import.meta.dirname, '..'), encoding: 'utf8' });
  return result.status === 0;
}

if (target === 'node') {
  if (loadsUnderNode()) process.exit(0);
  console.error('better-sqlite3 is not built for this Node (it was built for Electron): rebuilding it from source...');
  execFileSync('npm', ['rebuild', 'better-sqlite3'], { stdio: 'inherit', cwd: join(import.meta.dirname, '..') });
  if (!loadsUnderNode()) {
    console.error('better-sqlite3 still does not load under Node; run "npm rebuild better-sqlite3" and read its output.');
    process.exit(1);
  }
} else if (target === 'electron') {
  const backup = `${moduleDir}.node-build`;
  rmSync(backup, { recursive: true, force: true });
  cpSync(moduleDir, backup, { recursive: true });
  let electronVersion;
  try {
    electronVersion = require('electron/package.json').version;
  } catch {
    console.error('The electron package is not installed.');
    process.exit(1);
  }
  const rebuild = spawnSync('npx', ['--yes', '@electron/rebuild@4.2.1', '--force', '--only', 'better-sqlite3', '--version', electronVersion], { stdio: 'inherit', cwd: join(import.meta.dirname, '..') });
  if (rebuild.status !== 0) {
    rmSync(moduleDir, { recursive: true, force: true });
    cpSync(backup, moduleDir, { recursive: true });
    rmSync(backup, { recursive: true, force: true });
    console.error('Could not rebuild better-sqlite3 for Electron (it needs Electron\'s headers from the internet). The Node build is kept.');
    process.exit(1);
  }
  rmSync(backup, { recursive: true, force: true });
  if (!existsSync(join(moduleDir, 'build', 'Release', 'better_sqlite3.node'))) {
    console.error('The rebuild left no better_sqlite3.node: refusing to continue.');
    process.exit(1);
  }
} else {
  console.error('usage: node scripts/native.js node|electron');
  process.exit(2);
}
