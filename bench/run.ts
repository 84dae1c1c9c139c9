/**
 * `npm run bench`: direct-to-upstream vs through Switchyard, measured in the same run in
 * alternating rounds, so machine noise hits both sides alike. Reports differences and ratios.
 * Everything runs on 127.0.0.1 and stops by itself. Not a test: nothing here asserts.
 *
 *   BENCH_ROUNDS (default 5), BENCH_SEQ (requests per latency sample, default 1500),
 *   BENCH_RPS_MS (duration of each 64-connection sample, default 2500)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client, Pool } from 'undici';
import { benchUsage } from './usage';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SEQ = Number(process.env.BENCH_SEQ ?? 1500);
const RPS_MS = Number(process.env.BENCH_RPS_MS ?? 2500);
const CONNECTIONS = 64;
const here = import.meta.dirname;

const children: ChildProcess[] = [];
const stopChildren = () => children.forEach((c) => c.exitCode === null && c.kill('SIGTERM'));
process.on('exit', stopChildren);

function start(script: string, args: string[]): Promise<{ port: number; pid: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', (d) => resolve({ port: JSON.parse(String(d)).port, pid: child.pid as number }));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

/**
 * CPU time (user + system, microseconds) a process has used, from /proc (Linux). CPU per request
 * is steadier than requests/s on a shared machine, and says which process is the bottleneck.
 */
function cpuMicros(pid: number): number | undefined {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return undefined;
  const fields = readFileSync(file, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * (1_000_000 / 100);
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const body = (model: string, stream = false) =>
  // temperature 0.7: not cacheable, so every request really goes through to the upstream.
  JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello in five words.' }], temperature: 0.7, ...(stream ? { stream: true } : {}) });

interface Target {
  name: string;
  origin: string;
  model: string;
  /** The process that serves it, for CPU per request. */
  pid: number;
}

/** Sequential requests on one keep-alive connection; returns per-request latency in microseconds. */
async function latencies(target: Target, n: number, stream: boolean): Promise<number[]> {
  const client = new Client(target.origin, { keepAliveTimeout: 60_000 });
  const payload = body(target.model, stream);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    const res = await client.request({ path: '/v1/chat/completions', method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer bench' }, body: payload });
    let first: bigint | undefined;
    for await (const _chunk of res.body) first ??= process.hrtime.bigint();
    if (res.statusCode !== 200) throw new Error(`${target.name}: HTTP ${res.statusCode}`);
    out.push(Number(((stream ? first : process.hrtime.bigint()) ?? process.hrtime.bigint()) - t0) / 1000);
  }
  await client.close();
  return out;
}

/** Requests per second with 64 connections kept busy for `ms`, and the serving process's CPU per request (us). */
async function throughput(target: Target, ms: number): Promise<{ rps: number; cpuPerRequest: number }> {
  const cpuBefore = cpuMicros(target.pid);
  const pool = new Pool(target.origin, { connections: CONNECTIONS, keepAliveTimeout: 60_000 });
  const payload = body(target.model);
  let done = 0;
  let errors = 0;
  const until = Date.now() + ms;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < until) {
        // SDK clients always send a key, so every request here does too.
        const res = await pool.request({ path: '/v1/chat/completions', method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer bench' }, body: payload });
        await res.body.dump();
        if (res.statusCode === 200) done++;
        else errors++;
      }
    }),
  );
  const cpuAfter = cpuMicros(target.pid);
  await pool.close();
  if (errors > 0) throw new Error(`${target.name}: ${errors} failed requests`);
  return { rps: (done / ms) * 1000, cpuPerRequest: cpuBefore === undefined || cpuAfter === undefined ? Number.NaN : (cpuAfter - cpuBefore) / done };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
};
const median = (values: number[]) => percentile(values, 50);

async function main(): Promise<void> {
  const upstream = await start('upstream.ts', []);
  const failing = await start('upstream.ts', ['fail']);
  const hanging = await start('upstream.ts', ['hang']);
  const gateway = await start('gateway.ts', [`http://127.0.0.1:${upstream.port}`, String(await closedPort()), `http://127.0.0.1:${failing.port}`, `http://127.0.0.1:${hanging.port}`]);
  const bare = await start('forwarder.ts', [`http://127.0.0.1:${upstream.port}`]);
  const framework = await start('fastify-forwarder.ts', [`http://127.0.0.1:${upstream.port}`]);
  const direct: Target = { name: 'direct', origin: `http://127.0.0.1:${upstream.port}`, model: 'bench-model', pid: upstream.pid };
  const forwarder: Target = { name: 'forwarder', origin: `http://127.0.0.1:${bare.port}`, model: 'bench-model', pid: bare.pid };
  const fastify: Target = { name: 'fastify', origin: `http://127.0.0.1:${framework.port}`, model: 'bench-model', pid: framework.pid };
  const through: Target = { name: 'switchyard', origin: `http://127.0.0.1:${gateway.port}`, model: 'live', pid: gateway.pid };
  const deadFirst: Target = { ...through, name: 'dead primary', model: 'dead-first' };
  const scenarios: Target[] = [
    { ...through, name: 'an Ollama upstream (native /api/chat)', model: 'live-ollama' },
    { ...through, name: 'primary answering 500', model: 'failing-first' },
    { ...through, name: 'primary hanging', model: 'hanging-first' },
  ];

  // Warm up JIT, pools and SQLite on both paths.
  for (const t of [direct, forwarder, fastify, through, deadFirst, scenarios[0] as Target]) await latencies(t, 300, false);
  await latencies(through, 200, true);

  const samples: Record<string, number[]> = {};
  const add = (key: string, values: number[]) => (samples[key] ??= []).push(...values);
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? [direct, forwarder, fastify, through] : [through, fastify, forwarder, direct];
    for (const t of order) add(`latency:${t.name}`, await latencies(t, SEQ, false));
    for (const t of order) add(`ttfb:${t.name}`, await latencies(t, Math.round(SEQ / 2), true));
    for (const t of order) {
      const { rps, cpuPerRequest } = await throughput(t, RPS_MS);
      add(`rps:${t.name}`, [rps]);
      add(`cpu:${t.name}`, [cpuPerRequest]);
    }
    for (const t of round % 2 === 0 ? [through, deadFirst] : [deadFirst, through]) add(`fallback:${t.name}`, await latencies(t, Math.round(SEQ / 2), false));
    process.stderr.write(`round ${round + 1}/${ROUNDS} done\n`);
  }

  // Scenarios: the Ollama path, and faults (the breaker opens after 5 failures, so the steady state is the fallback path at no cost).
  const memory = async () => (await fetch(`${through.origin}/health`).then((r) => r.json())).memory.rssBytes / 1024 / 1024;
  const scenarioRows = [];
  for (const scenario of scenarios) {
    const rssBefore = await memory();
    const { rps, cpuPerRequest } = await throughput(scenario, RPS_MS * 2);
    scenarioRows.push({ scenario: scenario.name, requestsPerSecond: rps, cpuPerRequest, rssMiBBefore: rssBefore, rssMiBAfter: await memory() });
  }

  const s = (key: string) => samples[key] as number[];
  const measures: [string, (t: string) => number][] = [
    ['p50 latency, 1 connection (us)', (t) => median(s(`latency:${t}`))],
    ['p99 latency, 1 connection (us)', (t) => percentile(s(`latency:${t}`), 99)],
    ['stream time to first chunk p50 (us)', (t) => median(s(`ttfb:${t}`))],
    ['requests/s, 64 connections', (t) => median(s(`rps:${t}`))],
    ['CPU per request in the serving process, 64 connections (us)', (t) => median(s(`cpu:${t}`))],
  ];
  const rows = measures.map(([measure, value]) => row(measure, value('direct'), value('forwarder'), value('fastify'), value('switchyard')));
  rows.push(row('fallback over a dead primary p50 (us)', median(s('fallback:switchyard')), Number.NaN, Number.NaN, median(s('fallback:dead primary'))));
  stopChildren();
  process.stderr.write('usage log: filling a log for the query timings...\n');
  const usage = benchUsage();
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    rounds: ROUNDS,
    requestsPerLatencySample: SEQ,
    rows,
    scenarios: scenarioRows,
    usage,
  };
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  const fmt = (n: number) => (Number.isNaN(n) ? '-' : n.toFixed(0));
  const signed = (n: number) => (Number.isNaN(n) ? '-' : `${n >= 0 ? '+' : ''}${n.toFixed(0)}`);
  console.log(`\n| measure | direct | bare forwarder | Fastify forwarder | Switchyard | Switchyard - direct | Switchyard / direct | Switchyard - forwarder |\n|---|---|---|---|---|---|---|---|`);
  for (const r of rows) {
    console.log(`| ${r.measure} | ${fmt(r.direct)} | ${fmt(r.forwarder)} | ${fmt(r.fastify)} | ${fmt(r.switchyard)} | ${signed(r.overDirect)} | ${r.ratio.toFixed(2)}x | ${signed(r.overForwarder)} |`);
  }
  console.log(`\n| scenario, through Switchyard (64 connections) | requests/s | gateway CPU per request (us) | gateway RSS before -> after (MiB) |\n|---|---|---|---|`);
  for (const f of scenarioRows) console.log(`| ${f.scenario} | ${f.requestsPerSecond.toFixed(0)} | ${fmt(f.cpuPerRequest)} | ${f.rssMiBBefore.toFixed(0)} -> ${f.rssMiBAfter.toFixed(0)} |`);
  console.log(`\nusage log: ${usage.insertMicros.toFixed(1)} us per logged request (one synchronous WAL transaction; included in the Switchyard figures above)`);
  console.log(`\n| usage query over ${usage.rows.toLocaleString('en-US')} rows | ms |\n|---|---|`);
  for (const q of usage.queries) console.log(`| ${q.name} | ${q.ms.toFixed(1)} |`);
  console.log('CPU per request: user + system time of the process that serves the requests (the upstream for direct), from /proc.');
  console.log('\ndirect: straight to the upstream. bare forwarder: http server + pooled undici, no routing (bench/forwarder.ts).');
  console.log('Fastify forwarder: the same as a Fastify route that parses and re-serialises the JSON (bench/fastify-forwarder.ts), the framework floor.');
  console.log('fallback row: "direct" is Switchyard with a live primary, "Switchyard" the same route with a dead (refusing) primary first.');
}

function row(measure: string, direct: number, forwarder: number, fastify: number, switchyard: number) {
  return { measure, direct, forwarder, fastify, switchyard, overDirect: switchyard - direct, ratio: switchyard / direct, overForwarder: switchyard - forwarder };
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(stopChildren);
