/**
 * Every bucket of a chart's range, empty ones included, so a chart's axis is time itself: a week
 * with traffic on Monday and Friday shows the three quiet days between them, not two bars side by
 * side. Buckets start as the rollups' do: minutes and hours on the epoch's grid, days at midnight
 * in the log's zone (a day is 23 or 25 hours when the clocks change).
 */
import type { Granularity } from '../store/usage-types';

/** A 90-day chart by hour is 2,160; beyond this a range keeps its newest buckets. */
export const MAX_BUCKETS = 5_000;
/** A range keeps its newest 400 days. */
export const MAX_DAYS = 400;
const DAY = 86_400_000;

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
  // Days are walked back from the newest, so a range of centuries costs MAX_DAYS steps, not its
  // length. Asking the zone for a midnight costs about 40 us, so it is asked once a week: a week of
  // exactly 7 x 24 h has no clock change in it and its midnights are 24 h apart; a week with one is
  // asked day by day.
  let start = dayAt(until - 1).start;
  while (start >= since && out.length < MAX_DAYS) {
    out.push(start);
    const weekBefore = dayAt(start - 7 * DAY + DAY / 2).start;
    if (start - weekBefore === 7 * DAY) {
      for (let k = 1; k < 7 && start - k * DAY >= since && out.length < MAX_DAYS; k++) out.push(start - k * DAY);
      start = weekBefore;
    } else {
      start = dayAt(start - 1).start;
    }
  }
  return out.reverse();
}

/**
 * A chart's axis for rollup points (sorted by bucket) over a range: every bucket of the range (a
 * range open at its start begins at its oldest point), and the buckets of older points a capped
 * range left out, so every point has its place. Linear in the points.
 */
export function chartAxis(granularity: Granularity, range: { since?: number | undefined; until?: number | undefined }, points: readonly { bucket: number }[], now: number, dayAt: (ms: number) => { start: number; end: number }): number[] {
  const since = range.since ?? points[0]?.bucket;
  if (since === undefined) return [];
  const starts = bucketStarts(granularity, since, range.until ?? now, dayAt);
  const first = starts[0] ?? Number.POSITIVE_INFINITY;
  const older: number[] = [];
  for (const point of points) {
    if (point.bucket >= first) break;
    if (older.at(-1) !== point.bucket) older.push(point.bucket);
  }
  return older.length > 0 ? [...older, ...starts] : starts;
}
