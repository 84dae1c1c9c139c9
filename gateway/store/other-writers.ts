/**
 * Another process writing the database (`switchyard import`, `keys create`): SQLite's data_version
 * changes only for commits made through other connections, so a running gateway can pick their
 * changes up without a restart, within the poll interval.
 */
import type { Db } from './db';

/**
 * Calls `changed` after another connection commits; returns how to stop watching. A check that
 * fails (a disk error) is tried again next time, and the first failure of a run is given to
 * `failed`: thrown from a timer, it would end the process.
 */
export function watchOtherWriters(db: Db, changed: () => void, failed: (error: unknown) => void, intervalMs = 2_000): () => void {
  let seen = db.pragma('data_version', { simple: true }) as number;
  let failing = false;
  const timer = setInterval(() => {
    try {
      const version = db.pragma('data_version', { simple: true }) as number;
      if (version !== seen) {
        seen = version;
        changed();
      }
      failing = false;
    } catch (error) {
      if (!failing) failed(error);
      failing = true;
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
