/**
 * What the built CLI loads: a command that only reads or writes the data dir starts without the HTTP
 * server, the upstream client and the response serialiser (about 200 ms and 25 MiB a run); `serve`
 * loads them. Read from the packages Node has loaded when each process exits.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { config, dir, run, serve, useCliCleanups, writeJson } from './support/cli';

useCliCleanups();

const SERVER_PACKAGES = ['fastify', '@fastify/static', 'undici', 'fast-json-stringify'];

/** A preload that writes, as the process exits, the names of the packages it loaded. */
function packageRecorder(): { env: Record<string, string>; loaded: () => string[] } {
  const folder = dir();
  const out = join(folder, 'loaded.json');
  const preload = join(folder, 'record.cjs');
  writeFileSync(
    preload,
    `process.on('exit', () => {
      const names = new Set();
      for (const file of Object.keys(require.cache)) {
        const match = /node_modules[\\\\/]((?:@[^\\\\/]+[\\\\/])?[^\\\\/]+)/.exec(file);
        if (match) names.add(match[1].replace('\\\\', '/'));
      }
      require('node:fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify([...names]));
    });`,
  );
  return { env: { NODE_OPTIONS: `--require ${preload}` }, loaded: () => JSON.parse(readFileSync(out, 'utf8')) as string[] };
}

describe('the packages each command loads', () => {
  it('commands on the data dir load no HTTP server or upstream client; serve loads them', async () => {
    const data = dir();
    const file = writeJson(join(dir(), 'config.json'), config);
    expect(run(['import', file, '--data-dir', data]).code).toBe(0);

    for (const args of [['--help'], ['check', file], ['export'], ['history'], ['usage', 'tail'], ['usage', 'summary'], ['keys', 'list'], ['backup', join(dir(), 'copy.db')]]) {
      const recorder = packageRecorder();
      const result = run([...args, ...(args[0] === '--help' || args[0] === 'check' ? [] : ['--data-dir', data])], recorder.env);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      const loaded = recorder.loaded();
      // The recorder works: the database driver is there for every command but --help and check.
      if (args[0] !== '--help' && args[0] !== 'check') expect(loaded, args.join(' ')).toContain('better-sqlite3');
      for (const name of SERVER_PACKAGES) expect(loaded, `${args.join(' ')} loaded ${name}`).not.toContain(name);
    }

    const recorder = packageRecorder();
    const served = await serve(['--port', '0', '--data-dir', dir()], recorder.env);
    served.child.kill('SIGTERM');
    await new Promise((resolve) => served.child.once('exit', resolve));
    expect(recorder.loaded()).toEqual(expect.arrayContaining(SERVER_PACKAGES));
  });
});
