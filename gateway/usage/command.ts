/** `switchyard usage export`: every usage row (since a time, of one session) as CSV or JSON lines, streamed to stdout. */
import type { Output } from '../cli-output';
import { openDatabase } from '../store/db';
import { createUsageLog } from '../store/usage-log';
import { exportLines } from './export';
import { daysIn } from '../budgets/periods';
import { systemTimeZone } from '../routing/time-windows';

export async function usageCommand(positionals: string[], values: { format?: string; since?: string; session?: string }, dataDir: string, io: Output): Promise<number> {
  if (positionals[0] !== 'export') {
    io.err('Usage: switchyard usage export [--data-dir DIR] [--format csv|json] [--since ISO-8601] [--session ID]\n');
    return 2;
  }
  const format = values.format ?? 'csv';
  if (format !== 'csv' && format !== 'json') {
    io.err(`Unknown format "${format}": use csv or json\n`);
    return 2;
  }
  const since = values.since === undefined ? undefined : Date.parse(values.since);
  if (since !== undefined && !Number.isFinite(since)) {
    io.err(`--since "${values.since}" is not an ISO-8601 date or time (e.g. 2026-11-01 or 2026-11-01T08:00:00Z)\n`);
    return 2;
  }
  const filter = { ...(since === undefined ? {} : { since }), ...(values.session ? { session: values.session } : {}) };
  const db = openDatabase(dataDir);
  try {
    // A slow reader (a pipe into less, gzip, a network) is waited for: a log of millions of rows is never held in memory.
    // In the zone serve counts days in, should opening the log roll its rows up.
    for (const line of exportLines(createUsageLog(db, daysIn(systemTimeZone())).iterate(filter), format)) {
      if (io.out(line) === false) await io.drained?.();
    }
  } finally {
    db.close();
  }
  return 0;
}
