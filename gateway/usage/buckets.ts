/**
 * Every bucket of a chart's range, empty ones included, so a chart's axis is time itself: a week
 * with traffic on Monday and Friday shows the three quiet days between them, not two bars side by
 * side. Buckets start as the rollups' do: minutes and hours on the epoch's grid, days at midnight
 * in the log's zone (a day is 23 or 25 hours when the clocks change).
 */
import type { Granularity } from '../store/usage-types';

/** A 90-day chart by hour is 2,160; beyond this a range keeps its newest buckets. */
export const MAX_BUCKETS = 5_000;
/** Each day's midnight is asked of the zone (about 40 us here): a range keeps its newest 400 days (17 ms at most). */
export const MAX_DAYS = 400;

const STEP: Record<Exclude<Granularity, 'day'>, number> = { minute: 60_000, hour: 3_600_000 };

/**
 * The starts of the buckets a rollup query over [since, until) reads (`bucket >= since`,
 * `bucket < until`), oldest first: at most MAX_BUCKETS (MAX_DAYS) of the newest.
 */
export function bucketStarts(granularity: Granularity, since: number, until: number, dayAt: (ms: number) => { start: number; end: number }): number[] {
  const out: number[] = [];
  if (!(until > since)) return out;
  if (granularity !== 'day') {
    const step = STEP[granularity];
    const last = Math.ceil(until / step) * step - step;
    const first = Math.max(Math.ceil(since / step) * step, last - (MAX_BUCKETS - 1) * step);
    for (let start = first; start <= last; start += step) out.push(start);
    return out;
  }
  // Days are walked back from the newest, so a range of centuries costs MAX_DAYS steps, not its length.
  let day = dayAt(until - 1);
  while (day.start >= since && out.length < MAX_DAYS) {
    out.push(day.start);
    day = dayAt(day.start - 1);
  }
  return out.reverse();
}
