/**
 * How a usage row reaches the log's inbox: in this turn's group commit when its answer waits for it;
 * a moment later with the rows after it when it was journalled (usage-journal.ts); tried again after
 * a failed commit (a full disk) while it waits in the journal; and, while another process holds the
 * write lock past the gateway's short wait (busy.ts), kept in the journal and committed once the
 * lock is free, on a timer, with the event loop free in between.
 */
import { isBusy, LOCK_HELD, nextPause } from './busy';
import { writeTransaction, type Db } from './db';
import { COLUMN_COUNT, COLUMNS, columnValues } from './usage-columns';
import { createReplay, type UsageJournal } from './usage-journal';
import type { UsageRow } from './usage-types';

/** A journalled row waits this long at most for the rows after it, to be committed with them. */
const JOURNALLED_FOR_MS = 20;
/** Journalled rows whose commit failed, kept to try again (the rest wait in the journal for the next start), and how often. */
const STUCK_KEPT = 1_000;
const STUCK_TRIES = 3;
/** Rows kept in memory while another process holds the write lock: the rest are read back from the journal once it is free. */
const LOCKED_OUT_KEPT = 2_000;
/** The journal read back at a time once a lock-out ends (about 2,000 rows, 20 ms here). */
const REPLAY_STEP_BYTES = 512 * 1024;
/** Journalled rows wait for the rows after them until this many have gathered (or JOURNALLED_FOR_MS). */
const JOURNALLED_GROUP = 500;

export type Bodies = { request: string; response: string };

export interface RowCommits {
  /** Writes a row now, in its own transaction. */
  write(row: UsageRow, bodies?: Bodies): void;
  recordSoon(row: UsageRow, bodies?: Bodies): Promise<void>;
  recordAfter(row: UsageRow, bodies?: Bodies): Promise<void>;
  /** Commits the rows waiting (a query's, or a stop's). */
  flush(): void;
  /** Tries again the journalled rows whose commit failed. */
  retryStuck(): void;
  /** Another process holds the write lock: rows wait for their timer's try. */
  lockedOut(): boolean;
  /** While it does, how many rows wait in the journal and since when, for /health. */
  waiting(): string | undefined;
}

/** `written`: rows committed to the inbox; `settle`: moves the inbox into the log (before a journal is replayed). */
export function createRowCommits(db: Db, journal: UsageJournal | undefined, log: { written(rows: number): void; settle(): void; warn?: (message: string) => void }): RowCommits {
  const insertRow = db.prepare(`INSERT INTO usage_inbox (${COLUMNS}) VALUES (${Array(COLUMN_COUNT).fill('?').join(', ')})`);
  const insertBodies = db.prepare('INSERT OR REPLACE INTO usage_bodies VALUES (?, ?, ?, ?)');
  const { written, settle, warn } = log;
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
  /** The pause before the next try while another process holds the write lock; 0 while writes go through. */
  let lockedFor = 0;
  const queue = (item: Pending) => {
    if (lockedFor > 0) return void waitInJournal([item]);
    pending.push(item);
    if (!item.journalled || pending.length >= JOURNALLED_GROUP) {
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
      lockedFor = 0;
    } catch (error) {
      if (isBusy(error) && journal) return lockedOut(batch);
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
    catchUp();
  };
  // Another process holds the write lock past the gateway's short wait: each row goes to the journal
  // (safe there, so its answer need not wait for the lock), and the rows are committed together once
  // the lock is free, tried on a timer whose pause doubles, with the event loop free in between.
  let lockedSince = 0;
  let beyondMemory = 0;
  const lockedOut = (batch: Pending[]) => {
    if (lockedFor === 0) lockedSince = Date.now();
    waitInJournal(batch);
    lockedFor = nextPause(lockedFor);
    flushTimer = setTimeout(flush, lockedFor).unref();
  };
  const waitInJournal = (items: Pending[]) => {
    for (const item of items) {
      if (!item.journalled) {
        try {
          journal?.append(JSON.stringify(item.values));
        } catch (error) {
          item.failed(error);
          continue;
        }
        item.journalled = true;
        item.done();
      }
      if (pending.length < LOCKED_OUT_KEPT) pending.push(item);
      else beyondMemory++;
    }
  };
  // Rows past what memory keeps are in the journal alone: once the lock is free, the journal as it
  // was then is replayed as a dead process's would be (rows the log has are skipped), in steps with
  // the event loop free between them (100,000 rows at once held it 0.9 s here; in steps, 43 ms at most).
  const replay = createReplay(db);
  let replaying = false;
  const catchUp = () => {
    if (beyondMemory === 0 || !journal || replaying) return;
    replaying = true;
    const [rows, end] = [beyondMemory, journal.size()];
    let [from, step] = [0, REPLAY_STEP_BYTES];
    const next = () => {
      try {
        settle();
        const read = journal.read(from, Math.min(from + step, end));
        const refused = replay(read.rows);
        if (refused.length > 0) warn?.(`${refused.length} usage row(s) journalled while another program held the write lock were refused by the log (${refused[0]?.why})`);
        if (read.next > from) [from, step] = [read.next, REPLAY_STEP_BYTES];
        // A line longer than a step is read whole the next time; one the file ends in is a write cut short.
        else if (from + step < end) step *= 2;
        else from = end;
      } catch {
        // Locked out again: replayed again after the next commit, or at the next start.
        replaying = false;
        return;
      }
      if (from < end) return void setImmediate(next);
      replaying = false;
      // The rows a failed commit left to try again were in the journal too: they are in the log now.
      beyondMemory -= rows;
      journal.stored(rows + stuck.length);
      stuck = [];
      written(rows);
    };
    next();
  };
  // Apart from the rows after them: one that can never be written (not a full disk) holds up no other.
  // One still failing after STUCK_TRIES is left to the next start, whose replay says what it finds.
  let stuck: Pending[] = [];
  let stuckTries = 0;
  const retryStuck = () => {
    // While the journal is replayed, they are among its rows.
    if (stuck.length === 0 || replaying) return;
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

  return {
    write,
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
    flush,
    retryStuck,
    lockedOut: () => lockedFor > 0,
    waiting: () => (lockedFor > 0 ? `usage rows: ${pending.length + beyondMemory} wait in the journal since ${new Date(lockedSince).toISOString()} (${LOCK_HELD})` : undefined),
  };
}
