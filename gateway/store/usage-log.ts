/**
 * The usage log: one row per client request, kept before the request's last byte, so a process
 * killed with SIGKILL loses no finished request: committed (WAL) with the rows of the same turn, or,
 * for an answer going out alone, appended to a journal and committed with the rows after it, a
 * moment later (usage-journal.ts; each row's way to a commit: usage-commits.ts). Rows are committed
 * to `usage_inbox`, a table with no index, so a commit writes one small page; rows move into `usage`
 * (its indexes and id sequence) in batches: a moment after they are written, and before any query
 * reads them, so readers never see the difference. The rollups (usage-rollups.ts) are filled from
 * moved rows in background steps, and before any rollup query, so charts are never stale. While
 * another process holds the write lock, queries read what was committed before it.
 */
import { isBusy } from './busy';
import { writeTransaction, type Db } from './db';
import { COLUMNS } from './usage-columns';
import { createRowCommits, type Bodies } from './usage-commits';
import { openUsageJournal, replayUsageJournals } from './usage-journal';
import { createUsageQueries } from './usage-queries';
import { createUsageReader, type UsageReader } from './usage-reader';
import { createUsagePrune } from './usage-prune';
import { createRollupStep, UTC_DAYS, type DayZone } from './usage-rollups';
import type { UsageQueries, UsageRow } from './usage-types';

export type { Granularity, GroupBy, RollupPoint, UsageAttempt, UsageFilter, UsageRow } from './usage-types';

/** Moved rows after which the rollups catch up (in background steps); queries catch up first anyway. */
const ROLLUP_EVERY_ROWS = 1_000;
/** Rows wait in the inbox at most this long, or until this many have gathered. */
const SETTLE_AFTER_MS = 200;
const SETTLE_EVERY_ROWS = 500;

export interface UsageLog extends UsageQueries {
  /** Writes a row now, in its own transaction. */
  record(row: UsageRow, bodies?: Bodies): void;
  /**
   * Writes a row with the others that arrive in the same turn of the event loop, in one
   * transaction (group commit); resolves once it is committed. Under load this cuts the cost per
   * row several times, and a caller that waits before sending its last byte keeps the guarantee
   * that a row exists for every answer a client received.
   */
  recordSoon(row: UsageRow, bodies?: Bodies): Promise<void>;
  /**
   * For a row whose answer goes out alone (no other request's commit to share): appends it to the
   * journal now (usage-journal.ts), and commits it with the rows after it, within
   * a moment or before the next query; resolves once it is committed.
   */
  recordAfter(row: UsageRow, bodies?: Bodies): Promise<void>;
  /** Moves rows waiting in the inbox into the log (also done before every query; not while another process holds the write lock). */
  settle(): void;
  /**
   * Commits every row written so far and closes the journal (a stopping gateway); resolves once the
   * reader's thread has ended, so that the database's last connection, closed next, is this one.
   */
  close(): Promise<void>;
  /** The charts, sessions and names read off the event loop, in a worker thread (usage-reader.ts). */
  readonly reader: UsageReader;
  /** Brings the rollup tables up to date with the rows written so far (as far as it can while another process holds the write lock). */
  rollup(): void;
  /** The same in small steps, yielding to requests between them. */
  rollupInBackground(): void;
  /** Deletes rows and bodies past their cutoffs, a step at a time (usage-prune.ts); resolves when done. */
  prune(rowsBefore: number, bodiesBefore: number): Promise<void>;
  body(requestId: string): { request: string | null; response: string | null } | undefined;
  /** While another process holds the write lock, the rows that wait for it (for /health). */
  waitingForLock(): string | undefined;
}

/**
 * `days`: the zone whose midnights start the day rollups' buckets (usage-rollups.ts); `warn`: what
 * the log cannot keep when it opens (a journal it cannot replay), and a reader thread that fails.
 */
export function createUsageLog(db: Db, days: DayZone = UTC_DAYS, warn?: (message: string) => void): UsageLog {
  const journal = openUsageJournal(db);
  const inboxHasRows = db.prepare<[], number>('SELECT EXISTS (SELECT 1 FROM usage_inbox)').pluck();
  const moveRows = db.prepare(`INSERT INTO usage (${COLUMNS}) SELECT ${COLUMNS} FROM usage_inbox ORDER BY rowid`);
  const emptyInbox = db.prepare('DELETE FROM usage_inbox');
  const selectBody = db.prepare<[string], { request: string | null; response: string | null }>('SELECT request, response FROM usage_bodies WHERE request_id = ?');
  const rollStep = createRollupStep(db, days);

  const commits = createRowCommits(db, journal, { written: (rows) => written(rows), settle: () => settle(), warn });

  // Written rows wait in the inbox for a moment, then move in one transaction (it reads the inbox
  // it then empties: no other writer may slip in between).
  const move = writeTransaction(db, () => {
    const moved = moveRows.run().changes;
    emptyInbox.run();
    return moved;
  });
  let unsettled = 0;
  let settleTimer: NodeJS.Timeout | undefined;
  const settle = () => {
    // Locked out, the rows wait for their timer's try: a query (a budget's, on every request) must not wait for the lock too.
    if (!commits.lockedOut()) commits.flush();
    clearTimeout(settleTimer);
    settleTimer = undefined;
    unsettled = 0;
    // Locked out, a query reads the rows already moved: those waiting are moved with the next commit.
    if (commits.lockedOut() || !inboxHasRows.get()) return;
    try {
      moved(move());
    } catch (error) {
      if (!isBusy(error)) throw error;
    }
  };
  const settleQuietly = () => {
    try {
      settle();
    } catch {
      // The rows stay in the inbox; the next move or query takes them.
    }
  };
  const written = (rows: number) => {
    unsettled += rows;
    if (unsettled >= SETTLE_EVERY_ROWS) setImmediate(settleQuietly);
    else settleTimer ??= setTimeout(settleQuietly, SETTLE_AFTER_MS).unref();
  };
  // Rollups follow traffic, a step at a time, rather than a timer: an idle gateway (in the desktop
  // app, on Electron's main thread) does no database work at all.
  let unrolled = 0;
  const moved = (rows: number) => {
    unrolled += rows;
    if (unrolled < ROLLUP_EVERY_ROWS) return;
    unrolled = 0;
    rollupInBackground();
  };

  const rollup = () => {
    settle();
    try {
      while (rollStep(100_000));
    } catch (error) {
      // Locked out, the rollups stay where their last step left them (each step is whole).
      if (!isBusy(error)) throw error;
    }
  };
  // In the background, small steps with the event loop free between them: requests never wait
  // behind a long rollup (a step of 2,000 rows takes a few milliseconds).
  let rolling = false;
  const rollupInBackground = () => {
    if (rolling) return;
    rolling = true;
    const step = () => {
      try {
        if (rollStep(2_000)) return void setImmediate(step);
      } catch {
        // Left for the next run; queries roll up before reading anyway.
      }
      rolling = false;
    };
    step();
  };

  // Rows a killed process left in the inbox, then those it left in its journal.
  settleQuietly();
  replayUsageJournals(db, warn);
  settleQuietly();

  const queries = createUsageQueries(db, { settle, rollup });
  const reader = createUsageReader({ settle, rollup, rollups: queries.rollups, sessions: queries.sessions, names: queries.names, exportBatch: queries.exportBatch }, db.name, { warn });
  return {
    record: (row, bodies) => {
      commits.write(row, bodies);
      written(1);
    },
    recordSoon: commits.recordSoon,
    recordAfter: commits.recordAfter,
    settle,
    close: () => {
      settle();
      commits.retryStuck();
      journal?.close();
      return reader.stop();
    },
    rollup,
    rollupInBackground,

    ...queries,
    reader,

    prune: createUsagePrune(db, settle, rollStep),

    body: (requestId) => selectBody.get(requestId),
    waitingForLock: commits.waiting,
  };
}

