/**
 * Usage past its retention goes a step at a time: a lowered "Keep usage" on a big log deletes most
 * of it, and requests are served between the steps instead of waiting for all of it.
 */
import { describe, expect, it } from 'vitest';
import { turnsDuring } from '../support/event-loop';
import { usageRow, useUsageLog } from '../support/usage-log';

const DAY = 86_400_000;
const { db, log } = useUsageLog();
const row = (i: number, at: number) => usageRow({ id: `p_${i}`, at });
const count = (table: string) => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;

describe('pruning the usage log', () => {
  it('deletes old rows and bodies in steps with the event loop free between them, keeps the recent ones, and runs one prune at a time', async () => {
    const now = Date.now();
    db.transaction(() => {
      for (let i = 0; i < 9_000; i++) log.record(row(i, now - 60 * DAY + i), { request: '{}', response: 'old' });
      for (let i = 9_000; i < 9_010; i++) log.record(row(i, now - DAY), { request: '{}', response: 'recent' });
    })();
    log.settle();
    const { turns } = await turnsDuring(() => {
      const pruning = log.prune(now - 7 * DAY, now - 7 * DAY);
      // Nothing deleted before the call returns: the deleting is done in the turns after it.
      expect(count('usage')).toBe(9_010);
      expect(log.prune(now - 7 * DAY, now - 7 * DAY)).toBe(pruning);
      return pruning;
    });
    expect(count('usage')).toBe(10);
    expect(count('usage_bodies')).toBe(10);
    // Rolling up, the rows and the bodies: each in steps of 2,000, a turn of the event loop apart.
    expect(turns).toBeGreaterThanOrEqual(10);
    expect(log.rollups({ since: now - 2 * DAY }, 'day', 'none').reduce((n, p) => n + p.requests, 0)).toBe(10);
  });
});
