/**
 * The usage log: one row per client request, kept before the request's last byte, so a process
 * killed with SIGKILL loses no finished request: committed (WAL) with the rows of the same turn, or,
 * for an answer going out alone, appended to a journal and committed with the rows after it, a
 * moment later (usage-journal.ts). Rows are committed to `usage_inbox`, a table with no index, so a
 * commit writes one small page; rows move into `usage` (its indexes and id sequence) in batches: a
 * moment after they are written, and before any query reads them, so readers never see the
 * difference. The rollups (usage-rollups.ts) are filled from moved rows in background steps, and
 * before any rollup query, so charts are never stale.
 */
import { writeTransaction, type Db } from './db';
import { COLUMN_COUNT, COLUMNS, columnValues } from './usage-columns';
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
/** A journalled row waits this long at most for the rows after it, to be committed with them. */
const JOURNALLED_FOR_MS = 20;
/** Journalled rows whose commit failed, kept to try again (the rest wait in the journal for the next start), and how often. */
const STUCK_KEPT = 1_000;
const STUCK_TRIES = 3;

type Bodies = { request: string; response: string };

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
   * JOURNALLED_FOR_MS or before the next query; resolves once it is committed.
   */
  recordAfter(row: UsageRow, bodies?: Bodies): Promise<void>;
  /** Moves rows waiting in the inbox into the log (also done before every query). */
  settle(): void;
  /**
   * Commits every row written so far and closes the journal (a stopping gateway); resolves once the
   * reader's thread has ended, so that the database's last connection, closed next, is this one.
   */
  close(): Promise<void>;
  /** The charts, sessions and names read off the event loop, in a worker thread (usage-reader.ts). */
  readonly reader: UsageReader;
  /** Brings the rollup tables up to date with the rows written so far. */
  rollup(): void;
  /** The same in small steps, yielding to requests between them. */
  rollupInBackground(): void;
  /** Deletes rows and bodies past their cutoffs, a step at a time (usage-prune.ts); resolves when done. */
  prune(rowsBefore: number, bodiesBefore: number): Promise<void>;
  body(requestId: string): { request: string | null; response: string | null } | undefined;
}

/**
 * `days`: the zone whose midnights start the day rollups' buckets (usage-rollups.ts); `warn`: what
 * the log cannot keep when it opens (a journal it cannot replay), and a reader thread that fails.
 */
export function createUsageLog(db: Db, days: DayZone = UTC_DAYS, warn?: (message: string) => void): UsageLog {
  const insertRow = db.prepare(`INSERT INTO usage_inbox (${COLUMNS}) VALUES (${Array(COLUMN_COUNT).fill('?').join(', ')})`);
  const journal = openUsageJournal(db);
  const inboxHasRows = db.prepare<[], number>('SELECT EXISTS (SELECT 1 FROM usage_inbox)').pluck();
  const moveRows = db.prepare(`INSERT INTO usage (${COLUMNS}) SELECT ${COLUMNS} FROM usage_inbox ORDER BY rowid`);
  const emptyInbox = db.prepare('DELETE FROM usage_inbox');
  const insertBodies = db.prepare('INSERT OR REPLACE INTO usage_bodies VALUES (?, ?, ?, ?)');
  const selectBody = db.prepare<[string], { request: string | null; response: string | null }>('SELECT request, response FROM usage_bodies WHERE request_id = ?');
  const rollStep = createRollupStep(db, days);

  const insert = (values: unknown[], id: string, at: number, bodies?: Bodies) => {
    // Spread, not the array: better-sqlite3 reads an array's thirty values through V8's API one at
    // a time, about 2 us a row more (measured here on the inbox's statement, 18 rows a commit).
    insertRow.run(...values);
    if (bodies) insertBodies.run(id, at, bodies.request, bodies.response);
  };
  const write = writeTransaction(db, (row: UsageRow, bodies?: Bodies) => insert(columnValues(row), row.id, row.at, bodies));
  type Pending = { values: unknown[]; row: UsageRow; bodies: Bodies | undefined; journalled: boolean; done: () => void; failed: (error: unknown) => void };
  let pending: Pending[] = [];
  const writeAll = writeTransaction(db, (batch: Pending[]) => {
    for (const item of batch) insert(item.values, item.row.id, item.row.at, item.bodies);
  });
  // Rows whose answers wait for them go in this turn's group commit; journalled rows are safe
  // already, so they wait for a larger group (or for the next query, which commits them first).
  let flushSoon = false;
  let flushTimer: NodeJS.Timeout | undefined;
  const queue = (item: Pending) => {
    pending.push(item);
    if (!item.journalled || pending.length >= SETTLE_EVERY_ROWS) {
      if (!flushSoon) setImmediate(flush);
      flushSoon = true;
    } else flushTimer ??= setTimeout(flush, JOURNALLED_FOR_MS).unref();
  };
  const flush = () => {
    flushSoon = false;
    clearTimeout(flushTimer);
    flushTimer = undefined;
    const batch = pending;
    if (batch.length === 0) return;
    pending = [];
    try {
      writeAll(batch);
    } catch (error) {
      for (const item of batch) item.failed(error);
      // Journalled rows stay in the journal (never cut while they wait), and are tried again once a
      // commit succeeds (room on the disk again). Their prompts are left out, as the journal leaves them.
      for (const item of batch) if (item.journalled && stuck.length < STUCK_KEPT) stuck.push({ ...item, bodies: undefined });
      return;
    }
    for (const item of batch) item.done();
    written(batch.length);
    const journalled = batch.reduce((n, item) => n + Number(item.journalled), 0);
    if (journalled > 0) journal?.stored(journalled);
    retryStuck();
  };
  // Apart from the rows after them: one that can never be written (not a full disk) holds up no other.
  // One still failing after STUCK_TRIES is left to the next start, whose replay says what it finds.
  let stuck: Pending[] = [];
  let stuckTries = 0;
  const retryStuck = () => {
    if (stuck.length === 0) return;
    const rows = stuck;
    try {
      writeAll(rows);
    } catch {
      if (++stuckTries >= STUCK_TRIES) stuck = [];
      return;
    }
    stuck = [];
    stuckTries = 0;
    written(rows.length);
    journal?.stored(rows.length);
  };

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
    flush();
    clearTimeout(settleTimer);
    settleTimer = undefined;
    unsettled = 0;
    if (!inboxHasRows.get()) return;
    moved(move());
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
    while (rollStep(100_000));
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
      write(row, bodies);
      written(1);
    },
    recordSoon: (row, bodies) => new Promise<void>((done, failed) => queue({ values: columnValues(row), row, bodies, journalled: false, done, failed })),
    recordAfter: (row, bodies) =>
      new Promise<void>((done, failed) => {
        const values = columnValues(row);
        let unjournalled: unknown;
        try {
          journal?.append(JSON.stringify(values));
        } catch (error) {
          unjournalled = error;
        }
        const journalled = journal !== undefined && unjournalled === undefined;
        // A line that could not be written is reported, once the row is committed all the same.
        queue({ values, row, bodies, journalled, done: unjournalled === undefined ? done : () => failed(unjournalled), failed });
      }),
    settle,
    close: () => {
      settle();
      retryStuck();
      journal?.close();
      return reader.stop();
    },
    rollup,
    rollupInBackground,

    ...queries,
    reader,

    prune: createUsagePrune(db, settle, rollStep),

    body: (requestId) => selectBody.get(requestId),
  };
}

