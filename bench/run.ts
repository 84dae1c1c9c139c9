/**
 * `npm run bench`: the gateway against its floors, measured in the same run in alternating rounds,
 * so machine noise hits every side alike. Not a test: nothing here asserts; it reports figures and
 * the ratios the targets are stated in. Everything runs on 127.0.0.1 and stops by itself.
 *
 *   BENCH_ROUNDS (default 5), BENCH_SEQ (requests per latency sample, default 1500),
 *   BENCH_RPS_MS (duration of each 64-connection sample, default 2500),
 *   BENCH_STARTUP_ROUNDS (default 3), BENCH_API_ROUNDS (front doors against chat, default 6), BENCH_BEFORE=DIR (an older checkout's gateway as an extra column)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { latencies, median, percentile, throughput, type Target } from './load';
import { closedPort, memoryMiB, startGateway, startScript, stopAll } from './processes';
import { measureHardening } from './hardening';
import { measureRouting } from './routing';
import { measureCommand, measureStartup } from './startup';
import { benchUsage, exportLine } from './usage';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SEQ = Number(process.env.BENCH_SEQ ?? 1500);
const RPS_MS = Number(process.env.BENCH_RPS_MS ?? 2500);
const STARTUP_ROUNDS = Number(process.env.BENCH_STARTUP_ROUNDS ?? 3);
const API_ROUNDS = Number(process.env.BENCH_API_ROUNDS ?? 6);
const BEFORE = process.env.BENCH_BEFORE;
const here = import.meta.dirname;

async function main(): Promise<void> {
  process.stderr.write('start-up: the gateway and a bare Fastify app, from spawn to /health, and RSS after 10 s idle...\n');
  const startup = { ...(await measureStartup(STARTUP_ROUNDS)), command: measureCommand(STARTUP_ROUNDS * 2) };

  const upstream = await startScript('upstream.ts');
  const failing = await startScript('upstream.ts', ['fail']);
  const hanging = await startScript('upstream.ts', ['hang']);
  const urls = { upstream: `http://127.0.0.1:${upstream.port}`, deadPort: await closedPort(), failing: `http://127.0.0.1:${failing.port}`, hanging: `http://127.0.0.1:${hanging.port}` };
  const gateway = await startGateway(urls);
  const bare = await startScript('forwarder.ts', [urls.upstream]);
  const framework = await startScript('fastify-forwarder.ts', [urls.upstream]);
  const before = BEFORE ? await startGateway(urls, BEFORE) : undefined;

  const target = (name: string, started: { port: number; pid: number }, model: string): Target => ({ name, origin: `http://127.0.0.1:${started.port}`, model, pid: started.pid });
  const direct = target('direct', upstream, 'bench-model');
  const forwarder = target('forwarder', bare, 'bench-model');
  const fastify = target('fastify', framework, 'bench-model');
  const through = target('switchyard', gateway, 'live');
  const earlier = before ? target('before', before, 'live') : undefined;
  const deadFirst: Target = { ...through, name: 'dead primary', model: 'dead-first' };
  const main = [direct, forwarder, fastify, through, ...(earlier ? [earlier] : [])];
  const scenarios: Target[] = [
    { ...through, name: 'an Ollama upstream (native /api/chat)', model: 'live-ollama' },
    { ...through, name: 'primary answering 500', model: 'failing-first' },
    { ...through, name: 'primary hanging', model: 'hanging-first' },
  ];

  // Each front door's API against the chat path, native (passed through) and translated.
  const apis: Target[] = [
    { ...through, name: 'chat completions (reference)', model: 'live' },
    { ...through, name: 'Messages, passed through to Anthropic', model: 'live-anthropic', api: 'messages' },
    { ...through, name: 'Messages, translated to chat', model: 'live', api: 'messages' },
    { ...through, name: 'Responses, passed through to OpenAI', model: 'live-responses', api: 'responses' },
    { ...through, name: 'Responses, translated to chat', model: 'live', api: 'responses' },
    { ...through, name: 'Responses, passed through, store: true', model: 'live-responses', api: 'responses-stored' },
  ];
  // The routing decision at its heaviest against the plain route, end to end (measured apart, below).
  const heavy: Target = { ...through, name: 'chat: 20 deployments, 4 rules, 3 budgets', model: 'live-20' };

  // Warm up JIT, pools and SQLite on every path; an older gateway on the same paths, so both carry
  // alike into the rounds (code loaded, heap, usage rows) and the columns compare the builds.
  const warm = [deadFirst, scenarios[0] as Target, ...apis];
  const warmEarlier = earlier ? warm.map((t): Target => ({ ...t, origin: earlier.origin, pid: earlier.pid })) : [];
  for (const t of [...main, ...warm, ...warmEarlier]) await latencies(t, 300, false);
  for (const t of [through, ...(earlier ? [earlier] : [])]) await latencies(t, 200, true);

  const samples: Record<string, number[]> = {};
  const add = (key: string, values: number[]) => (samples[key] ??= []).push(...values);
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? main : [...main].reverse();
    for (const t of order) add(`latency:${t.name}`, await latencies(t, SEQ, false));
    for (const t of order) add(`ttfb:${t.name}`, await latencies(t, Math.round(SEQ / 2), true));
    for (const t of order) {
      const { rps, cpuPerRequest } = await throughput(t, RPS_MS);
      add(`rps:${t.name}`, [rps]);
      add(`cpu:${t.name}`, [cpuPerRequest]);
    }
    for (const t of round % 2 === 0 ? [through, deadFirst] : [deadFirst, through]) add(`fallback:${t.name}`, await latencies(t, Math.round(SEQ / 2), false));
    // The older gateway takes the same dead-primary traffic (not reported), so it carries the same rows into the next round.
    if (earlier) await latencies({ ...deadFirst, origin: earlier.origin, pid: earlier.pid }, Math.round(SEQ / 2), false);
    process.stderr.write(`round ${round + 1}/${ROUNDS} done\n`);
  }
  // Peak RSS under the load every column took (the rounds above), before the gateway alone goes on
  // to the scenarios, the other front doors and the hardening checks (a 30 MiB stream, the tokenizer).
  const peakOf = (started: { pid: number } | undefined) => (started ? (memoryMiB(started.pid)?.peak ?? Number.NaN) : Number.NaN);
  const loadPeaks = { forwarder: peakOf(bare), fastify: peakOf(framework), switchyard: peakOf(gateway), before: peakOf(before) };

  // Scenarios: the Ollama path, and faults (the breaker opens after 5 failures, so the steady state is the fallback path at no cost).
  const scenarioRows = [];
  for (const scenario of scenarios) {
    const rssBefore = memoryMiB(gateway.pid)?.rss ?? Number.NaN;
    const { rps, cpuPerRequest } = await throughput(scenario, RPS_MS * 2);
    scenarioRows.push({ scenario: scenario.name, requestsPerSecond: rps, cpuPerRequest, rssMiBBefore: rssBefore, rssMiBAfter: memoryMiB(gateway.pid)?.rss ?? Number.NaN });
  }
  // The API paths in rounds, each round starting at the next path, so drift hits each alike; a
  // path's ratio is the median of its rounds' ratios to chat in the same round (three rounds of
  // medians put one unchanged path anywhere from 0.95 to 1.46).
  const apiCpu: Record<string, number[]> = {};
  for (let round = 0; round < API_ROUNDS; round++) {
    for (const t of [...apis.slice(round % apis.length), ...apis.slice(0, round % apis.length)]) (apiCpu[t.name] ??= []).push((await throughput(t, RPS_MS)).cpuPerRequest);
  }
  const chatRounds = apiCpu[apis[0]!.name] ?? [];
  const apiRows = apis.map((t) => ({ path: t.name, cpuPerRequest: median(apiCpu[t.name] ?? []), ratioToChat: median((apiCpu[t.name] ?? []).map((cpu, i) => cpu / (chatRounds[i] as number))) }));
  const passThrough = apiRows.filter((r) => r.path.includes('passed through') && !r.path.includes('store'));
  // A difference of a few us on ~100: eight alternating pairs, so machine drift hits both sides alike.
  const pair: Record<string, number[]> = { plain: [], heavy: [] };
  for (let round = 0; round < 8; round++) {
    for (const [name, t] of (round % 2 === 0 ? [['plain', apis[0]], ['heavy', heavy]] : [['heavy', heavy], ['plain', apis[0]]]) as [string, Target][]) pair[name]?.push((await throughput(t, RPS_MS)).cpuPerRequest);
  }
  const heavyRow = { plainCpu: median(pair.plain ?? []), heavyCpu: median(pair.heavy ?? []) };
  const hardening = await measureHardening(through.origin, gateway.pid);
  const routing = measureRouting();
  const wholeRunPeaks = { switchyard: peakOf(gateway), before: peakOf(before) };
  stopAll();

  const s = (key: string) => samples[key] ?? [];
  const columns = main.map((t) => t.name);
  const measures: [string, (t: string) => number][] = [
    ['p50 latency, 1 connection (us)', (t) => median(s(`latency:${t}`))],
    ['p99 latency, 1 connection (us)', (t) => percentile(s(`latency:${t}`), 99)],
    ['stream time to first chunk p50 (us)', (t) => median(s(`ttfb:${t}`))],
    ['requests/s, 64 connections', (t) => median(s(`rps:${t}`))],
    ['CPU per request in the serving process, 64 connections (us)', (t) => median(s(`cpu:${t}`))],
  ];
  const rows = measures.map(([measure, value]) => ({ measure, values: Object.fromEntries(columns.map((c) => [c, value(c)])) as Record<string, number> }));
  // A ratio of two columns is taken in each round, where both were measured minutes apart at most,
  // and the median of the rounds' ratios reported: the machine's pace drifts by up to twice over a run.
  const cpuIn = (t: string, round: number) => s(`cpu:${t}`)[round] as number;
  const p50In = (t: string, round: number) => median(s(`latency:${t}`).slice(round * SEQ, (round + 1) * SEQ));
  const addedIn = (t: string, round: number) => p50In(t, round) - p50In('direct', round);
  const ratio = (value: (t: string, round: number) => number, t: string, floor: string) => median(Array.from({ length: ROUNDS }, (_, round) => value(t, round) / value(floor, round)));
  const floors = { fastifyToBare: ratio(cpuIn, 'fastify', 'forwarder'), gatewayToFastify: ratio(cpuIn, 'switchyard', 'fastify') };
  const targets = [
    target_('gateway CPU per request / bare forwarder CPU per request, 64 connections', ratio(cpuIn, 'switchyard', 'forwarder'), 1.3, earlier ? ratio(cpuIn, 'before', 'forwarder') : undefined),
    target_('gateway added p50 / bare forwarder added p50, 1 connection', ratio(addedIn, 'switchyard', 'forwarder'), 2, earlier ? ratio(addedIn, 'before', 'forwarder') : undefined),
    target_('ready (ms): gateway vs bare Fastify app', startup.gateway.readyMs, Math.max(500, 2 * startup.bare.readyMs)),
    target_('idle RSS after 10 s (MiB): gateway vs bare Fastify app', startup.gateway.idleRssMiB, Math.max(100, 1.5 * startup.bare.idleRssMiB)),
    target_('peak RSS under load (MiB): gateway / bare forwarder', loadPeaks.switchyard / loadPeaks.forwarder, 1.5, earlier ? loadPeaks.before / loadPeaks.forwarder : undefined),
    ...passThrough.map((r) => target_(`CPU per request: ${r.path} / chat completions`, r.ratioToChat, 1.2)),
    target_('routing decision at its heaviest (20 deployments, 4 rules, 3 budgets) over the plain route: plan() alone (us)', routing.heavyUs - routing.plainUs, 5),
  ];

  process.stderr.write('usage log: filling a log for the query timings...\n');
  const usage = await benchUsage();
  const live = median(s('latency:switchyard'));
  const report = { date: new Date().toISOString(), node: process.version, rounds: ROUNDS, requestsPerLatencySample: SEQ, startup, peaks: { load: loadPeaks, wholeRun: wholeRunPeaks }, hardening, rows, fallback: { live, deadPrimary: median(s('fallback:dead primary')) }, targets, floors, scenarios: scenarioRows, apis: apiRows, routing, heavyRoute: heavyRow, usage };
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);

  const fmt = (n: number) => (Number.isNaN(n) ? '-' : n.toFixed(0));
  const label: Record<string, string> = { direct: 'direct', forwarder: 'bare forwarder', fastify: 'Fastify forwarder', switchyard: 'Switchyard', before: 'Switchyard before' };
  console.log(`\n| measure | ${columns.map((c) => label[c]).join(' | ')} |\n|---${columns.map(() => '|---').join('')}|`);
  for (const r of rows) console.log(`| ${r.measure} | ${columns.map((c) => fmt(r.values[c] as number)).join(' | ')} |`);
  console.log(`| fallback over a dead primary p50 (us) | live primary ${fmt(report.fallback.live)}, dead primary ${fmt(report.fallback.deadPrimary)} (${report.fallback.deadPrimary - report.fallback.live >= 0 ? '+' : ''}${fmt(report.fallback.deadPrimary - report.fallback.live)}) |`);
  console.log(`\n| start-up | gateway | bare Fastify app |\n|---|---|---|`);
  console.log(`| ready: spawn to first /health (ms) | ${fmt(startup.gateway.readyMs)} | ${fmt(startup.bare.readyMs)} |`);
  console.log(`| ready, the first start after a build (no code cache yet; one start) (ms) | ${fmt(startup.firstStart.readyMs)} | |`);
  console.log(`| RSS after 10 s idle (MiB) | ${fmt(startup.gateway.idleRssMiB)} (first start ${fmt(startup.firstStart.idleRssMiB)}) | ${fmt(startup.bare.idleRssMiB)} |`);
  console.log(`| a command on the data dir, \`switchyard usage tail\`: spawn to exit (ms) | ${fmt(startup.command.command)} | ${fmt(startup.command.bareNode)} (\`node -e 0\`) |`);
  console.log(`\npeak RSS under the shared load rounds (MiB): bare forwarder ${fmt(loadPeaks.forwarder)}, Fastify forwarder ${fmt(loadPeaks.fastify)}, Switchyard ${fmt(loadPeaks.switchyard)}${earlier ? `, before ${fmt(loadPeaks.before)}` : ''}`);
  console.log(`peak RSS over the whole run, with the gateway-only phases after them (MiB): Switchyard ${fmt(wholeRunPeaks.switchyard)}${earlier ? `, before ${fmt(wholeRunPeaks.before)}` : ''}`);
  console.log(`\n| target | measured | limit | ${earlier ? 'before |' : ''}\n|---|---|---|${earlier ? '---|' : ''}`);
  for (const t of targets) console.log(`| ${t.name} | ${t.value.toFixed(2)} ${t.met ? '(met)' : '(not met)'} | ${t.limit.toFixed(2)} | ${earlier ? `${t.before === undefined ? '-' : t.before.toFixed(2)} |` : ''}`);
  console.log(`(the two ratios of columns: the median of the ${ROUNDS} rounds' ratios; the framework's floor, the same way: Fastify forwarder / bare forwarder ${floors.fastifyToBare.toFixed(2)}, gateway / Fastify forwarder ${floors.gatewayToFastify.toFixed(2)})`);
  console.log(`\n/health while a 1 MiB prompt without spaces is estimated: worst ${hardening.healthWorstMsDuring1MiBEstimate.toFixed(1)} ms (idle: ${hardening.healthWorstMsIdle.toFixed(1)} ms; while the tokenizer loads on first use: ${hardening.healthWorstMsDuringTokenizerLoad.toFixed(1)} ms)`);
  console.log(`/health while a 1 MiB prompt without spaces is checked against a context window on the routing path: worst ${hardening.healthWorstMsDuring1MiBRoutingEstimate.toFixed(1)} ms`);
  console.log(`routing decision in process (plan() alone): plain route ${routing.plainUs.toFixed(2)} us, 20 deployments + 4 rules + 3 budgets ${routing.heavyUs.toFixed(2)} us`);
  console.log(`time windows, 64 on one deployment (in process, on the event loop): its state when the cached one expires ${routing.windowStateMs.toFixed(2)} ms, the editor's week preview ${routing.weekScheduleMs.toFixed(2)} ms`);
  console.log(`the same end to end, gateway CPU per request (64 connections, 8 alternating pairs): plain route ${fmt(heavyRow.plainCpu)} us, heavy route ${fmt(heavyRow.heavyCpu)} us (${heavyRow.heavyCpu - heavyRow.plainCpu >= 0 ? '+' : ''}${(heavyRow.heavyCpu - heavyRow.plainCpu).toFixed(1)})`);
  console.log(`RSS while a ${hardening.streamedMiB.toFixed(0)} MiB stream passes to a fast reader: ${fmt(hardening.rssBeforeStreamMiB)} -> peak ${fmt(hardening.rssPeakDuring30MiBStreamMiB)} MiB`);
  console.log(`\n| scenario, through Switchyard (64 connections) | requests/s | gateway CPU per request (us) | gateway RSS before -> after (MiB) |\n|---|---|---|---|`);
  for (const f of scenarioRows) console.log(`| ${f.scenario} | ${f.requestsPerSecond.toFixed(0)} | ${fmt(f.cpuPerRequest)} | ${f.rssMiBBefore.toFixed(0)} -> ${f.rssMiBAfter.toFixed(0)} |`);
  console.log(`\n| front door, through Switchyard (64 connections, ${API_ROUNDS} rounds) | gateway CPU per request (us, median) | / chat completions (median of the rounds' ratios) |\n|---|---|---|`);
  for (const r of apiRows) console.log(`| ${r.path} | ${fmt(r.cpuPerRequest)} | ${r.ratioToChat.toFixed(2)} |`);
  console.log(`\nusage log: ${usage.insertMicros.toFixed(1)} us per request logged alone, ${usage.journalMicros.toFixed(1)} of it on the answer's path (its journal line; the rest its share of the batch commits into the inbox and the moves into the log; included in the Switchyard figures above)`);
  console.log(`\n| usage query over ${usage.rows.toLocaleString('en-US')} rows | ms |\n|---|---|`);
  for (const q of usage.queries) console.log(`| ${q.name} | ${q.ms.toFixed(1)} |`);
  const stall = usage.heaviestChartStallMs;
  console.log(`\nthe heaviest chart (30 days by hour and deployment) holds the event loop ${stall.onTheLoop.toFixed(1)} ms read on the log's connection, ${stall.throughReader.toFixed(1)} ms through its reader thread (answered in ${stall.readerMs.toFixed(1)} ms)`);
  console.log(exportLine(usage.exportOfATenth));
  console.log('\nCPU per request: user + system time of the process that serves the requests (the upstream for direct), from /proc.');
  console.log('direct: straight to the upstream. bare forwarder: http server + pooled undici, no routing (bench/forwarder.ts).');
  console.log('Fastify forwarder: the same as a Fastify route that parses and re-serialises the JSON (bench/fastify-forwarder.ts), the framework floor.');
  console.log('Switchyard: the built CLI (bin/switchyard.js serve), as users run it.');
}

function target_(name: string, value: number, limit: number, before?: number) {
  return { name, value, limit, met: value <= limit, ...(before === undefined ? {} : { before }) };
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(stopAll);
