import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';

// One build of the gateway for both ways it runs: the desktop app's main process (index) and the
// headless CLI (cli) are entries of the same bundle and share its chunks.
export default defineConfig({
  main: {
    build: {
      // Small pure-ESM dependencies are bundled in: resolving their many module files costs more at
      // start than their code (typebox alone: ~120 ms). Native and large CommonJS ones stay outside.
      externalizeDeps: { exclude: ['typebox', 'eventsource-parser', 'fastify-plugin'] },
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve(__dirname, 'electron/main/index.ts'), cli: resolve(__dirname, 'gateway/cli.ts') } },
    },
  },
  preload: {
    build: { outDir: 'out/preload', rollupOptions: { input: resolve(__dirname, 'electron/preload/index.ts'), output: { format: 'cjs' } } },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    build: { outDir: resolve(__dirname, 'out/renderer'), rollupOptions: { input: resolve(__dirname, 'renderer/index.html') } },
    plugins: [react()],
  },
});
