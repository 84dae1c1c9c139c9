import { describe, expect, it } from 'vitest';
import { csvCell, exportLines, exportPage } from '../../gateway/store/usage-export';
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

it("says a row's dollars as a spreadsheet should show them, not a float's last digits", () => {
  const [cost, wouldCost, saved] = [0.1 * 3, 0.7 * 0.1, -(0.1 + 0.2)];
  expect([cost, wouldCost, saved].map(String)).toEqual(['0.30000000000000004', '0.06999999999999999', '-0.30000000000000004']);
  const [head, line] = [...exportLines([usageRow({ id: 'r', at: 1_764_000_000_000, cost, wouldCost, saved })], 'csv')].join('').trim().split('\n') as [string, string];
  const cell = (name: string) => line.split(',')[head.split(',').indexOf(name)];
  expect([cell('cost_usd'), cell('would_cost_usd'), cell('saved_usd')]).toEqual(['0.3', '0.07', '-0.3']);
});

describe('an export made a page at a time', () => {
  const rows = Array.from({ length: 1_200 }, (_, i) => usageRow({ id: `r${i}`, at: 1_764_000_000_000 + i, errorMessage: i % 7 ? null : `=cmd|${i}` }));
  const pages = (of: number) => Array.from({ length: Math.ceil(rows.length / of) }, (_, i) => rows.slice(i * of, (i + 1) * of));

  it('is the same text as the lines, however the rows are cut into pages', () => {
    for (const format of ['csv', 'json'] as const) {
      const whole = [...exportLines(rows, format)].join('');
      for (const of of [1, 500, 1_200]) {
        const cut = pages(of);
        expect(cut.map((page, i) => exportPage(page, format, { first: i === 0, last: i === cut.length - 1 })).join('')).toBe(whole);
      }
      // No rows at all: a header alone, or an empty array.
      expect(exportPage([], format, { first: true, last: true })).toBe([...exportLines([], format)].join(''));
    }
    expect(JSON.parse(exportPage([], 'json', { first: true, last: true }))).toEqual([]);
    expect(JSON.parse(pages(500).map((page, i) => exportPage(page, 'json', { first: i === 0, last: i === 2 })).join(''))).toHaveLength(1_200);
  });
});
