#!/usr/bin/env node
// `npm start`: the desktop app where the Electron binary is installed, the headless gateway (with
// the UI in a browser) where it is not, saying which. Arguments pass through to `switchyard serve`.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(import.meta.dirname, '..');
const run = (command, args) => spawnSync(command, args, { stdio: 'inherit', cwd: root }).status ?? 1;

if (run(process.execPath, [join(root, 'scripts', 'build-if-stale.js')]) !== 0) process.exit(1);

function electronBinary() {
  try {
    const pathFile = join(root, 'node_modules', 'electron', 'path.txt');
    const binary = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

if (electronBinary() && process.env.SWITCHYARD_HEADLESS !== '1') {
  console.log('Starting the Switchyard desktop app (Electron).');
  if (run(process.execPath, [join(root, 'scripts', 'native.js'), 'electron']) === 0) process.exit(run('npx', ['electron-vite', 'preview']));
  console.log('The desktop app cannot start without better-sqlite3 built for Electron; starting headless instead.');
} else {
  console.log(`Starting Switchyard headless (${process.env.SWITCHYARD_HEADLESS === '1' ? 'SWITCHYARD_HEADLESS=1' : 'the Electron binary is not installed here'}); open the Dashboard link below in a browser.`);
}
if (run(process.execPath, [join(root, 'scripts', 'native.js'), 'node']) !== 0) process.exit(1);
// The gateway runs in this process, not a child: a signal sent to `npm start` (Ctrl-C, a process
// manager's SIGTERM) reaches it directly, and stopping this process can leave no gateway behind.
const bin = join(root, 'bin', 'switchyard.js');
process.argv = [process.argv[0], bin, 'serve', ...process.argv.slice(2)];
await import(pathToFileURL(bin).href);
