/**
 * Latency percentiles under 50 ms (the rollups' first bin counted in four parts since migration 27,
 * store/latency-bins.ts): a cached answer's few milliseconds at every granularity, and buckets rolled
 * up before the parts were kept read as even over 0-50 ms.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../gateway/store/db';
import { createUsageLog } from '../../gateway/store/usage-log';
import { tempDir } from '../support/harness';
import { usageRow } from '../support/usage-log';

const T0 = Date.parse('2026-11-20T00:00:00Z');

describe('latency percentiles under 50 ms', () => {
  const HOUR = 3_600_000;
  const p50 = (log: ReturnType<typeof createUsageLog>, granularity: 'minute' | 'hour' | 'day') => log.rollups({}, granularity, 'none').map((p) => [new Date(p.bucket).toISOString(), p.latencyP50Ms]);

  it('say a cached answer\'s few milliseconds, at every granularity', () => {
    const d = tempDir();
    const handle = openDatabase(d.path);
    try {
      const log = createUsageLog(handle);
      // Answers from the cache in 2 ms, a local model in 8, one that took 30.
      for (let i = 0; i < 60; i++) log.record(usageRow({ id: `fast_${i}`, at: T0 + i * 1_000, totalMs: i < 40 ? 2 : i < 55 ? 8 : 30 }));
      for (const granularity of ['minute', 'hour', 'day'] as const) {
        const [point] = log.rollups({}, granularity, 'none');
        expect(point?.latencyP50Ms, granularity).toBeLessThanOrEqual(5);
        // The 57th of 60 is among the five of 30 ms, in the bin of 25-50 ms.
        expect(point?.latencyP95Ms, granularity).toBeGreaterThan(25);
        expect(point?.latencyP95Ms, granularity).toBeLessThanOrEqual(50);
      }
    } finally {
      handle.close();
      d.remove();
    }
  });

  it('read what a bucket counted before they were kept as even over 0-50 ms, and what joins it finely', () => {
    const d = tempDir();
    const handle = openDatabase(d.path);
    try {
      const log = createUsageLog(handle);
      // One group throughout (a bucket's rollup row is per route, deployment, key, cache outcome and tool).
      const fast = (id: string, at: number) => usageRow({ id, at, totalMs: 2, deployment: 'llama', provider: 'local', clientKey: 'anonymous', cached: false, status: 200, errorClass: null });
      for (let i = 0; i < 10; i++) log.record(fast(`old_${i}`, T0 + i * 1_000));
      log.rollup();
      // As a store from before version 27 left them: its first bin, none of its parts.
      for (const table of ['usage_minute', 'usage_hour', 'usage_day']) handle.exec(`UPDATE ${table} SET f0 = 0, f1 = 0, f2 = 0, f3 = 0`);
      expect(p50(log, 'minute')).toEqual([['2026-11-20T00:00:00.000Z', 25]]);
      // Ten more in that minute after the upgrade, and twenty in the next hour.
      for (let i = 10; i < 20; i++) log.record(fast(`same_${i}`, T0 + i * 1_000));
      for (let i = 0; i < 20; i++) log.record(fast(`next_${i}`, T0 + HOUR + i * 1_000));
      // The old minute: 10 of its 20 known to be under 5 ms, 10 spread over 0-50: the 10th of 20 at about 5.
      expect(p50(log, 'minute')).toEqual([['2026-11-20T00:00:00.000Z', 5], ['2026-11-20T01:00:00.000Z', 3]]);
      expect(p50(log, 'hour')).toEqual([['2026-11-20T00:00:00.000Z', 5], ['2026-11-20T01:00:00.000Z', 3]]);
      expect(p50(log, 'day')).toEqual([['2026-11-20T00:00:00.000Z', 3]]);
      // Days made again from the hours (the log opened in another zone) keep what the hours knew.
      const tokyo = { zone: 'Asia/Tokyo', dayAt: (ms: number) => ({ start: Math.floor((ms + 9 * HOUR) / (24 * HOUR)) * 24 * HOUR - 9 * HOUR, end: Math.floor((ms + 9 * HOUR) / (24 * HOUR)) * 24 * HOUR + 15 * HOUR }) };
      expect(p50(createUsageLog(handle, tokyo), 'day')).toEqual([['2026-11-19T15:00:00.000Z', 3]]);
    } finally {
      handle.close();
      d.remove();
    }
  });
});
