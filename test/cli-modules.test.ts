/**
 * What the built CLI loads: a command that only reads or writes the data dir starts without the HTTP
 * server, the upstream client and the response serialiser (about 200 ms and 25 MiB a run); `serve`
 * loads them. The bundle carries some packages inside its chunks, so a package counts as loaded when
 * Node loaded a file of it from node_modules or a chunk of the build that holds its code.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { config, dir, run, serve, useCliCleanups, writeJson } from './support/cli';

useCliCleanups();

const SERVER_PACKAGES = ['fastify', '@fastify/static', 'undici', 'fast-json-stringify'];
const PACKAGE_IN_PATH = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/;
// Each module the bundler takes in is headed by a comment naming its file: `// node_modules/fastify/fastify.js`.
const PACKAGE_IN_CHUNK = /^\/\/ node_modules\/((?:@[^/\s]+\/)?[^/\s]+)\//gm;

/**
 * A preload that lists every file the process loads: the bundle's chunks as they are read (the CLI
 * compiles them itself, with V8's code cache), ES modules through a loader hook, CommonJS files
 * from require's cache as the process exits.
 */
function packageRecorder(): { env: Record<string, string>; loaded: () => string[] } {
  const folder = dir();
  const out = join(folder, 'loaded.txt');
  const hooks = join(folder, 'hooks.mjs');
  const preload = join(folder, 'record.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';
    export async function load(url, context, next) {
      if (url.startsWith('file:')) appendFileSync(${JSON.stringify(out)}, url + '\\n');
      return next(url, context);
    }`,
  );
  writeFileSync(
    preload,
    `import { register, createRequire, syncBuiltinESMExports } from 'node:module';
    import fs, { appendFileSync } from 'node:fs';
    import { pathToFileURL } from 'node:url';
    register(${JSON.stringify(pathToFileURL(hooks).href)});
    const read = fs.readFileSync;
    fs.readFileSync = function (file, ...rest) {
      if (typeof file === 'string' && file.endsWith('.cjs')) appendFileSync(${JSON.stringify(out)}, pathToFileURL(file).href + '\\n');
      return read.call(this, file, ...rest);
    };
    syncBuiltinESMExports();
    const require = createRequire(import.meta.url);
    process.on('exit', () => {
      const files = Object.keys(require.cache).map((file) => pathToFileURL(file).href);
      appendFileSync(${JSON.stringify(out)}, files.map((url) => url + '\\n').join(''));
    });`,
  );
  appendFileSync(out, '');
  const loaded = () => {
    const names = new Set<string>();
    for (const url of new Set(readFileSync(out, 'utf8').split('\n').filter(Boolean))) {
      const file = fileURLToPath(url);
      const inPath = PACKAGE_IN_PATH.exec(file)?.[1];
      if (inPath) names.add(inPath.replace('\\', '/'));
      else if (/[\\/]out[\\/]main[\\/]/.test(file)) for (const [, name] of readFileSync(file, 'utf8').matchAll(PACKAGE_IN_CHUNK)) names.add(name ?? '');
    }
    return [...names];
  };
  return { env: { NODE_OPTIONS: `--import ${pathToFileURL(preload).href}` }, loaded };
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
