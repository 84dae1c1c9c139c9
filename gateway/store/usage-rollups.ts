/**
 * The usage rollups: per-minute, per-hour and per-day rows of each route, deployment, provider,
 * client key, cache outcome and tool, so charts over a million rows read a few thousand. A step
 * folds the rows moved into the log since the last one: grouped once per minute into a temporary
 * table, then folded from that handful of groups into the three tables, not from the rows three
 * times over. Latency percentiles come from a fixed histogram in each rollup row (latency-bins.ts).
 */
import { writeTransaction, type Db } from './db';
import { BIN_COLUMNS, FINE_BINS, FINE_COLUMNS, LATENCY_BINS } from './latency-bins';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Whose days the day rollups count: a zone, and the day an instant falls in there. */
export interface DayZone {
  zone: string;
  /** The day around an instant (epoch ms): its first instant and the next day's. */
  dayAt(ms: number): { start: number; end: number };
}

export const UTC_DAYS: DayZone = {
  zone: 'UTC',
  dayAt: (ms) => {
    const start = Math.floor(ms / DAY) * DAY;
    return { start, end: start + DAY };
  },
};

/** A row's count in the bin (low, high] of its total time; `high` Infinity for the open-ended last. */
const inBin = (low: number, high: number) =>
  Number.isFinite(high) ? `SUM(CASE WHEN total_ms > ${low} AND total_ms <= ${high} THEN 1 ELSE 0 END)` : `SUM(CASE WHEN total_ms > ${low} THEN 1 ELSE 0 END)`;

/**
 * Folds up to `limit` rows moved into the log since the last step into the rollups, in one
 * transaction; true while more remain. `days`: the zone whose midnights start the day buckets (the
 * gateway's own), so a day's bar in a chart is a day where its user is; a log opened in another zone
 * than the rollups were made in makes the days again, from the hour rollups, at its first step.
 */
export function createRollupStep(db: Db, days: DayZone): (limit: number) => boolean {
  // Each step's minute buckets fall on a day or two: the zone is asked once per day, not per bucket.
  let day = { start: 0, end: 0 };
  db.function('day_start', { deterministic: true }, (ms) => {
    if (typeof ms !== 'number') throw new TypeError('day_start takes epoch milliseconds');
    if (ms < day.start || ms >= day.end) day = days.dayAt(ms);
    return day.start;
  });
  const lastRolled = db.prepare<[], { last_rowid: number }>('SELECT last_rowid FROM usage_rollup_state WHERE id = 1');
  const newest = db.prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM usage');
  const setRolled = db.prepare('UPDATE usage_rollup_state SET last_rowid = ? WHERE id = 1');
  const bins = LATENCY_BINS.map((high, i) => inBin(i === 0 ? -1 : (LATENCY_BINS[i - 1] as number), high));
  const fineBins = FINE_BINS.map((high, i) => inBin(i === 0 ? -1 : (FINE_BINS[i - 1] as number), high));
  const sums = ['requests', 'errors', 'fallbacks', 'input_tokens', 'output_tokens', 'cost', 'would_cost', 'saved', ...BIN_COLUMNS, ...FINE_COLUMNS];
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS usage_delta AS SELECT * FROM usage_minute WHERE 0`);
  const fillDelta = db.prepare(
    `INSERT INTO temp.usage_delta
     SELECT (at / ${MINUTE}) * ${MINUTE}, COALESCE(route, ''), COALESCE(deployment, ''), COALESCE(provider, ''), client_key, cached, COALESCE(tool, ''),
       COUNT(*), SUM(CASE WHEN status >= 400 OR error_class IS NOT NULL THEN 1 ELSE 0 END), SUM(fallback),
       SUM(COALESCE(input_tokens, 0)), SUM(COALESCE(output_tokens, 0)), SUM(cost), SUM(would_cost), SUM(saved),
       ${[...bins, ...fineBins].join(', ')}
     FROM usage WHERE id > ? AND id <= ?
     GROUP BY 1, 2, 3, 4, 5, 6, 7`,
  );
  const rollInto = (table: string, bucket: string, from = 'temp.usage_delta') =>
    db.prepare(
      `INSERT INTO ${table}
       SELECT ${bucket}, route, deployment, provider, client_key, cached, tool, ${sums.map((c) => `SUM(${c})`).join(', ')}
       FROM ${from} WHERE true
       GROUP BY 1, 2, 3, 4, 5, 6, 7
       ON CONFLICT (bucket, route, deployment, provider, client_key, cached, tool) DO UPDATE SET
       ${sums.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`,
    );
  const rollMinute = rollInto('usage_minute', `(bucket / ${MINUTE}) * ${MINUTE}`);
  const rollHour = rollInto('usage_hour', `(bucket / ${HOUR}) * ${HOUR}`);
  const rollDay = rollInto('usage_day', 'day_start(bucket)');
  const clearDelta = db.prepare('DELETE FROM temp.usage_delta');
  // Days in another zone than the rollups were made in are made again from the hours (a zone with a
  // half-hour offset files the half hour across midnight under one day; days rolled up after are exact).
  const dayZone = db.prepare<[], string | null>('SELECT day_zone FROM usage_rollup_state WHERE id = 1').pluck();
  const clearDays = db.prepare('DELETE FROM usage_day');
  const daysFromHours = rollInto('usage_day', 'day_start(bucket)', 'usage_hour');
  const setDayZone = db.prepare('UPDATE usage_rollup_state SET day_zone = ? WHERE id = 1');
  const inZone = () => (dayZone.get() ?? 'UTC') === days.zone;
  // Asked in each step's transaction (a lookup of one row): a step that fails undoes the remake too.
  const keepDaysInZone = () => {
    if (inZone()) return;
    clearDays.run();
    daysFromHours.run();
    setDayZone.run(days.zone);
  };

  const step = writeTransaction(db, (limit: number): boolean => {
    keepDaysInZone();
    const from = lastRolled.get()?.last_rowid ?? 0;
    const newestId = newest.get()?.id ?? 0;
    const to = Math.min(newestId, from + limit);
    if (to <= from) return false;
    fillDelta.run(from, to);
    rollMinute.run();
    rollHour.run();
    rollDay.run();
    clearDelta.run();
    setRolled.run(to);
    return to < newestId;
  });
  // Nothing to fold (as before most charts are read): no lock taken, none waited for.
  const idle = () => inZone() && (newest.get()?.id ?? 0) <= (lastRolled.get()?.last_rowid ?? 0);
  return (limit) => !idle() && step(limit);
}
