import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createConfigStore } from '../../gateway/store/config-store';
import { openDatabase } from '../../gateway/store/db';
import { tempDir } from '../support/harness';

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

describe('the SQLite store', () => {
  it('opens the data dir database in WAL mode at the current schema version', () => {
    const dir = tempDir();
    dirs.push(dir);
    const db = openDatabase(dir.path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThan(0);
    db.close();
  });

  it('keeps temporary tables in memory, so no usage figure is written outside the data dir', () => {
    const dir = tempDir();
    dirs.push(dir);
    const db = openDatabase(dir.path);
    expect(db.pragma('temp_store', { simple: true })).toBe(2);
    db.close();
  });

  it('keeps every config as a revision and returns the newest', () => {
    const dir = tempDir();
    dirs.push(dir);
    const db = openDatabase(dir.path);
    const store = createConfigStore(db, () => 1000);
    expect(store.current()).toBeUndefined();
    store.save({ version: 1, providers: [], deployments: [], routes: [] }, 'a');
    store.save({ version: 1, providers: [{ name: 'p', kind: 'ollama', baseUrl: 'http://x' }], deployments: [], routes: [] }, 'b');
    expect(store.current()?.providers).toHaveLength(1);
    expect(db.prepare('SELECT count(*) AS n FROM config_revisions').get()).toEqual({ n: 2 });
    db.close();
  });

  it('refuses a database written by a newer version instead of corrupting it', () => {
    const dir = tempDir();
    dirs.push(dir);
    const raw = new Database(join(dir.path, 'switchyard.db'));
    raw.pragma('user_version = 999');
    raw.close();
    expect(() => openDatabase(dir.path)).toThrow(/newer Switchyard/);
  });
});
