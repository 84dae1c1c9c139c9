import { describe, expect, it } from 'vitest';
import { createSideWrites, REPORTED_FOR_MS } from '../../gateway/store/side-writes';

describe('side writes', () => {
  it('keep failures per kind, log the first of a run and its end, and forget a failure not repeated for a while', () => {
    let now = 1_000_000;
    const logged: string[] = [];
    const writes = createSideWrites((error, message) => logged.push(`${error ? 'error' : 'info'}: ${message}`), () => now);
    const full = () => {
      throw new Error('database or disk is full');
    };
    expect(writes.attempt('a usage row', () => 1)).toBe(1);
    for (let i = 0; i < 3; i++) expect(writes.attempt('a usage row', full)).toBeUndefined();
    writes.attempt('a cached answer', full);
    expect(writes.problem()).toBe(
      'a usage row: 3 failed since 1970-01-01T00:16:40.000Z (database or disk is full); a cached answer: 1 failed since 1970-01-01T00:16:40.000Z (database or disk is full)',
    );
    expect(logged).toEqual(['error: a usage row could not be written; later failures are counted until one succeeds', 'error: a cached answer could not be written; later failures are counted until one succeeds']);
    // A usage row that finds room says nothing of the cache.
    writes.attempt('a usage row', () => 1);
    expect(writes.problem()).toMatch(/^a cached answer: 1 failed/);
    expect(logged.at(-1)).toBe('info: a usage row was written again, after 3 failed since 1970-01-01T00:16:40.000Z');
    now += REPORTED_FOR_MS + 1;
    expect(writes.problem()).toBeUndefined();
  });
});
