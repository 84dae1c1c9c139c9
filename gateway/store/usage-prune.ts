/**
 * Deleting usage past its retention a step at a time, with the event loop free between steps:
 * "Keep usage" lowered from 90 days to 7 on a log of a million rows deletes most of it, seconds of
 * work that would otherwise hold every request (300,000 rows took 1.1 s in one statement here).
 * Rows are rolled up before they go, so the charts keep them.
 */
import type { Statement } from 'better-sqlite3';
import { scrub, type Db } from './db';

const STEP_ROWS = 2_000;
const DAY = 86_400_000;

/** `roll(limit)` folds up to `limit` rows into the rollups, true while more remain. */
export function createUsagePrune(db: Db, settle: () => void, roll: (limit: number) => boolean): (rowsBefore: number, bodiesBefore: number) => Promise<void> {
  const rows = db.prepare(`DELETE FROM usage WHERE id IN (SELECT id FROM usage WHERE at < ? LIMIT ${STEP_ROWS})`);
  const bodies = db.prepare(`DELETE FROM usage_bodies WHERE request_id IN (SELECT request_id FROM usage_bodies WHERE at < ? LIMIT ${STEP_ROWS})`);
  // A bucket table holds a few rows per minute, hour or day and group: one statement each.
  const [hours, days, minutes] = ['usage_hour', 'usage_day', 'usage_minute'].map((table) => db.prepare(`DELETE FROM ${table} WHERE bucket < ?`)) as [Statement, Statement, Statement];
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
  let running: Promise<void> | undefined;

  const prune = async (rowsBefore: number, bodiesBefore: number) => {
    settle();
    // Each step its own statement; between steps requests are served, and the gateway may stop.
    for (const step of [() => roll(STEP_ROWS), () => rows.run(rowsBefore).changes === STEP_ROWS, () => bodies.run(bodiesBefore).changes === STEP_ROWS]) {
      while (step()) {
        await nextTurn();
        if (!db.open) return;
      }
    }
    hours.run(rowsBefore);
    days.run(rowsBefore);
    // Minute buckets serve only recent charts.
    minutes.run(Math.max(rowsBefore, Date.now() - 3 * DAY));
    await scrub(db);
  };
  // One at a time: an hourly prune that comes while the last is still going waits for it instead.
  return (rowsBefore, bodiesBefore) =>
    (running ??= prune(rowsBefore, bodiesBefore).finally(() => {
      running = undefined;
    }));
}
