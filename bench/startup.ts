/**
 * Start-up and memory at rest: time from spawning the process to its first `/health` answer, and
 * resident memory after 10 s idle, for the gateway as users start it (`switchyard serve` on a new
 * data dir: first-start config, Ollama discovery) and for a bare Fastify app, alternating; and the
 * gateway's first start after a build, before its code cache is written (bin/code-cache.js). And a
 * command on the data dir (`switchyard usage tail`), spawn to exit, against Node doing nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort, memoryMiB, start, type Started } from './processes';
import { median } from './load';

const root = join(import.meta.dirname, '..');

export interface StartupFigures {
  readyMs: number;
  idleRssMiB: number;
}

async function readyAndIdle(launch: () => Promise<Started>, idleMs: number): Promise<StartupFigures> {
  const t0 = performance.now();
  const started = await launch();
  // Ready means answering: the first /health, not just the printed port.
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${started.port}/health`)).ok) break;
    } catch {
      // not yet
    }
  }
  const readyMs = performance.now() - t0;
  await new Promise((r) => setTimeout(r, idleMs));
  const idleRssMiB = memoryMiB(started.pid)?.rss ?? Number.NaN;
  started.child.kill('SIGTERM');
  await new Promise((r) => started.child.once('exit', r));
  return { readyMs, idleRssMiB };
}

export async function measureStartup(rounds: number, idleMs = 10_000): Promise<{ gateway: StartupFigures; bare: StartupFigures; firstStart: StartupFigures }> {
  const deadPort = await closedPort();
  const gatewayRuns: StartupFigures[] = [];
  const bareRuns: StartupFigures[] = [];
  const gateway = () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-bench-start-'));
    return readyAndIdle(
      () => start(process.execPath, [join(root, 'bin', 'switchyard.js'), 'serve', '--port', '0', '--data-dir', dataDir], { env: { OLLAMA_HOST: `127.0.0.1:${deadPort}` } }),
      idleMs,
    ).finally(() => rmSync(dataDir, { recursive: true, force: true }));
  };
  const bare = () => readyAndIdle(() => start(process.execPath, [join(import.meta.dirname, 'bare-fastify.mjs')]), idleMs);
  // Where bin/code-cache.js keeps the caches (the next build empties it).
  rmSync(join(root, 'out', 'main', '.code-cache'), { recursive: true, force: true });
  const firstStart = await gateway();
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      gatewayRuns.push(await gateway());
      bareRuns.push(await bare());
    } else {
      bareRuns.push(await bare());
      gatewayRuns.push(await gateway());
    }
  }
  const summary = (runs: StartupFigures[]) => ({ readyMs: median(runs.map((r) => r.readyMs)), idleRssMiB: median(runs.map((r) => r.idleRssMiB)) });
  return { gateway: summary(gatewayRuns), bare: summary(bareRuns), firstStart };
}

/** Milliseconds from spawn to exit: `switchyard usage tail` on a data dir, and `node -e 0`, alternating. */
export function measureCommand(rounds: number): { command: number; bareNode: number } {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-bench-command-'));
  const bin = join(root, 'bin', 'switchyard.js');
  const timed = (args: string[]) => {
    const t0 = performance.now();
    const result = spawnSync(process.execPath, args, { encoding: 'utf8', env: process.env });
    if (result.status !== 0) throw new Error(`${args.join(' ')} exited with ${result.status}: ${result.stderr}`);
    return performance.now() - t0;
  };
  try {
    timed([bin, 'keys', 'create', 'bench', '--data-dir', dataDir]);
    const command: number[] = [];
    const bareNode: number[] = [];
    for (let round = 0; round < rounds; round++) {
      command.push(timed([bin, 'usage', 'tail', '--data-dir', dataDir]));
      bareNode.push(timed(['-e', '0']));
    }
    return { command: median(command), bareNode: median(bareNode) };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
