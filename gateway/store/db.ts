/**
 * The one SQLite file in the data dir: opened in WAL mode, schema versioned by `user_version`.
 * Each store module prepares its own statements once against the handle returned here.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { USAGE_MIGRATION } from './usage-log';

export type Db = Database.Database;

/** Ordered migrations; index + 1 is the `user_version` after it ran. Never edit one that shipped. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE config_revisions (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     created_at INTEGER NOT NULL,
     source TEXT NOT NULL,
     json TEXT NOT NULL
   );`,
  `CREATE TABLE health_samples (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     provider TEXT NOT NULL,
     at INTEGER NOT NULL,
     ok INTEGER NOT NULL,
     latency_ms REAL,
     error TEXT,
     detail TEXT
   );
   CREATE INDEX health_samples_provider_at ON health_samples (provider, at);
   CREATE TABLE breaker_transitions (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     deployment TEXT NOT NULL,
     at INTEGER NOT NULL,
     from_state TEXT NOT NULL,
     to_state TEXT NOT NULL,
     reason TEXT NOT NULL
   );
   CREATE INDEX breaker_transitions_at ON breaker_transitions (at);`,
  USAGE_MIGRATION,
  `CREATE TABLE response_cache (
     key TEXT PRIMARY KEY,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     last_hit_at INTEGER NOT NULL,
     hits INTEGER NOT NULL DEFAULT 0,
     bytes INTEGER NOT NULL,
     deployment TEXT NOT NULL,
     provider TEXT NOT NULL,
     kind TEXT NOT NULL,
     payload TEXT NOT NULL
   ) WITHOUT ROWID;
   CREATE INDEX response_cache_expires ON response_cache (expires_at);
   CREATE INDEX response_cache_last_hit ON response_cache (last_hit_at);
   CREATE TABLE client_keys (
     name TEXT PRIMARY KEY,
     hash TEXT NOT NULL UNIQUE,
     prefix TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     revoked_at INTEGER,
     rate_limit_per_minute INTEGER,
     allowed_routes TEXT
   );`,
  `CREATE TABLE admin_tokens (hash TEXT PRIMARY KEY, expires_at INTEGER NOT NULL, used_at INTEGER) WITHOUT ROWID;
   CREATE TABLE admin_sessions (hash TEXT PRIMARY KEY, expires_at INTEGER NOT NULL) WITHOUT ROWID;`,
];

export function openDatabase(dataDir: string, fileName = 'switchyard.db'): Db {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new Database(join(dataDir, fileName));
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode (only an OS crash can lose the last commits).
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`the database was written by a newer Switchyard (schema ${current}, this one knows ${MIGRATIONS.length})`);
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
