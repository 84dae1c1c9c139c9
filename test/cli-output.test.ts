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
    expect([0, 0.00002, 0.00005, 0.0068, 12.5].map(usd)).toEqual(['$0', '<$0.0001', '$0.0001', '$0.0068', '$12.5000']);
  });
});
