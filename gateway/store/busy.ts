/**
 * Another process holding the database's write lock: a command's transaction (milliseconds), a
 * second gateway's commits, or a sqlite3 shell or database browser with a transaction open (as long
 * as it stays open). SQLite's busy handler waits on the calling thread, which for the gateway is
 * every request's: such a program froze every request, /health included, five seconds a write, and
 * the usage rows of a write that gave up were lost. So a serving gateway waits briefly, and a write
 * still locked out is tried again on a timer, with the event loop free (the usage log, kept
 * Responses answers, where the gateway listens), left for a second (side writes, the cache's hit
 * counts), or refused in words (an admin change: 503 `store_busy`; a login link, on its page).
 */
import type { Db } from './db';

/** How long a serving gateway's writes wait for another connection's lock (a command's takes milliseconds). */
export const GATEWAY_LOCK_WAIT_MS = 50;

/** Writes on `db` wait at most `ms` for another connection's lock (a gateway, once it has started: GATEWAY_LOCK_WAIT_MS). */
export function waitForLocksAtMost(db: Db, ms: number): void {
  db.pragma(`busy_timeout = ${ms}`);
}

/** Another connection held the write lock past the wait (SQLITE_BUSY and its extended codes). */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** What a write locked out is told: the usual holders past a command's milliseconds. */
export const LOCK_HELD = "another program holds switchyard.db's write lock, such as a sqlite3 shell or database browser with changes not yet written";

/** The pause before a write locked out tries again: doubling from the gateway's wait to a second. */
export function nextPause(previous: number): number {
  return Math.min(Math.max(2 * previous, GATEWAY_LOCK_WAIT_MS), 1_000);
}

/** Runs `write` now, or, while another process holds the lock, again on a timer until it goes through; `failed` is given anything else it throws. */
export function writeWhenFree(write: () => void, failed: (error: unknown) => void, pause = 0): void {
  try {
    write();
  } catch (error) {
    if (!isBusy(error)) return failed(error);
    const next = nextPause(pause);
    setTimeout(() => writeWhenFree(write, failed, next), next).unref();
  }
}

/** Writes that may be left for later (a side write, a cache's hit counts): while another process holds the lock, not tried for a second at a time, as each try waits on the event loop. */
export interface LockBackoff {
  /** A write found the lock held within the last second: skip this one. */
  lockedOut(): boolean;
  /** After a failed write: whether it found the lock held (the second starts now). */
  saw(error: unknown): boolean;
}

export function lockBackoff(now: () => number = Date.now): LockBackoff {
  let until = 0;
  return {
    lockedOut: () => now() < until,
    saw(error) {
      if (!isBusy(error)) return false;
      until = now() + 1_000;
      return true;
    },
  };
}
