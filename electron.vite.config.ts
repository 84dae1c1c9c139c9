import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

// One build of the gateway for both ways it runs: the desktop app's main process (index) and the
// headless CLI (cli) are entries of the same bundle and share its chunks.
export default defineConfig({
  main: {
    build: {
      // Dependencies on the path to a first answer are bundled in: resolving and reading their
      // hundreds of module files cost more at start than their code (about 80 ms of `serve`'s ready
      // time; typebox alone was ~120 ms). The native driver and packages loaded on demand stay outside.
      externalizeDeps: { exclude: ['typebox', 'eventsource-parser', 'fastify-plugin', 'fastify', 'undici', 'fast-json-stringify', '@fastify/static', 'secure-json-parse'] },
      outDir: 'out/main',
      rollupOptions: {
        // The usage reader's thread is an entry of its own (gateway/store/usage-reader.ts): it loads its few modules, not the server's.
        input: { index: resolve(__dirname, 'electron/main/index.ts'), cli: resolve(__dirname, 'gateway/cli.ts'), 'usage-reader': resolve(__dirname, 'gateway/store/usage-reader-worker.ts') },
        // CommonJS: Node 20 can use V8's code cache only for a script it compiles through vm.Script,
        // which an ES module is not (bin/code-cache.js loads the CLI so, about 130 ms of 590 off
        // `serve`'s start; Electron loads the same files as its main process).
        // V8 keeps each chunk's source for the life of the process, two bytes a character if one
        // character needs it: an arrow in a message doubled 3.6 MB of source (5.6 MiB more heap, and
        // every start measured idled at ~100 MiB instead of ~85). Doc comments (typebox's and
        // undici's are most of them: 0.4 of 4 MB) are parsed at every start and read by no one:
        // without them `serve` answered its first /health 10 ms sooner (median of 20 alternating starts).
        output: { format: 'cjs', entryFileNames: '[name].cjs', charset: 'ascii', comments: false, chunkFileNames: (chunk) => `chunks/${chunkName(chunk.moduleIds)}-[hash].cjs` },
      },
    },
  },
  preload: {
    build: { outDir: 'out/preload', rollupOptions: { input: resolve(__dirname, 'electron/preload/index.ts'), output: { format: 'cjs' } } },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    // electron-vite leaves the renderer unminified: 2.2 MB of script the window and every browser
    // tab parse at each load. Minified it is 0.9 MB, and a fresh tab's page loads about 16 ms sooner
    // (87 -> 71 ms to DOMContentLoaded, median of 12 here). Its messages are our own words either way.
    build: { minify: true, outDir: resolve(__dirname, 'out/renderer'), rollupOptions: { input: resolve(__dirname, 'renderer/index.html') } },
    plugins: [react(), gzipped()],
  },
});

/**
 * Each script and style of the UI beside its gzip, which the gateway sends as it is to a browser
 * that takes gzip (surfaces/ui, `preCompressed`): 0.9 MB of script goes as 0.26 MB, which a
 * dashboard opened over a network (a headless gateway on a server) loads that much sooner. Gzip,
 * not Brotli: browsers offer Brotli only to secure origins (HTTPS, localhost), and a dashboard
 * opened from another machine is plain HTTP.
 */
function gzipped(): Plugin {
  return {
    name: 'switchyard:gzipped-assets',
    apply: 'build',
    writeBundle(options, bundle) {
      for (const file of Object.keys(bundle)) {
        if (!/\.(js|css)$/.test(file)) continue;
        const path = join(options.dir as string, file);
        writeFileSync(`${path}.gz`, gzipSync(readFileSync(path), { level: 9 }));
      }
    },
  };
}

/**
 * A shared chunk named for what it holds, not for whichever of its modules the bundler picked
 * ("snapshot" held the whole server): stack traces from the built gateway say where they are.
 */
const CHUNK_NAMES: [string, string][] = [
  ['/gateway/server.ts', 'server'],
  ['/gateway/store/db.ts', 'store'],
  ['/node_modules/undici/', 'undici'],
  ['/gateway/providers/registry.ts', 'providers'],
];

function chunkName(moduleIds: readonly string[]): string {
  const ids = moduleIds.map((id) => id.replaceAll('\\', '/'));
  return CHUNK_NAMES.find(([part]) => ids.some((id) => id.includes(part)))?.[1] ?? '[name]';
}
