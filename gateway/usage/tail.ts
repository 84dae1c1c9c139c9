/**
 * `switchyard usage tail`: the last requests, one line each (what was asked and what answered it,
 * after which failures, tokens, cost, time), and with `--follow` each new one as its row is written,
 * as `lms log stream` or `tail -f` do. It reads the data dir's log itself, so it works whether a
 * gateway runs or not, and needs no key.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { localTime, usd, type Output } from '../cli-output';
import { printable } from '../printable';
import type { UsageFilter, UsageQueries, UsageRow } from '../store/usage-types';

/** How often `--follow` looks for new rows: the gateway moves them into the log within 200 ms. */
const POLL_MS = 500;
/** Rows read per look: a burst longer than this is read in several, without waiting between them. */
const BATCH = 1_000;

export interface TailOptions {
  lines: number;
  follow: boolean;
  format: 'text' | 'json';
  filter: UsageFilter;
  /** Ends `--follow` (Ctrl-C). */
  stop: AbortSignal;
}

export async function tail(log: Pick<UsageQueries, 'written'>, io: Output, options: TailOptions): Promise<void> {
  const write = async (rows: UsageRow[]) => {
    const now = new Date();
    for (const row of rows) {
      const ok = io.out(`${options.format === 'json' ? JSON.stringify(row) : tailLine(row, now)}\n`);
      // A slow reader (a pipe into less) is waited for rather than buffered without end.
      if (ok === false) await io.drained?.();
    }
  };
  let { rows, cursor } = log.written(options.filter, options.lines);
  await write(rows);
  while (options.follow && !options.stop.aborted) {
    ({ rows, cursor } = log.written(options.filter, BATCH, cursor));
    await write(rows);
    if (rows.length < BATCH) await sleep(POLL_MS, undefined, { signal: options.stop }).catch(() => undefined);
  }
}

/**
 * One request as a line: `10:04:31  200  messages  editor  claude-sonnet-4-5 > coder > llama
 * (after mini: rate_limited)  in 12,345 out 340  $0.0012  1.2 s (first 230 ms)`, and for a failure
 * its class and what the client was told. Everything a client or upstream wrote is made printable.
 */
export function tailLine(row: UsageRow, now: Date): string {
  const time = localTime(new Date(row.at), now);
  // Each name once: a deployment asked for by its own name (no route) is `llama`, not `llama > llama`.
  const path = [row.model, ...(row.route && row.route !== row.model ? [row.route] : []), ...(row.deployment && row.deployment !== (row.route ?? row.model) ? [row.deployment] : [])].join(' > ');
  const failedFirst = row.attempts.filter((a) => a.outcome === 'failed');
  const fellBack = row.deployment && failedFirst.length > 0 ? ` (after ${failedFirst.map((a) => `${a.deployment}: ${a.failure ?? a.status ?? 'failed'}`).join(', ')})` : '';
  const parts = [time, String(row.status), row.api ?? row.endpoint, row.clientKey, `${path}${row.cached ? ' (cache)' : ''}${fellBack}`];
  if (row.inputTokens !== null || row.outputTokens !== null) parts.push(`${row.tokensEstimated ? '~' : ''}in ${count(row.inputTokens)} out ${count(row.outputTokens)}`);
  parts.push(usd(row.cost), `${duration(row.totalMs)}${row.stream && row.ttftMs !== null ? ` (first ${duration(row.ttftMs)})` : ''}`);
  if (row.status >= 400 || row.errorClass) parts.push(`${row.errorClass ?? 'error'}: ${(row.errorMessage ?? '').slice(0, 200)}`);
  return printable(parts.join('  '));
}

const count = (n: number | null) => (n === null ? '?' : n.toLocaleString('en-US'));
const duration = (ms: number) => (ms < 1_000 ? `${Math.round(ms)} ms` : `${(ms / 1_000).toFixed(1)} s`);
