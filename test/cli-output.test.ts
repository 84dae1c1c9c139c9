/** The CLI's shared layouts: what a client or an upstream wrote reaches a terminal as plain text. */
import { describe, expect, it } from 'vitest';
import { columns, usd } from '../gateway/cli-output';

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
