/** Runs routing-main.ts bundled with esbuild (no tsx helpers, as the built gateway runs) in its own process. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

const root = join(import.meta.dirname, '..');

export type RoutingFigures = { plainUs: number; heavyUs: number; windowStateMs: number; weekScheduleMs: number };

export function measureRouting(): RoutingFigures {
  // Inside the project, so the packages left outside the bundle resolve from node_modules.
  const dir = join(root, 'node_modules', '.cache', 'switchyard-bench');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, 'routing.mjs');
  try {
    buildSync({ entryPoints: [join(import.meta.dirname, 'routing-main.ts')], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile, logLevel: 'error' });
    const out = execFileSync(process.execPath, [outfile], { cwd: root, encoding: 'utf8' });
    return JSON.parse(out.trim().split('\n').at(-1) as string) as RoutingFigures;
  } finally {
    rmSync(outfile, { force: true });
  }
}
