/**
 * `npm run bench:gc`: what the serving processes allocate and collect per request, on V8's own
 * schedule. The instruction count (bench:instructions) runs V8 on a fixed schedule, whose young
 * generation stays at 4 MiB where V8 by default grows it to 16, so it scavenges several times as
 * often as a real run and its collections' share of the count is larger than their share of the
 * CPU. Here each process runs as `npm run bench` runs it, with V8's trace of its collections
 * (`--trace-gc-nvp`, one line a collection) read for: bytes allocated, bytes a scavenge kept (what
 * was still alive in the young generation: requests in flight, and whatever else holds on),
 * bytes promoted to the old generation, the collections' pauses, and the process's CPU.
 * Rounds of GC_REQUESTS (default 20000) at 64 connections, in turn, after as many to warm up;
 * medians of GC_ROUNDS (default 3). Not a test; runs on 127.0.0.1 and stops by itself (about 35 s).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { median, requests, type Target } from './load';
import { chatServers, cpuMicros, eachLine, stopAll, type Started } from './processes';

const N = Number(process.env.GC_REQUESTS ?? 20_000);
const ROUNDS = Number(process.env.GC_ROUNDS ?? 3);
const TRACE = ['--trace-gc-nvp'];
const FIELDS = ['allocated', 'new_space_survived', 'promoted'] as const;

interface Round {
  /** Bytes a request, summed over the round's collections. */
  allocated: number;
  new_space_survived: number;
  promoted: number;
  scavenges: number;
  fullCollections: number;
  /** Microseconds a request the main thread stood in collections (scavenges and full ones). */
  pauseUs: number;
  /** Microseconds of CPU a request, every thread of the process (V8's helper threads included). */
  cpuUs: number;
}

/** The trace's lines as they come, for the round that is running. */
function traced(started: Started): { take: () => string[] } {
  const lines: string[] = [];
  eachLine(started, (line) => {
    if (line.includes(' gc=')) lines.push(line);
  });
  return { take: () => lines.splice(0) };
}

const field = (line: string, name: string) => Number(new RegExp(`\\b${name}=([\\d.]+)`).exec(line)?.[1] ?? 0);

async function round(target: Target, trace: { take: () => string[] }): Promise<Round> {
  trace.take();
  const cpuBefore = cpuMicros(target.pid) ?? Number.NaN;
  await requests(target, N);
  const cpuAfter = cpuMicros(target.pid) ?? Number.NaN;
  // Each line is written when its collection ends; let the last ones through the pipe.
  await new Promise((r) => setTimeout(r, 200));
  const lines = trace.take();
  const sum = (name: string) => lines.reduce((total, line) => total + field(line, name), 0) / N;
  return {
    ...(Object.fromEntries(FIELDS.map((f) => [f, sum(f)])) as Record<(typeof FIELDS)[number], number>),
    scavenges: lines.filter((l) => / gc=s /.test(l)).length,
    fullCollections: lines.filter((l) => / gc=mc /.test(l)).length,
    pauseUs: sum('pause') * 1000,
    cpuUs: (cpuAfter - cpuBefore) / N,
  };
}

async function main(): Promise<void> {
  const subjects = [];
  for (const { name, model, launch } of await chatServers()) {
    const started = await launch({ nodeFlags: TRACE });
    subjects.push({ name, target: { name, origin: `http://127.0.0.1:${started.port}`, model, pid: started.pid }, trace: traced(started), rounds: [] as Round[] });
  }
  for (const { name, target } of subjects) {
    process.stderr.write(`${name}: warming up (${N} requests)...\n`);
    await requests(target, N);
  }
  for (let r = 1; r <= ROUNDS; r++) {
    for (const subject of subjects) subject.rounds.push(await round(subject.target, subject.trace));
    process.stderr.write(`round ${r} of ${ROUNDS} done\n`);
  }
  stopAll();

  const medians = subjects.map(({ name, rounds }) => ({
    name,
    ...(Object.fromEntries((Object.keys(rounds[0]!) as (keyof Round)[]).map((k) => [k, median(rounds.map((round) => round[k]))])) as unknown as Round),
    rounds,
  }));
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(join(import.meta.dirname, 'results', 'collections.json'), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, requestsPerRound: N, medians }, null, 2)}\n`);

  const row = (label: string, value: (m: (typeof medians)[number]) => string) => console.log(`| ${label} | ${medians.map(value).join(' | ')} |`);
  console.log(`\n| a request, 64 connections, medians of ${ROUNDS} rounds of ${N} | ${medians.map((m) => m.name).join(' | ')} |\n|---${medians.map(() => '|---').join('')}|`);
  row('allocated (bytes)', (m) => m.allocated.toFixed(0));
  row('kept by scavenges (bytes)', (m) => m.new_space_survived.toFixed(0));
  row('promoted to the old generation (bytes)', (m) => m.promoted.toFixed(0));
  row(`scavenges, full collections in a round`, (m) => `${m.scavenges}, ${m.fullCollections}`);
  row('main thread in collections (us)', (m) => m.pauseUs.toFixed(2));
  row('CPU, all threads (us)', (m) => m.cpuUs.toFixed(1));
  row('collections / CPU', (m) => `${((100 * m.pauseUs) / m.cpuUs).toFixed(1)}%`);
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(stopAll);
