/**
 * Running the built CLI in tests: `run` for a command that ends, `serve` for a gateway that keeps
 * running (killed after the test), temporary data dirs removed after each test, and a sample config.
 * Call `useCliCleanups()` once in a test file that uses them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import { tempDir } from './harness';

export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'switchyard.js');
const cleanups: (() => void | Promise<void>)[] = [];
export function useCliCleanups(): void {
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(() => {
    home?.remove();
    home = undefined;
  });
}

export function onCleanup(cleanup: () => void | Promise<void>): void {
  cleanups.push(cleanup);
}

/** A copy of the built app (bin, out/main without its code caches, package.json, node_modules linked): a test that writes its files touches no other test's. */
export function copyOfBuild(): string {
  const root = join(import.meta.dirname, '..', '..');
  const copy = dir();
  cpSync(join(root, 'bin'), join(copy, 'bin'), { recursive: true });
  cpSync(join(root, 'out', 'main'), join(copy, 'out', 'main'), { recursive: true, filter: (source) => !source.includes('.code-cache') });
  cpSync(join(root, 'package.json'), join(copy, 'package.json'));
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  return copy;
}

export function dir() {
  const d = tempDir('switchyard-cli-');
  cleanups.push(() => d.remove());
  return d.path;
}

/** The HOME the CLI runs with unless a test names one: tools' settings files are written under it, never the real user's. */
let home: ReturnType<typeof tempDir> | undefined;

export const baseEnv = (extra: Record<string, string> = {}) => {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: (home ??= tempDir('switchyard-cli-home-')).path, OLLAMA_HOST: '127.0.0.1:9', ...extra };
  return env;
};

export function run(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], { env: baseEnv(env), encoding: 'utf8', timeout: 20_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `run` for a command that calls a server of this test's own process (spawnSync would stop that server answering it). */
export function runAsync(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: baseEnv(env) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) => child.on('close', (code) => (clearTimeout(timer), resolve({ code, stdout, stderr }))));
}

/** Starts `switchyard serve` and resolves with its printed base URL once it listens. */
export function serve(args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; baseUrl: string; output: () => string }> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { env: baseEnv(env) });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  cleanups.push(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 15_000);
    child.stdout.on('data', () => {
      const match = /OpenAI base URL:\s+(\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ child, baseUrl: match[1], output: () => output });
      }
    });
    child.on('exit', () => {
      clearTimeout(timer);
      reject(new Error(`serve exited early:\n${output}`));
    });
  });
}

export const config = {
  version: 1,
  providers: [
    { name: 'local', kind: 'ollama', baseUrl: 'http://127.0.0.1:11434' },
    { name: 'cloud', kind: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: 'env:OPENAI_API_KEY' },
  ],
  deployments: [
    { name: 'llama', provider: 'local', model: 'llama3.2:3b', type: 'chat', timeZone: 'Europe/Paris', timeWindows: [{ start: '09:00', end: '18:00', days: ['mon', 'fri'] }] },
    { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini', type: 'chat', pricing: { inputPerMTok: 0.4, outputPerMTok: 1.6 } },
  ],
  routes: [{ name: 'default', deployments: ['llama', 'mini'], retry: { attempts: 2 } }],
};

/** One OpenAI-compatible upstream (its key in OPENAI_API_KEY, no probes), one deployment `mini`, one route `route` of it. */
export const cloudOnly = (upstreamUrl: string, route = 'default') => ({
  version: 1,
  providers: [{ name: 'cloud', kind: 'openai', baseUrl: `${upstreamUrl}/v1`, apiKey: 'env:OPENAI_API_KEY', healthCheck: { intervalMs: 0 } }],
  deployments: [{ name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' }],
  routes: [{ name: route, deployments: ['mini'] }],
});

export function writeJson(path: string, value: unknown): string {
  writeFileSync(path, JSON.stringify(value));
  return path;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A zone far from UTC for the CLI to run in, so an instant printed in UTC is told from one printed as the machine's clock reads it. */
export const inNewYork = { TZ: 'America/New_York' };

/** An instant's wall time in New York, to the second, as the CLI prints it: no date on today's unless `always`. */
export function newYork(at: number, always = false): string {
  const parts = (ms: number) => Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(ms).map((p) => [p.type, p.value]));
  const when = parts(at);
  const today = parts(Date.now());
  const date = `${when.year}-${when.month}-${when.day}`;
  return `${!always && date === `${today.year}-${today.month}-${today.day}` ? '' : `${date} `}${when.hour}:${when.minute}:${when.second}`;
}
