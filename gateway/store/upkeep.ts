/**
 * A serving gateway's store, once nothing can fail any more: from then on a write waits only briefly
 * for another process's lock (busy.ts), and two timers keep it (each write a side write, which
 * never fails what it records: side-writes.ts): the hourly prune, and the sticky sessions saved every
 * few seconds. Rollups need no timer: they follow traffic (usage-log.ts).
 */
import { GATEWAY_LOCK_WAIT_MS, waitForLocksAtMost } from './busy';
import type { Db } from './db';
import type { SideWrites } from './side-writes';
import { STICKY_SAVE_MS, type StickySessionStore } from './sticky-sessions';

export interface Upkeep {
  /** Saves the sticky sessions now (a stopping gateway's last). */
  saveSessions(): void;
  stop(): void;
}

export function beginUpkeep(db: Db, writes: SideWrites, prune: () => Promise<void>, sticky: StickySessionStore): Upkeep {
  waitForLocksAtMost(db, GATEWAY_LOCK_WAIT_MS);
  const saveSessions = () => void writes.attempt('the sticky sessions', () => sticky.save());
  const hourlyPrune = () => prune().then(() => writes.succeeded('the hourly prune'), (error: unknown) => writes.failed('the hourly prune', error));
  const timers = [setInterval(hourlyPrune, 3_600_000), setInterval(saveSessions, STICKY_SAVE_MS)];
  for (const timer of timers) timer.unref();
  return {
    saveSessions,
    stop: () => {
      for (const timer of timers) clearInterval(timer);
    },
  };
}
