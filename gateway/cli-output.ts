/** Where the CLI and its commands write (stdout and stderr, or a test's buffers), and the layouts they share. */
import { once } from 'node:events';
import { printable } from './printable';
import type { BudgetView } from './surfaces/health/schema';

/** `out` returns false when the reader is behind (a pipe), and `drained` waits for it. */
export type Output = { out: (text: string) => boolean | void; err: (text: string) => void; drained?: () => Promise<unknown> };

export const stdio: Output = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), drained: () => once(process.stdout, 'drain') };

/** Rows as aligned columns, the first left-aligned and the rest right-aligned (numbers), two spaces apart. */
export function columns(table: readonly (readonly string[])[], { rightFrom = 1, indent = '' } = {}): string {
  const rows = table.map((row) => row.map(printable));
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  const line = (row: string[]) => indent + row.map((cell, i) => (i < rightFrom ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join('  ').trimEnd();
  return rows.map(line).join('\n');
}

/** `1 route`, `3 routes`: a count with its noun ("1 routes" read as a slip). */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * Dollars to the hundredth of a cent below a dollar (a local model's day is often worth less than a
 * cent), to the cent and grouped from a dollar up, as a budget's limit is read ("$1,000,000.00", not
 * "$1000000.0000"); zero is "$0" and a cost too small to show is "<$0.0001", as on the dashboard:
 * "$0.0000" read as free.
 */
export function usd(value: number): string {
  if (value === 0) return '$0';
  if (value < 0.00005) return '<$0.0001';
  return value < 1 ? `$${value.toFixed(4)}` : `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/**
 * An instant as this machine's clock reads it, to the second: `10:04:31` on the day `now` is in,
 * with the date on any other (and always, without a `now`: a list that spans days, as `history`).
 * Every instant the CLI prints for reading reads so (a tail's rows, a breaker's events, a budget's
 * reset, a revision's, a revoked key's); JSON and CSV keep the instant itself.
 */
export function localTime(at: Date, now?: Date): string {
  const date = at.toDateString() === now?.toDateString() ? '' : `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} `;
  return `${date}${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** How long ago, in the unit a person would say it: `45 s ago`, `12 min ago`, `5 h ago`, `3 days ago` (not `4320 min ago`). */
export function ago(at: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 120) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.floor(hours / 24)} days ago`;
}

/** Each budget on a line: its scope and period, what it has spent (and what requests in flight hold), when it resets. */
export function budgetLines(budgets: readonly BudgetView[], now: Date): string {
  const spent = (b: BudgetView) => `${usd(b.spentUsd)} of ${usd(b.limitUsd)}${b.inFlightUsd > 0 ? ` (+${usd(b.inFlightUsd)} in flight)` : ''}${b.exceeded ? `, spent (${b.onExceeded})` : ''}`;
  return columns(budgets.map((b) => [b.name, `${b.scope}, per ${b.period}`, spent(b), `resets ${localTime(new Date(b.resetsAt), now)}`]), { rightFrom: 4, indent: '  ' });
}
