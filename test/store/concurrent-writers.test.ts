/**
 * Another process writing the database beside this one (a command beside a running gateway, two
 * processes opening a new data dir at once): a transaction that reads before it writes takes the
 * write lock first, so a commit landing between its read and its write cannot fail it; the
 * migrations are applied once however many processes open the file; and a command that waits past
 * the busy timeout says why in words.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../gateway/config/schema';
import { createConfigStore } from '../../gateway/store/config-store';
import { DB_FILE, openDatabase, type Db } from '../../gateway/store/db';
import { MIGRATIONS } from '../../gateway/store/migrations';
import { createUsageLog } from '../../gateway/store/usage-log';
import { createRollupStep, UTC_DAYS, type DayZone } from '../../gateway/store/usage-rollups';
import { dir, runAsync, useCliCleanups } from '../support/cli';
import { usageRow } from '../support/usage-log';

useCliCleanups();
const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
});
const keep = (db: Db) => (open.push(db), db);

/** A second connection to the file, as another process has: it never waits for a lock. */
function otherProcess(dataDir: string): { commit(): string } {
  const other = keep(new Database(join(dataDir, DB_FILE)));
  other.pragma('busy_timeout = 0');
  const write = other.prepare('INSERT INTO sticky_sessions (id, deployment, at) VALUES (?, ?, ?)');
  let n = 0;
  return {
    /** Commits a row now: "committed", or the code SQLite refused it with. */
    commit() {
      try {
        write.run(`other-${n++}`, 'llama', Date.now());
        return 'committed';
      } catch (error) {
        return String((error as { code?: unknown }).code);
      }
    },
  };
}

describe('a transaction that reads before it writes, beside another writer', () => {
  it('a usage rollup step holds the lock from its first read (a commit in between waits, and the step goes through), and takes none with nothing to fold', () => {
    const data = dir();
    const db = keep(openDatabase(data));
    const log = createUsageLog(db);
    for (let i = 0; i < 5; i++) log.record(usageRow({ id: `r${i}`, at: Date.now() - i * 1_000 }));
    log.settle();
    const other = otherProcess(data);
    // The step asks the zone its days are in before it reads where the last step ended (once to see
    // whether there is anything to fold, then in its transaction): the last time is the moment
    // another process's commit would land between its read and its write.
    const between: string[] = [];
    const zone: DayZone = {
      dayAt: UTC_DAYS.dayAt,
      get zone() {
        between.push(other.commit());
        return 'UTC';
      },
    };
    const step = createRollupStep(db, zone);
    expect(step(100)).toBe(false);
    expect(between.at(-1)).toBe('SQLITE_BUSY');
    expect(db.prepare('SELECT SUM(requests) AS n FROM usage_minute').get()).toEqual({ n: 5 });
    expect(other.commit()).toBe('committed');
    // With nothing left to fold (as before most charts are read), a step takes no lock: one another
    // process holds is not waited for.
    const holder = keep(new Database(join(data, DB_FILE)));
    holder.exec('BEGIN IMMEDIATE');
    expect(step(100)).toBe(false);
    holder.exec('ROLLBACK');
  });

  it('a config save holds the lock from reading the revision it follows', () => {
    const data = dir();
    const db = keep(openDatabase(data));
    const config = { version: 1, providers: [{ name: 'local', kind: 'ollama', baseUrl: 'http://127.0.0.1:11434' }], deployments: [{ name: 'llama', provider: 'local', model: 'llama3.2:3b' }], routes: [{ name: 'default', deployments: ['llama'] }] } as Config;
    const other = otherProcess(data);
    const between: string[] = [];
    let armed = false;
    const store = createConfigStore(db, () => {
      if (armed) between.push(other.commit());
      return Date.now();
    });
    store.save(config, 'first');
    armed = true;
    store.save({ ...config, deployments: [{ name: 'llama', provider: 'local', model: 'qwen3:8b' }] }, 'second');
    expect(between[0]).toBe('SQLITE_BUSY');
    expect(store.current()?.deployments[0]?.model).toBe('qwen3:8b');
  });
});

describe('opening a data dir another process is migrating', () => {
  it('waits for that migration and applies none twice', async () => {
    const data = dir();
    // A file one migration behind, and another process half-way through that last one.
    const file = new Database(join(data, DB_FILE));
    file.pragma('journal_mode = WAL');
    for (const [version, migration] of MIGRATIONS.slice(0, -1).entries()) {
      file.exec(migration);
      file.pragma(`user_version = ${version + 1}`);
    }
    file.close();
    const migrating = keep(new Database(join(data, DB_FILE)));
    migrating.exec('BEGIN IMMEDIATE');
    migrating.exec(MIGRATIONS.at(-1) as string);
    const started = Date.now();
    const command = runAsync(['keys', 'list', '--data-dir', data]);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    migrating.pragma(`user_version = ${MIGRATIONS.length}`);
    migrating.exec('COMMIT');
    const result = await command;
    // It read the version before the migration was committed, and waited for the lock.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_500);
    expect(result).toMatchObject({ code: 0, stderr: 'No client keys yet: make one with "switchyard keys create NAME".\n' });
    expect(migrating.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
  });
});

describe('a command that finds the database locked past the busy timeout', () => {
  it('says so in words, and changes nothing', async () => {
    const data = dir();
    keep(openDatabase(data)).close();
    const holder = keep(new Database(join(data, DB_FILE)));
    holder.exec('BEGIN IMMEDIATE');
    const result = await runAsync(['keys', 'create', 'ci', '--data-dir', data]);
    holder.exec('ROLLBACK');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`The database in ${data} is busy: another process has held it for more than 5 seconds (a long command, or a program with ${DB_FILE} open). Try again once it is done.\n`);
    expect(holder.prepare('SELECT COUNT(*) AS n FROM client_keys').get()).toEqual({ n: 0 });
  }, 20_000);
});
