import { describe, expect, it } from 'vitest';
import { daysIn } from '../../gateway/budgets/periods';
import { bucketStarts, chartAxis, MAX_BUCKETS, MAX_DAYS } from '../../gateway/usage/buckets';

const HOUR = 3_600_000;
const newYork = daysIn('America/New_York').dayAt;
const iso = (ms: number) => new Date(ms).toISOString();

describe('a chart\'s buckets', () => {
  it('are the hours a rollup query over [since, until) reads: a bucket starting before since is not one', () => {
    const since = Date.parse('2026-12-01T10:00:00Z');
    expect(bucketStarts('hour', since, since + 3 * HOUR, newYork).map(iso)).toEqual(['2026-12-01T10:00:00.000Z', '2026-12-01T11:00:00.000Z', '2026-12-01T12:00:00.000Z']);
    // Mid-hour ends: the hour that began before `since` is left out, the one `until` falls in is kept.
    expect(bucketStarts('hour', since + 1, since + 3 * HOUR + 1, newYork).map(iso)).toEqual(['2026-12-01T11:00:00.000Z', '2026-12-01T12:00:00.000Z', '2026-12-01T13:00:00.000Z']);
    expect(bucketStarts('minute', since, since + 90_000, newYork)).toEqual([since, since + 60_000]);
  });

  it('are the zone\'s midnights for days, a day of 25 hours where the clocks go back', () => {
    const days = bucketStarts('day', Date.parse('2026-10-30T00:00:00Z'), Date.parse('2026-11-03T12:00:00Z'), newYork);
    expect(days.map(iso)).toEqual(['2026-10-30T04:00:00.000Z', '2026-10-31T04:00:00.000Z', '2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z', '2026-11-03T05:00:00.000Z']);
  });

  it('are every midnight of the zone, asked once a week where no clock changes, in zones whose clocks change at midnight, by half an hour, or twice in a month', () => {
    for (const zone of ['America/New_York', 'America/Santiago', 'Australia/Lord_Howe', 'Africa/Casablanca', 'Asia/Kolkata', 'UTC']) {
      const dayAt = daysIn(zone).dayAt;
      let asked = 0;
      const counting = (ms: number) => (asked++, dayAt(ms));
      const until = Date.parse('2026-12-01T10:00:00Z');
      const since = until - MAX_DAYS * 86_400_000;
      // The reference: each midnight asked of the zone, one day at a time.
      const expected: number[] = [];
      for (let day = dayAt(until - 1); day.start >= since; day = dayAt(day.start - 1)) expected.unshift(day.start);
      expect(bucketStarts('day', since, until, counting), zone).toEqual(expected);
      expect(asked, zone).toBeLessThan(MAX_DAYS / 4);
    }
  });

  it('make an axis with a place for every point: a range open at its start begins at its oldest, a capped one keeps older points\' buckets', () => {
    const at = Date.parse('2026-12-01T10:30:00Z');
    const points = [{ bucket: at - 3 * HOUR - 1_800_000 }, { bucket: at - 3 * HOUR - 1_800_000 }, { bucket: at - 1_800_000 }];
    expect(chartAxis('hour', {}, points, at, newYork).map(iso)).toEqual(['2026-12-01T07:00:00.000Z', '2026-12-01T08:00:00.000Z', '2026-12-01T09:00:00.000Z', '2026-12-01T10:00:00.000Z']);
    expect(chartAxis('hour', {}, [], at, newYork)).toEqual([]);
    const old = { bucket: Date.parse('1990-01-01T00:00:00Z') };
    const axis = chartAxis('hour', { since: 0 }, [old, old, ...points], at, newYork);
    expect(axis).toHaveLength(MAX_BUCKETS + 1);
    expect(axis[0]).toBe(old.bucket);
    expect(iso(axis.at(-1) as number)).toBe('2026-12-01T10:00:00.000Z');
  });

  it('are none for an empty or reversed range', () => {
    expect(bucketStarts('day', 10, 10, newYork)).toEqual([]);
    expect(bucketStarts('hour', 10 * HOUR, HOUR, newYork)).toEqual([]);
  });

  it('keep the newest of a range of centuries, in a bounded number of steps', () => {
    const now = Date.parse('2026-12-01T10:30:00Z');
    const hours = bucketStarts('hour', -8.64e15, now, newYork);
    expect(hours).toHaveLength(MAX_BUCKETS);
    expect(iso(hours.at(-1) as number)).toBe('2026-12-01T10:00:00.000Z');
    const days = bucketStarts('day', 0, now, newYork);
    expect(days).toHaveLength(MAX_DAYS);
    expect(iso(days.at(-1) as number)).toBe('2026-12-01T05:00:00.000Z');
    expect(days[0]).toBeGreaterThan(0);
  });
});
