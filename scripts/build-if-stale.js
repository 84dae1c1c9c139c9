#!/usr/bin/env node
// Builds the app (`electron-vite build`: the gateway, the CLI, the desktop main process and the UI)
// only when a source is newer than the last build, so `npm start` is quick after the first time.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const built = join(root, 'out', 'main', 'cli.cjs');
const sources = ['gateway', 'electron', 'renderer', 'resources', 'package.json', 'package-lock.json', 'electron.vite.config.ts'];

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) if (entry !== 'node_modules') latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

const stale = !existsSync(built) || sources.some((source) => existsSync(join(root, source)) && newest(join(root, source)) > statSync(built).mtimeMs);
if (stale) {
  console.log('Building Switchyard (sources changed since the last build)...');
  const result = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) {
    console.error('The build failed; see the errors above.');
    process.exit(result.status ?? 1);
  }
}
