/**
 * The usage log's cost and query speed: microseconds per logged request (the insert plus its
 * rollups, as the gateway writes it), each chart and table query against a log of
 * BENCH_USAGE_ROWS rows (default 1,000,000) spread over 90 days, and how long the heaviest chart
 * holds the event loop read on the log's connection and through its reader thread, and the same for a
 * CSV export of a tenth of the log (a page at a time with turns between, or pages from the reader).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../gateway/store/db';
import { createUsageLog, type UsageRow } from '../gateway/store/usage-log';
import { createUsageReader } from '../gateway/store/usage-reader';

const DEPLOYMENTS = ['llama', 'qwen', 'mini', 'sonnet', 'embed'];
const DAY = 86_400_000;

function syntheticRow(i: number, total: number, end: number): UsageRow {
  const deployment = DEPLOYMENTS[i % DEPLOYMENTS.length] as string;
  return {
    id: `req_${i}`,
    at: end - 90 * DAY + Math.floor((i / total) * 90 * DAY),
    endpoint: i % 4 === 0 ? 'ollama.chat' : 'chat.completions',
    api: i % 4 === 0 ? 'ollama' : 'openai',
    cacheReadTokens: null,
    cacheWriteTokens: null,
    clientKey: ['anonymous', 'editor', 'agent'][i % 3] as string,
    model: i % 2 ? 'default' : deployment,
    route: i % 2 ? 'default' : null,
    deployment,
    provider: deployment === 'mini' || deployment === 'sonnet' ? 'cloud' : 'local',
    status: i % 50 === 0 ? 503 : 200,
    errorClass: i % 50 === 0 ? 'upstream_5xx' : null,
    errorMessage: i % 50 === 0 ? 'upstream answered 500' : null,
    // Three rows in ten from agents' sessions, a dozen rows each.
    session: i % 10 < 3 ? `session-${Math.floor(i / 40)}` : null,
    tool: i % 10 < 3 ? (i % 2 ? 'Claude Code' : 'Codex') : 'curl',
    attempts: [{ deployment, provider: 'local', outcome: 'ok', latencyMs: 120 }],
    fallback: i % 13 === 0,
    stream: i % 2 === 0,
    cached: i % 17 === 0,
    inputTokens: 200 + (i % 500),
    outputTokens: 50 + (i % 300),
    tokensEstimated: false,
    cost: 0.0002,
    wouldCost: 0.0003,
    saved: 0.0001,
    ttftMs: 80 + (i % 100),
    totalMs: 300 + (i % 2000),
  };
}

export interface UsageBench {
  rows: number;
  insertMicros: number;
  /** Of which on the answer's path: the journal line. */
  journalMicros: number;
  queries: { name: string; ms: number; result: number }[];
  /** The event loop's longest turn while the heaviest chart is read (ms, medians): on the log's connection, through the reader (its thread started before). */
  heaviestChartStallMs: { onTheLoop: number; throughReader: number; readerMs: number };
  /** A CSV export of the last 9 days (a tenth of the rows; medians of three each): the event loop's busy time and longest turn, and how long it took. */
  exportOfATenth: { rows: number; onTheLoop: ExportTiming; throughReader: ExportTiming };
}

interface ExportTiming {
  busyMs: number;
  stallMs: number;
  ms: number;
}

/** The longest gap between two turns of the event loop while `work` runs, and how long it took. */
async function stallDuring(work: () => Promise<unknown>): Promise<{ stall: number; ms: number }> {
  let stall = 0;
  let last = performance.now();
  let done = false;
  const tick = () => {
    const now = performance.now();
    stall = Math.max(stall, now - last);
    last = now;
    if (!done) setImmediate(tick);
  };
  setImmediate(tick);
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  done = true;
  stall = Math.max(stall, performance.now() - last);
  return { stall, ms };
}

export async function benchUsage(rows = Number(process.env.BENCH_USAGE_ROWS ?? 1_000_000)): Promise<UsageBench> {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-usage-bench-'));
  try {
    const db = openDatabase(dir);
    const log = createUsageLog(db);
    const end = Date.now();
    // Per-request cost, measured the way the gateway logs at one connection: the row's journal
    // line on the answer's path, then its share of the batch commits (about every 100 ms, some 200
    // requests at one connection) and of the moves into the log.
    const sample = Math.min(20_000, rows);
    let onAnswerPath = 0;
    const t0 = performance.now();
    for (let i = 0; i < sample; i++) {
      const row = syntheticRow(i, rows, end);
      const appended = performance.now();
      void log.recordAfter(row);
      onAnswerPath += performance.now() - appended;
      if (i % 200 === 199) log.settle();
    }
    log.settle();
    const insertMicros = ((performance.now() - t0) * 1000) / sample;
    const journalMicros = (onAnswerPath * 1000) / sample;
    // The rest in bulk, only to reach the size.
    const bulk = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) log.record(syntheticRow(i, rows, end));
    });
    for (let from = sample; from < rows; from += 50_000) bulk(from, Math.min(rows, from + 50_000));
    db.pragma('optimize');

    const time = (name: string, query: () => number) => {
      query(); // first run prepares the statement
      const started = performance.now();
      const result = query();
      return { name, ms: performance.now() - started, result };
    };
    const last = (days: number) => ({ since: end - days * DAY });
    const queries = [
      time('table: newest 50 rows', () => log.list({}, { limit: 50 }).rows.length),
      time('table: 50 rows of one deployment, last 30 days', () => log.list({ deployment: 'qwen', ...last(30) }, { limit: 50 }).rows.length),
      time('table: 50 errors, last 90 days', () => log.list({ status: 'error', ...last(90) }, { limit: 50 }).rows.length),
      time('table: page 20 by cursor', () => {
        let before: string | undefined;
        for (let p = 0; p < 19; p++) before = log.list({}, { limit: 50, before }).next ?? undefined;
        return log.list({}, { limit: 50, before }).rows.length;
      }),
      time('chart: requests/tokens/cost per day by provider, 90 days', () => log.rollups(last(90), 'day', 'provider').length),
      time('chart: latency p50/p95 per hour by deployment, 30 days', () => log.rollups(last(30), 'hour', 'deployment').length),
      time('chart: per minute, last 24 h', () => log.rollups(last(1), 'minute', 'none').length),
      time('overview: today by deployment', () => log.rollups(last(1), 'day', 'deployment').length),
      time("filters: the names the log has of 90 days (the Usage page's, every 30 s)", () => log.names(last(90).since).deployments.length),
      time('overview: the tools seen in the last 7 days (the newest 5,000 rows)', () => log.tools(last(7).since, 12).length),
      time('sessions: the 20 most recent, last 7 days', () => log.sessions(last(7), 20).length),
      time('sessions: the 20 most recent, last 90 days', () => log.sessions(last(90), 20).length),
      time('sessions: of a deployment no session used, last 90 days (the 20,000-row bound read whole)', () => log.sessions({ deployment: 'sonnet', ...last(90) }, 20).length),
      time("table: one session's rows", () => log.list({ session: `session-${Math.floor(rows / 80)}` }, { limit: 50 }).rows.length),
      time('sessions: one named, added up, last 90 days', () => log.sessions({ session: `session-${Math.floor(rows / 80)}`, ...last(90) }, 20).length),
    ];
    const heaviest = [last(30), 'hour', 'deployment'] as const;
    await log.reader.rollups(...heaviest); // the thread started and its statement prepared
    // Alternating, the median of five each: one reading moves with the machine's hour.
    const onTheLoop: { stall: number; ms: number }[] = [];
    const throughReader: { stall: number; ms: number }[] = [];
    for (let round = 0; round < 5; round++) {
      onTheLoop.push(await stallDuring(async () => log.rollups(...heaviest)));
      throughReader.push(await stallDuring(() => log.reader.rollups(...heaviest)));
    }
    const middle = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

    // The export: a reader given no file reads its pages on the log's connection, as the gateway does where no thread can run.
    const tenth = last(9);
    const here = createUsageReader(log, ':memory:');
    let exported = 0;
    const exportWith = (reader: typeof here) => async () => {
      exported = 0;
      for await (const page of reader.export(tenth, 'csv')) exported += page.split('\n').length - 1;
    };
    // Twice each: the turns timed (a loop that spins is never idle), then the loop's busy time alone.
    const timed = async (work: () => Promise<void>): Promise<ExportTiming> => {
      const { stall } = await stallDuring(work);
      const before = performance.eventLoopUtilization();
      const started = performance.now();
      await work();
      return { busyMs: performance.eventLoopUtilization(before).active, stallMs: stall, ms: performance.now() - started };
    };
    const exports = { onTheLoop: [] as ExportTiming[], throughReader: [] as ExportTiming[] };
    for (let round = 0; round < 3; round++) {
      exports.onTheLoop.push(await timed(exportWith(here)));
      exports.throughReader.push(await timed(exportWith(log.reader)));
    }
    const medians = (timings: ExportTiming[]): ExportTiming => ({ busyMs: middle(timings.map((t) => t.busyMs)), stallMs: middle(timings.map((t) => t.stallMs)), ms: middle(timings.map((t) => t.ms)) });
    await log.close();
    db.close();
    return {
      rows,
      insertMicros,
      journalMicros,
      queries,
      heaviestChartStallMs: { onTheLoop: middle(onTheLoop.map((r) => r.stall)), throughReader: middle(throughReader.map((r) => r.stall)), readerMs: middle(throughReader.map((r) => r.ms)) },
      exportOfATenth: { rows: exported - 1, onTheLoop: medians(exports.onTheLoop), throughReader: medians(exports.throughReader) },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchUsage();
  console.log(`usage log: ${result.insertMicros.toFixed(1)} us per logged request, ${result.journalMicros.toFixed(1)} of it on the answer's path`);
  for (const q of result.queries) console.log(`${q.name}: ${q.ms.toFixed(1)} ms (${q.result})`);
  const stall = result.heaviestChartStallMs;
  console.log(`the heaviest chart holds the event loop ${stall.onTheLoop.toFixed(1)} ms on the log's connection, ${stall.throughReader.toFixed(1)} ms through the reader (answered in ${stall.readerMs.toFixed(1)} ms)`);
  console.log(exportLine(result.exportOfATenth));
}

export function exportLine({ rows, onTheLoop: here, throughReader: there }: UsageBench['exportOfATenth']): string {
  const said = (t: ExportTiming) => `the event loop busy ${t.busyMs.toFixed(0)} ms of ${t.ms.toFixed(0)}, its longest turn ${t.stallMs.toFixed(1)} ms`;
  return `a CSV export of ${rows.toLocaleString('en-US')} rows (9 days): read on the log's connection a page at a time, ${said(here)}; through the reader thread, ${said(there)}`;
}
