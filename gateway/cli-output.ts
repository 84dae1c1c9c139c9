/** Where the CLI and its commands write: stdout and stderr, or a test's buffers. */
import { once } from 'node:events';

/** `out` returns false when the reader is behind (a pipe), and `drained` waits for it. */
export type Output = { out: (text: string) => boolean | void; err: (text: string) => void; drained?: () => Promise<unknown> };

export const stdio: Output = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), drained: () => once(process.stdout, 'drain') };

/** Rows as aligned columns, the first left-aligned and the rest right-aligned (numbers), two spaces apart. */
export function columns(rows: readonly (readonly string[])[], { rightFrom = 1, indent = '' } = {}): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  const line = (row: readonly string[]) => indent + row.map((cell, i) => (i < rightFrom ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join('  ').trimEnd();
  return rows.map(line).join('\n');
}
