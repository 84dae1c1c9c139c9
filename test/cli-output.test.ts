/** The CLI's shared layouts: what a client or an upstream wrote reaches a terminal as plain text. */
import { describe, expect, it } from 'vitest';
import { columns } from '../gateway/cli-output';

describe('columns', () => {
  it('aligns cells, and turns escape sequences, line breaks and bidirectional overrides inside them into spaces', () => {
    // `status` shows an upstream's error in a cell; an upstream can say anything.
    const table = columns([['local', 'down', 'refused\u001b]0;pwned\u0007\r\nlocal  up'], ['cloud', 'up', '\u202egnirts']], { rightFrom: 3 });
    expect(table).toBe('local  down  refused ]0;pwned   local  up\ncloud  up     gnirts');
    expect(table.split('\n')).toHaveLength(2);
  });
});
