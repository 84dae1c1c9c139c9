/**
 * The usage log's journal: a row whose answer is about to go out alone (no other request open to
 * share a commit with) is appended here, one line in one write (a few microseconds, where a SQLite
 * commit of its own costs tens), and committed to SQLite with the rows after it, a moment later,
 * in one transaction. A client still never has an answer whose row a killed process could lose:
 * the line is in the page cache before the answer, as a WAL commit would be. The file holds only
 * rows not yet in SQLite: it is cut to nothing each time none waits. A process killed in between
 * leaves its file; the next one to open the log replays it.
 *
 * One file per usage log, named by its process, so a live gateway's journal is never replayed by a
 * CLI command reading the same data dir, and a dead one's is claimed (renamed) by one process only.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, ftruncateSync, openSync, readdirSync, readFileSync, readSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeTransaction, type Db } from './db';
import { COLUMN_COUNT, COLUMNS, isColumnValue } from './usage-columns';

const NAME = /^usage-journal-(\d+)-[0-9a-f]{8}\.(?:ndjson|replaying)$/;
const REFUSED = /^usage-refused-\d+-[0-9a-f]{8}\.ndjson$/;
/** A dead process's journal larger than this is left where it is, not read (a journal holds the rows of a moment). */
const REPLAY_MAX_BYTES = 64 * 1024 * 1024;

/** The journals this process writes: with several gateways in one process (as in tests), no log replays another's. */
const ownJournals = new Set<string>();

export interface UsageJournal {
  /** Appends one row's line (throws if it cannot be written). */
  append(line: string): void;
  /** `count` of the appended rows are now committed to SQLite. */
  stored(count: number): void;
  /** Closes the file, and removes it when no row waits in it. */
  close(): void;
  /** How far the file goes now (bytes). */
  size(): number;
  /**
   * The rows of the whole lines between bytes `from` and `to`, and where the line after them starts
   * (`from` when none ends before `to`): for a log that could not keep its rows in memory (another
   * process held the write lock), read back a step at a time.
   */
  read(from: number, to: number): { rows: unknown[][]; next: number };
}

/**
 * The journal of a usage log on `db` (none for a database in memory, which a crash loses whole).
 * Prompts are not journalled: a purge must leave none behind, and a line lives a moment at most.
 */
export function openUsageJournal(db: Db): UsageJournal | undefined {
  if (db.memory) return undefined;
  const file = join(dirname(db.name), `usage-journal-${process.pid}-${randomBytes(4).toString('hex')}.ndjson`);
  let fd: number | undefined;
  let waiting = 0;
  // After a short write (a full disk) the next line starts on a line of its own, not after the torn one.
  let torn = false;
  return {
    append(line) {
      if (fd === undefined) {
        ownJournals.add(file);
        fd = openSync(file, 'a', 0o600);
      }
      const text = torn ? `\n${line}\n` : `${line}\n`;
      torn = true;
      if (writeSync(fd, text) < Buffer.byteLength(text)) throw new Error('the usage journal could not be written whole (is the disk full?)');
      torn = false;
      waiting++;
    },
    stored(count) {
      waiting -= count;
      // A cut that fails leaves lines the replay finds already written.
      if (waiting === 0 && fd !== undefined) quietly(() => ftruncateSync(fd as number, 0));
    },
    size: () => (fd === undefined ? 0 : fstatSync(fd).size),
    read(from, to) {
      const bytes = Buffer.alloc(Math.max(to - from, 0));
      const reader = openSync(file, 'r');
      try {
        readSync(reader, bytes, 0, bytes.length, from);
      } finally {
        closeSync(reader);
      }
      // A line cut by `to` is left for the next read.
      const end = bytes.lastIndexOf(0x0a) + 1;
      return { rows: rowsOf(bytes.subarray(0, end).toString('utf8')), next: from + end };
    },
    close() {
      if (fd === undefined) return;
      closeSync(fd);
      fd = undefined;
      // Gone already is as good (its data dir removed under a stopping gateway).
      if (waiting === 0) quietly(() => unlinkSync(file));
      ownJournals.delete(file);
    },
  };
}

/**
 * Replays into `db`'s inbox the journals dead processes left beside it. Each file is claimed by a
 * rename (so two processes never replay one), its rows written unless the log has them (the process
 * may have died between a commit and the cut), then it is removed. A torn last line (it died
 * mid-write) is skipped, as is any line that is not a row's columns; a row the table refuses is set
 * aside in a file of its own (`usage-refused-*`, never replayed), and `warn` says where. A journal that
 * cannot be replayed (unreadable, a busy database) stays, for the next process to try, and `warn`
 * says so: its rows are not in the log.
 */
export function replayUsageJournals(db: Db, warn: (message: string) => void = () => undefined): void {
  if (db.memory) return;
  const replay = createReplay(db);
  const dir = dirname(db.name);
  let names: string[] = [];
  quietly(() => (names = readdirSync(dir).sort()));
  for (const name of names) {
    const pid = NAME.exec(name)?.[1];
    const path = join(dir, name);
    if (pid === undefined || ownJournals.has(path) || alive(Number(pid))) continue;
    const claimed = join(dir, `usage-journal-${process.pid}-${randomBytes(4).toString('hex')}.replaying`);
    try {
      renameSync(path, claimed);
    } catch {
      continue; // another process claimed it first
    }
    // One that cannot be read or written now (another user's file, a database busy past its
    // timeout) keeps none of the others from being replayed.
    const left = (why: string) => warn(`a usage journal left by process ${pid} ${why}: the rows in it are not in the usage log yet (it stays at ${claimed}, tried again at the next start)`);
    try {
      const bytes = statSync(claimed).size;
      if (bytes > REPLAY_MAX_BYTES) {
        left(`holds ${Math.round(bytes / 1024 / 1024)} MiB, more than a journal of a moment's rows can (${REPLAY_MAX_BYTES / 1024 / 1024} MiB): it was not read`);
        continue;
      }
      const rows = rowsOf(readFileSync(claimed, 'utf8'));
      const refused = replay(rows);
      if (refused.length > 0) {
        const aside = join(dir, `usage-refused-${pid}-${randomBytes(4).toString('hex')}.ndjson`);
        writeFileSync(aside, refused.map(({ row }) => `${JSON.stringify(row)}\n`).join(''), { mode: 0o600 });
        warn(`a usage journal left by process ${pid} held ${refused.length} row(s) the usage log refuses (${refused[0]?.why}): they are set aside in ${aside}, and the other ${rows.length - refused.length} are in the log`);
      }
      unlinkSync(claimed);
    } catch (error) {
      left(`could not be replayed (${error instanceof Error ? error.message : String(error)})`);
    }
  }
}

/**
 * Writes journalled rows into `db`'s inbox unless the log has them (settle first: they are looked
 * for in `usage`), in one transaction; returns those the table refuses. A row refused (a bug's, or
 * a hand-edited line) is set aside, not allowed to hold up the rows beside it at every start: a
 * refused INSERT undoes itself, not the transaction.
 */
export function createReplay(db: Db): (rows: unknown[][]) => { row: unknown[]; why: string }[] {
  const insert = db.prepare(`INSERT INTO usage_inbox (${COLUMNS}) VALUES (${Array(COLUMN_COUNT).fill('?').join(', ')})`);
  const present = db.prepare<[unknown, unknown], number>('SELECT 1 FROM usage WHERE request_id = ? AND at = ?').pluck();
  return writeTransaction(db, (rows: unknown[][]) => {
    const refused: { row: unknown[]; why: string }[] = [];
    for (const row of rows) {
      if (present.get(row[0], row[1])) continue;
      try {
        insert.run(row);
      } catch (error) {
        if (!String((error as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT')) throw error;
        refused.push({ row, why: (error as Error).message });
      }
    }
    return refused;
  });
}

/**
 * What a data dir holds of usage rows outside the log (for `switchyard doctor`): the files of rows a
 * replay set aside (each with its count of rows), and journals a replay could not read, left for the
 * next start (those of processes still running are being replayed now, and are not counted).
 */
export function usageOutsideTheLog(dataDir: string): { refused: { file: string; rows: number }[]; unreplayed: string[] } {
  const found = { refused: [] as { file: string; rows: number }[], unreplayed: [] as string[] };
  let names: string[] = [];
  quietly(() => (names = readdirSync(dataDir).sort()));
  for (const name of names) {
    const file = join(dataDir, name);
    if (REFUSED.test(name)) quietly(() => found.refused.push({ file, rows: readFileSync(file, 'utf8').split('\n').filter(Boolean).length }));
    const claimant = name.endsWith('.replaying') ? NAME.exec(name)?.[1] : undefined;
    if (claimant !== undefined && !alive(Number(claimant))) found.unreplayed.push(file);
  }
  return found;
}

/** A journal's rows: a torn line (a process killed mid-write) or one that is not a row's columns is skipped. */
function rowsOf(text: string): unknown[][] {
  const rows: unknown[][] = [];
  for (const line of text.split('\n')) {
    const row = parsed(line);
    if (row) rows.push(row);
  }
  return rows;
}

function parsed(line: string): unknown[] | undefined {
  if (line === '') return undefined;
  try {
    const row: unknown = JSON.parse(line);
    return Array.isArray(row) && row.length === COLUMN_COUNT && row.every(isColumnValue) ? row : undefined;
  } catch {
    return undefined;
  }
}

function quietly(work: () => void): void {
  try {
    work();
  } catch {
    // Said where it is called: nothing is lost, only left for later.
  }
}

/** A journal of this process's own pid that is not one of its own was left by an earlier process with the same pid (a container's). */
function alive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
