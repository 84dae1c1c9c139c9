/**
 * Usage export as CSV or JSON, made a batch of rows at a time (a million rows never sit in memory):
 * by the CLI a line at a time, by the gateway a page at a time in the usage reader's thread
 * (usage-reader.ts), so the rows' reading and formatting (about 12 us a row) are not the event loop's. CSV cells
 * cannot start a formula (=, +, -, @, tab, CR get a leading apostrophe, as OWASP advises for CSV
 * injection) and carry no control characters, line separators or bidirectional overrides.
 */
import { printable } from '../printable';
import type { UsageRow } from './usage-types';

export type ExportFormat = 'csv' | 'json';

/** Dollars to 12 significant digits: a price times tokens is no exact binary fraction (0.000009600000000000001 is $0.0000096). */
const dollars = (usd: number) => Number(usd.toPrecision(12));

const COLUMNS: [string, (r: UsageRow) => unknown][] = [
  ['request_id', (r) => r.id],
  ['time', (r) => new Date(r.at).toISOString()],
  ['endpoint', (r) => r.endpoint],
  ['api', (r) => r.api],
  ['client_key', (r) => r.clientKey],
  ['model', (r) => r.model],
  ['route', (r) => r.route],
  ['deployment', (r) => r.deployment],
  ['provider', (r) => r.provider],
  ['status', (r) => r.status],
  ['error_class', (r) => r.errorClass],
  ['attempts', (r) => r.attempts.map((a) => `${a.deployment}:${a.outcome}${a.failure ? `:${a.failure}` : ''}${a.status ? `:${a.status}` : ''}`).join(' > ')],
  ['fallback', (r) => r.fallback],
  ['stream', (r) => r.stream],
  ['cached', (r) => r.cached],
  ['input_tokens', (r) => r.inputTokens],
  ['output_tokens', (r) => r.outputTokens],
  ['cache_read_tokens', (r) => r.cacheReadTokens],
  ['cache_write_tokens', (r) => r.cacheWriteTokens],
  ['tokens_estimated', (r) => r.tokensEstimated],
  ['cost_usd', (r) => dollars(r.cost)],
  ['would_cost_usd', (r) => dollars(r.wouldCost)],
  ['saved_usd', (r) => dollars(r.saved)],
  ['ttft_ms', (r) => (r.ttftMs === null ? null : Math.round(r.ttftMs * 10) / 10)],
  ['total_ms', (r) => Math.round(r.totalMs * 10) / 10],
  // Last: columns added later go at the end, so a spreadsheet built on the old order still lines up.
  ['error_message', (r) => r.errorMessage],
  ['session', (r) => r.session],
  ['tool', (r) => r.tool],
];

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  // Controls and line separators can break a row in some reader.
  let text = printable(String(value));
  // Text a spreadsheet would read as a formula; a number (a negative saving) stays a number.
  if (typeof value === 'string' && (/^\s*[=+\-@]/.test(text) || /^[\t\r]/.test(value))) text = `'${text}`;
  return /[",\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

const header = (format: ExportFormat) => (format === 'csv' ? `${COLUMNS.map(([name]) => name).join(',')}\n` : '[');
const trailer = (format: ExportFormat) => (format === 'csv' ? '' : '\n]\n');
const line = (row: UsageRow, format: ExportFormat, firstRow: boolean) =>
  format === 'csv' ? `${COLUMNS.map(([, get]) => csvCell(get(row))).join(',')}\n` : `${firstRow ? '\n' : ',\n'}${JSON.stringify(row)}`;

export function* exportLines(rows: Iterable<UsageRow>, format: ExportFormat): Generator<string> {
  yield header(format);
  let first = true;
  for (const row of rows) {
    yield line(row, format, first);
    first = false;
  }
  const end = trailer(format);
  if (end) yield end;
}

/** One page of the same text: the header before the first page's rows, the trailer after the last's. */
export function exportPage(rows: readonly UsageRow[], format: ExportFormat, page: { first: boolean; last: boolean }): string {
  let text = page.first ? header(format) : '';
  rows.forEach((row, i) => (text += line(row, format, page.first && i === 0)));
  return page.last ? text + trailer(format) : text;
}
