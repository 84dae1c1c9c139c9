/**
 * `npm run bench:instructions`: the CPU target's figure counted instead of timed. Valgrind's
 * callgrind counts the instructions each serving process runs per request (the bare forwarder, the
 * Fastify forwarder, the gateway, and BENCH_BEFORE's gateway), each alone under the bench's chat
 * load at 64 connections. A count comes out the same from run to run for the same build and load,
 * whatever else the machine does, where `npm run bench`'s CPU-time ratio has moved from 1.68 to 2.19
 * for unchanged code; and callgrind says where the instructions went, by part and by function.
 *
 * What a count leaves out: the kernel's share (the sockets' system calls, which `npm run bench`'s
 * CPU time includes) and what an instruction costs (cache misses, branches). V8 runs single-threaded
 * (its collections on the main thread, in the counted rounds) on a fixed collection schedule (below),
 * and builtins keep their names (no short builtin calls). V8's compiling is reported apart and left out of the count: it is warm-up, and
 * under valgrind (about 50 times slower) it goes on for thousands of requests. Not a test; runs on
 * 127.0.0.1 and stops by itself.
 *
 *   INSTR_REQUESTS (a settling round, default 2000), INSTR_MEASURED (the measured round, default
 *   10000), INSTR_WARM (requests before the first round, default 6000), INSTR_MAX_ROUNDS (default 10), INSTR_NAMES=1 (JIT-compiled functions by name, through V8's perf
 *   map), BENCH_BEFORE=DIR. Needs valgrind (Debian's package). About 15 minutes (20 with BENCH_BEFORE).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PARTS, readDump, type Part } from './callgrind';
import { median, requests, type Target } from './load';
import { chatServers, stopAll, type ChatServer, type Started } from './processes';

const N = Number(process.env.INSTR_REQUESTS ?? 2_000);
const MEASURED = Number(process.env.INSTR_MEASURED ?? 10_000);
const WARM = Number(process.env.INSTR_WARM ?? 6_000);
const MAX_ROUNDS = Number(process.env.INSTR_MAX_ROUNDS ?? 10);
const BEFORE = process.env.BENCH_BEFORE;
const SETTLED_WITHIN = 0.015;
const COMPILING: Part = PARTS[1];

const VALGRIND = ['valgrind', '--tool=callgrind', '--smc-check=all-non-file', '--dump-instr=no', '--compress-strings=no', '--compress-pos=no', '--collect-systime=no'];
// V8's perf map names JIT-compiled functions, but writing it kept the Fastify forwarder's count
// from settling (246k to 382k a request over ten rounds, against 246k to 250k without it): asked for only.
const NAMES = process.env.INSTR_NAMES === '1';
// V8 times its full collections by the heap's growth against the clock, and under valgrind the
// clock runs fifty times slow: rounds with a collection counted 2 to 6 times the GC instructions of
// the rest, at no request count the same twice. A fixed schedule collects alike in every run.
const NODE_FLAGS = ['--single-threaded', '--no-short-builtin-calls', '--predictable-gc-schedule'];
// The perf map turns V8's log on, which would leave a file per process in the working directory.
const namingFlags = (dir: string) => (NAMES ? ['--perf-basic-prof', '--no-logfile-per-isolate', `--logfile=${join(dir, 'v8.log')}`] : []);

interface Count {
  name: string;
  /**
   * Instructions per request outside V8's compiler over the measured round, once the JIT settled:
   * one long round, so work that comes every few thousand requests (a full collection, SQLite's
   * checkpoint) is shared out among the requests that caused it.
   */
  perRequest: number;
  /** The rounds of N requests before it, each with its parts: how the count settled. */
  settling: { perRequest: number; parts: Record<Part, number> }[];
  settled: boolean;
  /** Per request, by part, in the measured round (compiling included, as it was). */
  parts: Record<Part, number>;
  functions: [name: string, perRequest: number][];
}

/** The last three rounds within 1.5% of their median: the JIT has settled and so has the count. */
const settled = (rounds: number[]) => rounds.length >= 3 && rounds.slice(-3).every((r) => Math.abs(r / median(rounds.slice(-3)) - 1) <= SETTLED_WITHIN);

async function count({ name, model, launch }: ChatServer): Promise<Count> {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-instructions-'));
  const out = join(dir, 'callgrind.out');
  let started: Started | undefined;
  try {
    const { pid, port } = (started = await launch({ launcher: [...VALGRIND, `--callgrind-out-file=${out}`], nodeFlags: [...NODE_FLAGS, ...namingFlags(dir)] }));
    let dumps = 0;
    const target: Target = { name, origin: `http://127.0.0.1:${port}`, model, pid };
    const round = async (n: number) => {
      execFileSync('callgrind_control', ['-z', String(pid)], { stdio: 'ignore' });
      await requests(target, n);
      execFileSync('callgrind_control', ['-d', String(pid)], { stdio: 'ignore' });
      const profile = readDump(await dumped(`${out}.${++dumps}`), perfMapOf(pid));
      const parts = Object.fromEntries(PARTS.map((p) => [p, profile.byPart[p] / n])) as Record<Part, number>;
      return { perRequest: (profile.total - profile.byPart[COMPILING]) / n, parts, profile };
    };
    process.stderr.write(`${name}: warming up (${WARM} requests under valgrind)...\n`);
    await requests(target, WARM);
    const settling: Count['settling'] = [];
    while (settling.length < MAX_ROUNDS && !settled(settling.map((r) => r.perRequest))) {
      const { perRequest, parts } = await round(N);
      settling.push({ perRequest, parts });
      process.stderr.write(`${name}: round ${settling.length}, ${Math.round(perRequest)} instructions a request\n`);
    }
    const measured = await round(MEASURED);
    process.stderr.write(`${name}: measured round of ${MEASURED}, ${Math.round(measured.perRequest)} instructions a request\n`);
    const functions = [...measured.profile.byFunction].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([fn, ir]): [string, number] => [fn, ir / MEASURED]);
    return { name, perRequest: measured.perRequest, settling, settled: settled(settling.map((r) => r.perRequest)), parts: measured.parts, functions };
  } finally {
    const child = started?.child;
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
    if (started) rmSync(perfMapOf(started.pid), { force: true });
  }
}

/** Where V8 writes its perf map (`--perf-basic-prof`): valgrind runs Node in its own process, so its pid. */
const perfMapOf = (pid: number) => `/tmp/perf-${pid}.map`;

/** A dump is complete once its totals line is written; callgrind_control returns when it was asked for. */
async function dumped(file: string): Promise<string> {
  for (let waited = 0; waited < 30_000; waited += 100) {
    if (existsSync(file) && /^totals: /m.test(readFileSync(file, 'utf8'))) return file;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`callgrind did not write ${file} within 30 s`);
}

async function main(): Promise<void> {
  if (spawnSync('valgrind', ['--version']).status !== 0) throw new Error('valgrind is not installed (Debian: apt-get install valgrind); npm run bench measures CPU time without it');
  // One at a time: under valgrind each process is counted alone.
  const counts: Count[] = [];
  for (const server of await chatServers(BEFORE)) counts.push(await count(server));
  stopAll();
  const [bare, fastify, gateway, before] = counts as [Count, Count, Count, Count | undefined];
  const ratios = {
    gatewayToBare: gateway.perRequest / bare.perRequest,
    gatewayToFastify: gateway.perRequest / fastify.perRequest,
    fastifyToBare: fastify.perRequest / bare.perRequest,
    ...(before ? { beforeToBare: before.perRequest / bare.perRequest } : {}),
  };
  const report = { date: new Date().toISOString(), node: process.version, warm: WARM, requestsPerSettlingRound: N, measuredRequests: MEASURED, counts, ratios };
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(join(import.meta.dirname, 'results', 'instructions.json'), `${JSON.stringify(report, null, 2)}\n`);

  const k = (n: number) => `${(n / 1000).toFixed(1)}k`;
  console.log(`\n| instructions a request, 64 connections | ${counts.map((c) => c.name).join(' | ')} | Switchyard - Fastify |\n|---${counts.map(() => '|---').join('')}|---|`);
  console.log(`| **all but V8's compiling**, over ${MEASURED} requests once settled | ${counts.map((c) => `**${k(c.perRequest)}**`).join(' | ')} | ${k(gateway.perRequest - fastify.perRequest)} |`);
  console.log(`| settling rounds of ${N} (settled: last 3 within ${SETTLED_WITHIN * 100}%), lowest to highest | ${counts.map((c) => `${c.settling.length}${c.settled ? '' : ', not settled'}: ${k(Math.min(...c.settling.map((r) => r.perRequest)))} to ${k(Math.max(...c.settling.map((r) => r.perRequest)))}`).join(' | ')} | |`);
  for (const part of PARTS) console.log(`| ${part} | ${counts.map((c) => k(c.parts[part])).join(' | ')} | ${k(gateway.parts[part] - fastify.parts[part])} |`);
  console.log(`\ngateway / bare forwarder ${ratios.gatewayToBare.toFixed(2)} (target for CPU time: 1.30), gateway / Fastify forwarder ${ratios.gatewayToFastify.toFixed(2)}, Fastify forwarder / bare forwarder ${ratios.fastifyToBare.toFixed(2)}${before ? `; before / bare forwarder ${ratios.beforeToBare?.toFixed(2)}` : ''}`);
  console.log(`\n| the gateway's functions by their own instructions, measured round | a request | share |\n|---|---|---|`);
  const total = Object.values(gateway.parts).reduce((a, b) => a + b, 0);
  for (const [fn, ir] of gateway.functions) console.log(`| \`${fn.slice(0, 110).replaceAll('|', '\\|')}\` | ${k(ir)} | ${((100 * ir) / total).toFixed(1)}% |`);
  console.log('\nKernel time is not counted (see npm run bench for CPU time with it). Parts are by library and by V8\'s own function names (bench/callgrind.ts).');
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(stopAll);
