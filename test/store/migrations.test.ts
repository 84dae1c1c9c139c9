import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createClientKeyStore } from '../../gateway/store/client-keys';
import { createConfigStore } from '../../gateway/store/config-store';
import { openDatabase, type Db } from '../../gateway/store/db';
import { BIN_COLUMNS, FINE_COLUMNS } from '../../gateway/store/latency-bins';
import { MIGRATIONS } from '../../gateway/store/migrations';
import { createUsageLog } from '../../gateway/store/usage-log';
import { tempDir } from '../support/harness';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'store');

/** Migrations as they shipped: a user's data dir has run them, so their text must never change. */
const SHIPPED = ['b1b88e24b66192d5', '65c0a389efba4c71', '05ca06fb1592469c', '391e89f94f6c57bd', '0075d0f4aa781051', '9e4d302227ce9b10', '6ec5873754ed596d', 'b4e852e44f52fc0c', 'a2d3c60ae0e53abe', '516e8b428f324230', 'aec0705d22c50708', '1699c631420dda2a', '236b783d0fee3d13', 'b69869e7da9ce0e7', 'f24695f9be850d43', '8c78e8dd9ecf45c0', 'a27eadd78b47282a', 'ff02f3beb8c3d641', '532195f31330a005', 'ab56fc2f4170683e', 'c10cd1ea4bc19234', '60a3af174a69a9a6', '12c3d0bd994c426d', 'f8d5623191efbcb3', '093a94a86da73cca', 'a033895419558dbc', 'c73334126e0dda77'];

const dirs: { remove(): void }[] = [];
const dbs: Db[] = [];
afterEach(() => {
  dbs.splice(0).forEach((db) => db.open && db.close());
  dirs.splice(0).forEach((d) => d.remove());
});

/** A data dir holding a copy of a fixture database, opened (and so migrated) by the gateway's store. */
function openCopy(fixture: string | undefined): Db {
  const dir = tempDir();
  dirs.push(dir);
  if (fixture) copyFileSync(join(FIXTURES, fixture), join(dir.path, 'switchyard.db'));
  const db = openDatabase(dir.path);
  dbs.push(db);
  return db;
}

/** The schema as SQLite keeps it: every table, index and column, whatever order the migrations made them in. */
function schema(db: Db): string[] {
  const objects = db.prepare<[], { type: string; name: string }>("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all();
  return objects.flatMap((o) => {
    if (o.type !== 'table') return [`${o.type} ${o.name}`];
    const columns = db.prepare<[], { name: string; type: string; notnull: number; pk: number }>(`PRAGMA table_info(${JSON.stringify(o.name)})`).all();
    return [`table ${o.name}: ${columns.map((c) => `${c.name} ${c.type}${c.notnull ? ' not null' : ''}${c.pk ? ' pk' : ''}`).join(', ')}`];
  });
}

describe('schema migrations', () => {
  it('are never edited once shipped', () => {
    const hashes = MIGRATIONS.map((m) => createHash('sha256').update(m).digest('hex').slice(0, 16));
    expect(hashes.slice(0, SHIPPED.length)).toEqual(SHIPPED);
  });

  it('replay in full on an empty file, up to the newest version', () => {
    const db = openCopy(undefined);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const tables = schema(db).filter((line) => line.startsWith('table ')).map((line) => line.split(':')[0]);
    for (const table of ['config_revisions', 'health_samples', 'breaker_transitions', 'usage', 'usage_minute', 'usage_hour', 'usage_day', 'usage_bodies', 'response_cache', 'client_keys', 'admin_tokens', 'admin_sessions', 'responses', 'usage_inbox', 'response_items']) {
      expect(tables).toContain(`table ${table}`);
    }
    // The rollups' latency histogram columns are literal DDL; the code that fills them must agree.
    const rollupColumns = db.prepare<[], { name: string }>('PRAGMA table_info(usage_minute)').all().map((c) => c.name);
    expect(rollupColumns.filter((c) => /^l\d+$/.test(c))).toEqual(BIN_COLUMNS);
    expect(rollupColumns.filter((c) => /^f\d+$/.test(c))).toEqual(FINE_COLUMNS);
    // Rows move from the inbox into the log column for column: both must keep the same columns.
    const columns = (table: string) => db.prepare<[], { name: string; type: string; notnull: number }>(`PRAGMA table_info(${table})`).all().map((c) => `${c.name} ${c.type} ${c.notnull}`);
    expect(columns('usage_inbox')).toEqual(columns('usage').filter((c) => !c.startsWith('id ')));
  });

  it('bring a version-1 database to the same schema as a new one, keeping its config', () => {
    const upgraded = openCopy('v1.db');
    expect(upgraded.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(schema(upgraded)).toEqual(schema(openCopy(undefined)));
    expect(createConfigStore(upgraded).current()?.routes).toEqual([{ name: 'default', deployments: ['llama'] }]);
  });

  it("bind the keys of revisions saved before their uses were kept (22), as those saved after", () => {
    const dir = tempDir();
    dirs.push(dir);
    const raw = new Database(join(dir.path, 'switchyard.db'));
    for (const [i, migration] of MIGRATIONS.slice(0, 21).entries()) {
      raw.exec(migration);
      raw.pragma(`user_version = ${i + 1}`);
    }
    const provider = (baseUrl: string) => ({ version: 1, providers: [{ name: 'cloud', kind: 'openai', baseUrl, apiKey: 'env:OPENAI_API_KEY' }, { name: 'local', kind: 'ollama', baseUrl: 'http://127.0.0.1:11434' }], deployments: [], routes: [] });
    raw.prepare('INSERT INTO config_revisions (created_at, source, json) VALUES (1, ?, ?)').run('first', JSON.stringify(provider('https://api.openai.com/v1')));
    raw.close();
    const db = openDatabase(dir.path);
    dbs.push(db);
    const configs = createConfigStore(db);
    configs.save(provider('https://openrouter.ai/api/v1') as never, 'later');
    expect(configs.keyUses()).toEqual(expect.arrayContaining([{ reference: 'env:OPENAI_API_KEY', baseUrl: 'https://api.openai.com/v1' }, { reference: 'env:OPENAI_API_KEY', baseUrl: 'https://openrouter.ai/api/v1' }]));
    expect(configs.keyUses()).toHaveLength(2);
  });

  it('bring the last shipped database (version 5) forward with its usage, rollups and keys intact', () => {
    // Read from the file's header (user_version, at byte 60): opened, even read-only, a WAL database
    // gets -shm and -wal files beside it, in the checkout.
    expect(readFileSync(join(FIXTURES, 'v5.db')).readUInt32BE(60)).toBe(5);
    const db = openCopy('v5.db');
    expect(schema(db)).toEqual(schema(openCopy(undefined)));
    const log = createUsageLog(db);
    expect(log.list({}, { limit: 10 }).rows.map((r) => r.id)).toEqual(['req_v5_2', 'req_v5_1', 'req_v5_0']);
    expect(log.rollups({}, 'day', 'none')[0]).toMatchObject({ requests: 3, inputTokens: 30, outputTokens: 15 });
    // Rolled up before the rollups kept tools: under none.
    expect(log.rollups({}, 'day', 'tool')).toEqual([expect.objectContaining({ group: '', requests: 3, inputTokens: 30 })]);
    expect(createClientKeyStore(db).list().map((k) => k.name)).toEqual(['editor']);
  });
});
