/**
 * Config revisions in SQLite. Every applied config is a new row, so an import can be undone by
 * hand and the current config is simply the newest row.
 */
import type { Config } from '../config/schema';
import type { Db } from './db';

export interface ConfigStore {
  current(): Config | undefined;
  save(config: Config, source: string): number;
}

export function createConfigStore(db: Db, now: () => number = Date.now): ConfigStore {
  const latest = db.prepare<[], { json: string }>('SELECT json FROM config_revisions ORDER BY id DESC LIMIT 1');
  const insert = db.prepare<[number, string, string]>('INSERT INTO config_revisions (created_at, source, json) VALUES (?, ?, ?)');
  return {
    current() {
      const row = latest.get();
      return row ? (JSON.parse(row.json) as Config) : undefined;
    },
    save(config, source) {
      return Number(insert.run(now(), source, JSON.stringify(config)).lastInsertRowid);
    },
  };
}
