/**
 * The one SQLite file in the data dir: opened in WAL mode, brought to the newest schema by the
 * migrations in migrations.ts (versioned by `user_version`). Each store module prepares its own
 * statements once against the handle returned here.
 * Every transaction is made with `writeTransaction` (below).
 *
 * The file holds usage, cached answers and (when enabled) prompts: it is created private (0600;
 * SQLite gives its -wal and -shm files the same mode) in a private directory (0700), and deleted
 * rows are overwritten (`secure_delete`), so a purge leaves no text behind in the file.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

export interface OpenOptions {
  fileName?: string;
  /** Told what was fixed (a data dir or file readable by others). */
  onWarning?: (message: string) => void;
}

/** The database's file name in a data dir. */
export const DB_FILE = 'switchyard.db';

/** How long a write waits for another connection's lock before it fails with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5_000;
/** How long a scrub keeps trying while readers hold the WAL: theirs are reads of milliseconds. */
const SCRUB_GIVE_UP_MS = 60_000;

export function openDatabase(dataDir: string, options: OpenOptions = {}): Db {
  const path = join(dataDir, options.fileName ?? DB_FILE);
  makePrivate(dataDir, path, options.onWarning);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode (only an OS crash can lose the last commits).
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('secure_delete = ON');
  // The usage rollup's scratch table (and its journal) stay in memory: with SQLite's default they
  // were files in /var/tmp, opened and unlinked about once per hundred requests, outside the
  // private data dir.
  db.pragma('temp_store = MEMORY');
  migrate(db);
  return db;
}

/** The database's size on disk: the file and its WAL and shared-memory files beside it. */
export function databaseBytes(dataDir: string): number {
  const path = join(dataDir, DB_FILE);
  let bytes = 0;
  for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) bytes += statSync(file).size;
  return bytes;
}

/**
 * After deleting text (a cache purge, expired bodies): moves the overwritten pages into the file and
 * empties the WAL. Emptying it waits for every reader of the WAL (the reader thread's statement in
 * progress, another process's read), and SQLite's busy handler would wait on the event loop, holding
 * every request: so each try is made without waiting, and a busy one is made again on a later turn.
 * False if readers held the WAL for a minute (the next scrub tries again) or the database closed.
 */
export async function scrub(db: Db): Promise<boolean> {
  const started = Date.now();
  for (let pause = 5; db.open; pause = Math.min(2 * pause, 1_000)) {
    if (truncateWal(db)) return true;
    if (Date.now() - started > SCRUB_GIVE_UP_MS) return false;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
  return false;
}

function truncateWal(db: Db): boolean {
  const waits = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    return result?.busy === 0;
  } finally {
    db.pragma(`busy_timeout = ${waits}`);
  }
}

/**
 * A transaction, begun IMMEDIATE: it takes the write lock before its first statement. Begun as a
 * read (SQLite's default), one that reads before it writes cannot write once another connection (a
 * command beside a running gateway) has committed in between: SQLITE_BUSY_SNAPSHOT, which no busy
 * timeout waits out (`usage summary` beside a gateway under load failed so in 3 of 12 runs).
 */
export function writeTransaction<F extends (...args: never[]) => unknown>(db: Db, fn: F): (...args: Parameters<F>) => ReturnType<F> {
  return db.transaction(fn).immediate as unknown as (...args: Parameters<F>) => ReturnType<F>;
}

function makePrivate(dataDir: string, path: string, warn: ((message: string) => void) | undefined): void {
  if (!existsSync(dataDir)) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const dirMode = statSync(dataDir).mode & 0o777;
  if (process.platform !== 'win32' && (dirMode & 0o077) !== 0) {
    chmodSync(dataDir, 0o700);
    warn?.(`The data dir ${dataDir} was readable by other users (mode ${dirMode.toString(8)}); it is now 0700`);
  }
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (!existsSync(file) || process.platform === 'win32') continue;
    const mode = statSync(file).mode & 0o777;
    if ((mode & 0o077) === 0) continue;
    chmodSync(file, 0o600);
    warn?.(`${file} was readable by other users (mode ${mode.toString(8)}); it is now 0600`);
  }
}

function migrate(db: Db): void {
  const version = () => db.pragma('user_version', { simple: true }) as number;
  if (version() > MIGRATIONS.length) {
    throw new Error(`the database was written by a newer Switchyard (schema ${version()}, this one knows ${MIGRATIONS.length})`);
  }
  // The version is read again under the write lock: a gateway and a command opening a new file at
  // once (or after an upgrade) would otherwise both apply the same step, and the second fail on it.
  const step = writeTransaction(db, () => {
    const current = version();
    if (current >= MIGRATIONS.length) return;
    db.exec(MIGRATIONS[current] as string);
    db.pragma(`user_version = ${current + 1}`);
  });
  while (version() < MIGRATIONS.length) step();
}
