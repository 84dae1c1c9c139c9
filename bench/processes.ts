/**
 * The bench's processes: the upstreams, the two forwarders, the gateway as users run it (the built
 * CLI, `bin/switchyard.js serve`), and optionally an older checkout's gateway for a before/after
 * column in the same run (`BENCH_BEFORE=DIR`, that checkout's built CLI with this bench's config).
 * Each is a child of this process, on 127.0.0.1, ended by PID when the bench ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const here = import.meta.dirname;
const root = join(here, '..');
const children: ChildProcess[] = [];
const cleanups: (() => void)[] = [];

export function stopAll(): void {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  for (const cleanup of cleanups.splice(0)) cleanup();
}
process.on('exit', stopAll);

export interface Started {
  port: number;
  pid: number;
  /** Milliseconds from spawn to the first line it printed (it listens by then). */
  readyMs: number;
  child: ChildProcess;
}

/** Spawns a process that prints its port (as JSON `{port}` or in the CLI's banner) once it listens. */
export function start(command: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<Started> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: options.cwd ?? root, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  let output = '';
  let listening = false;
  return new Promise((resolve, reject) => {
    // Read until the port shows; what a process prints after that (a GC trace) is its reader's to keep.
    child.stdout!.on('data', (d) => {
      if (listening) return;
      output += d;
      const port = /"port":(\d+)/.exec(output)?.[1] ?? /OpenAI base URL:\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1];
      if (!port) return;
      listening = true;
      resolve({ port: Number(port), pid: child.pid as number, readyMs: performance.now() - started, child });
    });
    child.once('exit', (code) => reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output}`)));
  });
}

/** Each whole line a process prints once it listens (V8's trace of its collections), as it comes. */
export function eachLine(started: Started, onLine: (line: string) => void): void {
  let partial = '';
  started.child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
}

/**
 * Node with `nodeFlags` running `args`, under `launcher` when one is given (valgrind, for the
 * instruction count): the one way the bench spawns Node.
 */
function startNode(args: string[], { launcher = [], nodeFlags = [], env }: NodeOptions = {}): Promise<Started> {
  const [command, ...rest] = [...launcher, process.execPath, ...nodeFlags, ...args] as [string, ...string[]];
  return start(command, rest, { env });
}

export interface NodeOptions {
  launcher?: string[];
  nodeFlags?: string[];
  env?: Record<string, string>;
}

export const startScript = (script: string, args: string[] = [], options?: NodeOptions) => startNode(['--import', 'tsx', join(here, script), ...args], options);

export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export interface BenchUpstreams {
  upstream: string;
  deadPort: number;
  failing: string;
  hanging: string;
}

/**
 * The gateway as users run it: the built CLI with a config of the bench's routes, in a fresh data dir.
 * `checkout` is another clone (built, with its own node_modules) for a before/after column;
 * `options` give Node flags (the soak's `--trace-gc`) and a launcher.
 */
export async function startGateway(urls: BenchUpstreams, checkout = root, options: Omit<NodeOptions, 'env'> = {}): Promise<Started> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-bench-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const configFile = join(dataDir, 'bench-config.json');
  writeFileSync(configFile, JSON.stringify(benchConfig(urls)));
  return startNode([join(checkout, 'bin', 'switchyard.js'), 'serve', '--port', '0', '--data-dir', dataDir, '--config', configFile], {
    ...options,
    env: { BENCH_KEY: 'sk-bench', OLLAMA_HOST: `127.0.0.1:${urls.deadPort}` },
  });
}

/** A serving process of the chat load: how to start it (with Node flags, under a launcher) and the model its requests name. */
export interface ChatServer {
  name: string;
  model: string;
  launch: (options?: Omit<NodeOptions, 'env'>) => Promise<Started>;
}

/**
 * One fast upstream, and the three processes that serve the chat load in front of it (the bare
 * forwarder, the Fastify forwarder, the gateway), not yet started: the columns the instruction count
 * and the collections compare. `before` adds BENCH_BEFORE's gateway.
 */
export async function chatServers(before?: string): Promise<ChatServer[]> {
  const upstream = await startScript('upstream.ts');
  const url = `http://127.0.0.1:${upstream.port}`;
  const urls = { upstream: url, deadPort: await closedPort(), failing: url, hanging: url };
  const servers: ChatServer[] = [
    { name: 'bare forwarder', model: 'bench-model', launch: (o) => startScript('forwarder.ts', [url], o) },
    { name: 'Fastify forwarder', model: 'bench-model', launch: (o) => startScript('fastify-forwarder.ts', [url], o) },
    { name: 'Switchyard', model: 'live', launch: (o) => startGateway(urls, undefined, o) },
  ];
  if (before) servers.push({ name: 'Switchyard before', model: 'live', launch: (o) => startGateway(urls, before, o) });
  return servers;
}

export function benchConfig({ upstream, deadPort, failing, hanging }: BenchUpstreams) {
  return {
    version: 1,
    providers: [
      { name: 'fast', kind: 'openai', baseUrl: `${upstream}/v1`, apiKey: 'env:BENCH_KEY', healthCheck: { intervalMs: 0 } },
      { name: 'dead', kind: 'openai', baseUrl: `http://127.0.0.1:${deadPort}/v1`, apiKey: 'env:BENCH_KEY', healthCheck: { intervalMs: 0 } },
      { name: 'failing', kind: 'openai', baseUrl: `${failing}/v1`, apiKey: 'env:BENCH_KEY', healthCheck: { intervalMs: 0 } },
      { name: 'hanging', kind: 'openai', baseUrl: `${hanging}/v1`, apiKey: 'env:BENCH_KEY', timeouts: { firstByteMs: 200 }, healthCheck: { intervalMs: 0 } },
      // Ollama's default cap of 2 in flight would measure the queue, not the gateway.
      { name: 'local', kind: 'ollama', baseUrl: upstream, maxConcurrent: 10_000, healthCheck: { intervalMs: 0 } },
      { name: 'claude', kind: 'anthropic', baseUrl: upstream, apiKey: 'env:BENCH_KEY', healthCheck: { intervalMs: 0 } },
      { name: 'responses', kind: 'openai', baseUrl: `${upstream}/v1`, apiKey: 'env:BENCH_KEY', apis: ['chat', 'responses'], healthCheck: { intervalMs: 0 } },
    ],
    deployments: [
      { name: 'fast-model', provider: 'fast', model: 'bench-model' },
      { name: 'dead-model', provider: 'dead', model: 'bench-model' },
      { name: 'failing-model', provider: 'failing', model: 'bench-model' },
      { name: 'hanging-model', provider: 'hanging', model: 'bench-model' },
      { name: 'ollama-model', provider: 'local', model: 'bench-model' },
      { name: 'nousage-model', provider: 'fast', model: 'bench-nousage' },
      { name: 'long-model', provider: 'fast', model: 'bench-long' },
      { name: 'claude-model', provider: 'claude', model: 'bench-model' },
      { name: 'responses-model', provider: 'responses', model: 'bench-model' },
      // A window the routing estimate must check a 1 MiB prompt against (its bytes alone do not fit).
      { name: 'windowed-model', provider: 'fast', model: 'bench-model', contextWindow: 600_000 },
      ...TWENTY.map((name) => ({ name, provider: 'fast', model: 'bench-model' })),
    ],
    routes: [
      { name: 'live', deployments: ['fast-model', 'dead-model'] },
      { name: 'dead-first', deployments: ['dead-model', 'fast-model'] },
      { name: 'failing-first', deployments: ['failing-model', 'fast-model'] },
      { name: 'hanging-first', deployments: ['hanging-model', 'fast-model'] },
      { name: 'live-ollama', deployments: ['ollama-model'] },
      { name: 'nousage', deployments: ['nousage-model'] },
      { name: 'long', deployments: ['long-model'] },
      { name: 'live-anthropic', deployments: ['claude-model', 'dead-model'] },
      { name: 'live-responses', deployments: ['responses-model', 'dead-model'] },
      { name: 'windowed', deployments: ['windowed-model'] },
      // The routing decision at its heaviest: 20 deployments, four rules to test, budgets to check.
      {
        name: 'live-20',
        deployments: TWENTY,
        rules: [
          { when: { minPromptTokens: 32_000 }, use: 'live' },
          { when: { hasImages: true }, use: 'live' },
          { when: { clientKey: 'batch-jobs' }, use: 'live' },
          { when: { thinking: true }, use: 'live' },
        ],
      },
    ],
    budgets: [
      { name: 'month', scope: 'global', period: 'month', limitUsd: 1_000_000 },
      { name: 'route-day', scope: { route: 'live-20' }, period: 'day', limitUsd: 1_000_000 },
      { name: 'provider-week', scope: { provider: 'fast' }, period: 'week', limitUsd: 1_000_000 },
    ],
  };
}

const TWENTY = Array.from({ length: 20 }, (_, i) => `fast-${i + 1}`);

/**
 * CPU time (user + system, microseconds) a process has used, from /proc (Linux). CPU per request
 * is steadier than requests/s on a shared machine, and says which process is the bottleneck.
 */
export function cpuMicros(pid: number): number | undefined {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return undefined;
  const fields = readFileSync(file, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * (1_000_000 / 100);
}

/** Resident memory now (VmRSS) and its peak so far (VmHWM), in MiB. */
export function memoryMiB(pid: number): { rss: number; peak: number } | undefined {
  const file = `/proc/${pid}/status`;
  if (!existsSync(file)) return undefined;
  const status = readFileSync(file, 'utf8');
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}
