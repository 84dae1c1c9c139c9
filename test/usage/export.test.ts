import { describe, expect, it } from 'vitest';
import { csvCell } from '../../gateway/usage/export';

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
