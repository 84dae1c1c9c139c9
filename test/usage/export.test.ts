import { describe, expect, it } from 'vitest';
import { csvCell, exportChunks, exportLines } from '../../gateway/usage/export';
import { turnsDuring } from '../support/event-loop';
import { usageRow } from '../support/usage-log';

describe('CSV cells', () => {
  it('cannot start a formula', () => {
    for (const value of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', ' =1+1', '\u0000=1+1']) expect(csvCell(value).replace(/^"/, '')).toMatch(/^'/);
  });

  it('keep numbers as numbers: a negative saving is no formula', () => {
    expect(csvCell(-0.0012)).toBe('-0.0012');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(false)).toBe('false');
  });

  it('carry no control character that could break a row: C0, C1, U+2028, U+2029', () => {
    const cell = csvCell('a\u0000b\u001fc\u0085d\u009be\u2028f\u2029g\nh');
    expect(cell).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    expect(cell).toBe('a b c d e f g h');
  });
});

describe("a server's export", () => {
  const rows = Array.from({ length: 2_000 }, (_, i) => usageRow({ id: `r${i}`, at: 1_764_000_000_000 + i, errorMessage: i % 7 ? null : `=cmd|${i}` }));

  it('is the same text in chunks of lines, with the event loop turning between them', async () => {
    for (const format of ['csv', 'json'] as const) {
      const { result, turns } = await turnsDuring(async () => {
        const chunks: string[] = [];
        for await (const chunk of exportChunks(rows, format, 250)) chunks.push(chunk);
        return chunks;
      });
      expect(result.join('')).toBe([...exportLines(rows, format)].join(''));
      // The header or bracket and 2,000 rows: nine chunks, a turn after each full one.
      expect(result).toHaveLength(9);
      expect(turns).toBeGreaterThanOrEqual(8);
    }
  });
});
