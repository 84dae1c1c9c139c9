#!/usr/bin/env node
// Runs the built gateway: out/main/cli.cjs, an entry of the same bundle the desktop app runs, loaded
// with V8's code cache (code-cache.js). `npm run build` makes it; `npm start` and `npm run serve`
// rebuild it first when sources changed.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { requireBuilt } from './code-cache.js';

const cli = fileURLToPath(new URL('../out/main/cli.cjs', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('Switchyard is not built yet: run "npm run build" (npm start builds it for you).\n');
  process.exit(1);
}
// A reader that stops early (`switchyard usage export | head`) is no error: stop quietly, as other CLIs do.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const { main } = requireBuilt(cli);
// exitCode, not exit(): the process ends once stdout has drained, so piped output is never cut.
process.exitCode = await main(process.argv.slice(2), undefined, { uiDir: fileURLToPath(new URL('../out/renderer', import.meta.url)) });
