/** The CLI's shared layouts: what a client or an upstream wrote reaches a terminal as plain text. */
import { describe, expect, it } from 'vitest';
import { ago, columns, usd } from '../gateway/cli-output';

describe('columns', () => {
  it('aligns cells, and turns escape sequences, line breaks and bidirectional overrides inside them into spaces', () => {
    // `status` shows an upstream's error in a cell; an upstream can say anything.
    const table = columns([['local', 'down', 'refused\u001b]0;pwned\u0007\r\nlocal  up'], ['cloud', 'up', '\u202egnirts']], { rightFrom: 3 });
    expect(table).toBe('local  down  refused ]0;pwned   local  up\ncloud  up     gnirts');
    expect(table.split('\n')).toHaveLength(2);
  });
});

describe('usd', () => {
  it('says zero as $0 and a cost too small to show as <$0.0001, not $0.0000 either way', () => {
    expect([0, 0.00002, 0.00005, 0.0068, 0.9999].map(usd)).toEqual(['$0', '<$0.0001', '$0.0001', '$0.0068', '$0.9999']);
  });

  it('says a dollar or more to the cent, grouped, as a budget is read', () => {
    expect([1, 12.5, 20, 1_000_000, 1234.567].map(usd)).toEqual(['$1.00', '$12.50', '$20.00', '$1,000,000.00', '$1,234.57']);
  });
});

describe('ago', () => {
  it('says how long ago in the unit a person would: a provider last heard from days ago is not 4320 min ago', () => {
    const now = Date.parse('2026-12-07T12:00:00Z');
    const before = (seconds: number) => ago(now - seconds * 1000, now);
    expect([0, 119, 120, 7_140, 7_200, 172_799, 259_200].map(before)).toEqual(['0 s ago', '119 s ago', '2 min ago', '119 min ago', '2 h ago', '47 h ago', '3 days ago']);
    // A clock a little behind the gateway's: never "-1 s ago".
    expect(ago(now + 900, now)).toBe('0 s ago');
  });
});
