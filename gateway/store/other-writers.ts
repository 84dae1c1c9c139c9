/**
 * Another process writing the database (`switchyard import`, `keys create`): SQLite's data_version
 * changes only for commits made through other connections, so a running gateway can pick their
 * changes up without a restart, within the poll interval.
 */
import type { Db } from './db';

/** Calls `changed` after another connection commits; returns how to stop watching. */
export function watchOtherWriters(db: Db, changed: () => void, intervalMs = 2_000): () => void {
  let seen = db.pragma('data_version', { simple: true }) as number;
  const timer = setInterval(() => {
    const version = db.pragma('data_version', { simple: true }) as number;
    if (version === seen) return;
    seen = version;
    changed();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
