/**
 * `switchyard usage export`: every usage row (since a time, of one session) as CSV or JSON lines,
 * streamed to stdout. `switchyard usage summary`: the last days added up per deployment (summary.ts).
 * `switchyard usage tail`: the last requests, a line each, and with --follow each new one (tail.ts).
 * `switchyard usage show ID`: one request whole, its routing and kept prompt and answer (show.ts).
 */
import { scopeNames } from '../store/scope-names';
import { budgetLines, type Output } from '../cli-output';
import { printable } from '../printable';
import { openDatabase, type Db } from '../store/db';
import { createUsageLog, type UsageLog } from '../store/usage-log';
import type { DayZone } from '../store/usage-rollups';
import { exportLines } from '../store/usage-export';
import { daysIn } from '../budgets/periods';
import { systemTimeZone } from '../routing/time-windows';
import { INSTANT_FORMS, parseInstant } from './instant';
import { budgetView, createBudgets } from '../budgets/budgets';
import { createConfigStore } from '../store/config-store';
import { showJson, showText } from './show';
import { tail } from './tail';
import { didYouMean } from '../config/nearest';
import { SUMMARY_GROUPS, summarize, summarySince, summaryTable, type SummaryGroup } from './summary';

const USAGE = `Usage: switchyard usage export [--data-dir DIR] [--format csv|json] [--since DATE|TIME] [--session ID] [--tool NAME]
       switchyard usage show REQUEST_ID [--data-dir DIR] [--format text|json]
       switchyard usage summary [--data-dir DIR] [--days N] [--by deployment|route|provider|key|tool] [--tool NAME] [--format table|json]
       switchyard usage tail [--data-dir DIR] [--lines N] [--follow] [--format text|json] [--route NAME] [--session ID] [--tool NAME]
`;

type UsageOptions = { format?: string; since?: string; session?: string; tool?: string; days?: string; by?: string; lines?: string; follow?: boolean; route?: string };

export async function usageCommand(positionals: string[], values: UsageOptions, dataDir: string, io: Output): Promise<number> {
  if (positionals[0] === 'summary') return summaryCommand(values, dataDir, io);
  if (positionals[0] === 'tail') return tailCommand(values, dataDir, io);
  if (positionals[0] === 'show') return showCommand(positionals[1], values, dataDir, io);
  if (positionals[0] !== 'export') {
    io.err(USAGE);
    return 2;
  }
  const format = values.format ?? 'csv';
  if (format !== 'csv' && format !== 'json') {
    io.err(`Unknown format "${format}": use csv or json\n`);
    return 2;
  }
  const since = values.since === undefined ? undefined : parseInstant(values.since, systemTimeZone());
  if (values.since !== undefined && since === undefined) {
    io.err(`--since "${values.since}" is not ${INSTANT_FORMS}, as this machine's clock reads it\n`);
    return 2;
  }
  const filter = { ...(since === undefined ? {} : { since }), ...(values.session ? { session: values.session } : {}), ...(values.tool ? { tool: values.tool } : {}) };
  const db = openDatabase(dataDir);
  try {
    // In the zone serve counts days in, should opening the log roll its rows up.
    const log = openLog(db, daysIn(systemTimeZone()), io);
    sayUnknownTool(values.tool, log, io);
    // A slow reader (a pipe into less, gzip, a network) is waited for: a log of millions of rows is never held in memory.
    for (const line of exportLines(log.iterate(filter), format)) {
      if (io.out(line) === false) await io.drained?.();
    }
  } finally {
    db.close();
  }
  return 0;
}

function summaryCommand(values: { format?: string; days?: string; by?: string; tool?: string }, dataDir: string, io: Output): number {
  const days = Number(values.days ?? 7);
  if (!/^[0-9]{1,4}$/.test(values.days ?? '7') || days < 1) {
    io.err(`--days "${values.days}" is not a whole number of days from 1 (today) to 9999\n`);
    return 2;
  }
  const by = (values.by ?? 'deployment') as SummaryGroup;
  if (!(by in SUMMARY_GROUPS)) {
    io.err(`--by "${values.by}" is not one of ${Object.keys(SUMMARY_GROUPS).join(', ')}\n`);
    return 2;
  }
  const format = values.format ?? 'table';
  if (format !== 'table' && format !== 'json') {
    io.err(`Unknown format "${format}": use table or json\n`);
    return 2;
  }
  const zone = systemTimeZone();
  const dayZone = daysIn(zone);
  const db = openDatabase(dataDir);
  try {
    const since = summarySince(days, Date.now(), dayZone);
    const log = openLog(db, dayZone, io);
    sayUnknownTool(values.tool, log, io);
    const ofTool = values.tool ? { tool: values.tool } : {};
    const summary = summarize(log.rollups({ since, ...ofTool }, 'day', SUMMARY_GROUPS[by]), { since, days, by, ...ofTool });
    // Each budget in its own period, as the gateway counts it (what requests in flight hold is the running gateway's: `switchyard status`).
    const config = createConfigStore(db).current();
    const budgets = config?.budgets?.length ? createBudgets({ config: () => config, defaultTimeZone: () => zone, spentSince: (from, scope) => log.costSince(from, scope), now: Date.now, names: scopeNames(db) }).status().map(budgetView) : [];
    if (format === 'json') io.out(`${JSON.stringify({ ...summary, since: new Date(since).toISOString(), timeZone: zone, budgets })}\n`);
    else io.out(`${summaryTable(summary, zone)}${budgets.length > 0 ? `Budgets, each in its own period:\n${budgetLines(budgets, new Date())}\n` : ''}`);
  } finally {
    db.close();
  }
  return 0;
}

/**
 * Rows keep the route they went through, so a route since renamed or removed is still a filter; one
 * the config has never named is likely a typo, which would otherwise show nothing and say nothing.
 */
function unknownRouteNote(route: string, routes: string[]): string {
  if (routes.includes(route)) return '';
  return `Note: the config has no route named ${JSON.stringify(printable(route))}${didYouMean(route, routes)}; only rows of a route once named so are shown.\n`;
}

/** A tool is named as the rows name it ("Claude Code", "Codex"): one no row names would show nothing, so say so. */
function sayUnknownTool(tool: string | undefined, log: UsageLog, io: Output): void {
  if (!tool) return;
  const tools = log.names(undefined).tools;
  if (tools.includes(tool)) return;
  const named = tools.length > 0 ? `; it has rows from ${tools.slice(0, 12).map((t) => JSON.stringify(t)).join(', ')}` : '';
  io.err(`Note: the usage log has no rows from a tool named ${JSON.stringify(printable(tool))}${didYouMean(tool, tools)}${named}.\n`);
}

async function tailCommand(values: UsageOptions, dataDir: string, io: Output): Promise<number> {
  const lines = Number(values.lines ?? 10);
  if (!/^[0-9]{1,4}$/.test(values.lines ?? '10')) {
    io.err(`--lines "${values.lines}" is not a whole number from 0 to 9999\n`);
    return 2;
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') {
    io.err(`Unknown format "${format}": use text or json\n`);
    return 2;
  }
  const filter = { ...(values.route ? { route: values.route } : {}), ...(values.session ? { session: values.session } : {}), ...(values.tool ? { tool: values.tool } : {}) };
  const stop = new AbortController();
  const end = () => stop.abort();
  process.once('SIGINT', end).once('SIGTERM', end);
  const db = openDatabase(dataDir);
  try {
    const routes = createConfigStore(db).current()?.routes.map((r) => r.name);
    const note = values.route && routes ? unknownRouteNote(values.route, routes) : '';
    if (note) io.err(note);
    const log = openLog(db, daysIn(systemTimeZone()), io);
    sayUnknownTool(values.tool, log, io);
    await tail(log, io, { lines, follow: values.follow === true, format, filter, stop: stop.signal });
  } finally {
    process.off('SIGINT', end).off('SIGTERM', end);
    db.close();
  }
  return 0;
}

function showCommand(requestId: string | undefined, values: UsageOptions, dataDir: string, io: Output): number {
  if (!requestId) {
    io.err('Name the request: switchyard usage show REQUEST_ID (its id is in `usage tail`, the x-request-id header and the Usage page)\n');
    return 2;
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') {
    io.err(`Unknown format "${format}": use text or json\n`);
    return 2;
  }
  const db = openDatabase(dataDir);
  try {
    const log = openLog(db, daysIn(systemTimeZone()), io);
    const row = log.row(requestId);
    if (!row) {
      io.err(`No request with id "${printable(requestId)}" is in the usage log of ${dataDir}\n`);
      return 1;
    }
    const shown = { row, bodies: log.body(requestId) };
    io.out(format === 'json' ? showJson(shown) : showText(shown, new Date()));
  } finally {
    db.close();
  }
  return 0;
}

/** The usage log, opened as serve opens it; what it cannot keep (a journal it cannot replay) is said on stderr. */
function openLog(db: Db, days: DayZone, io: Output): UsageLog {
  return createUsageLog(db, days, (message) => io.err(`Note: ${message}\n`));
}
