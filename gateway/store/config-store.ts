/**
 * Config revisions in SQLite. Every applied config is a new row, so the current config is simply
 * the newest row, and an earlier one can be looked at and applied again (as a new row: history is
 * never rewritten). The newest `REVISIONS_KEPT` are kept: a tray toggle or a dashboard edit is a
 * revision each, and a config can run to hundreds of kilobytes. What other tables keep by a name
 * a revision renames (client keys' limits, probe history) follows it in the same transaction, and
 * the renames of routes and providers are noted (their budgets count each name they had: scope-names.ts),
 * so every path that saves one (the dashboard, an import, a restore, an edited file) carries them alike.
 */
import { referencesOf, type KeyUse } from '../config/key-binding';
import { renamesOf, type Rename } from '../config/renames';
import type { Config } from '../config/schema';
import { keyLimitsFollowing } from './client-keys';
import { writeTransaction, type Db } from './db';
import { probesFollowing } from './health-history';
import { renamesNoted } from './scope-names';

export interface ConfigRevision {
  id: number;
  createdAt: number;
  /** What applied it: "first start", "import FILE", "admin api: DELETE /admin/api/routes/x", "restore 12", ... */
  source: string;
}

/** The revisions, for the commands and pages that show and restore them. */
export interface ConfigHistory {
  /** The newest `limit` revisions, newest first. */
  list(limit: number): ConfigRevision[];
  get(id: number): Config | undefined;
}

export interface ConfigStore extends ConfigHistory {
  current(): Config | undefined;
  /** Each key reference with each base URL a revision gave it, saved ones since pruned included. */
  keyUses(): KeyUse[];
  /**
   * Saves a revision; client keys limited to a name it renames follow (config/renames.ts finds
   * them, `renamed` says those its maker knows of), and so does a renamed provider's probe history.
   * Renamed routes and providers are noted with the instant. The config in force again (an import
   * of the same file, a form saved as it was) is no revision: the history lists changes. Says
   * whether it saved one.
   */
  save(config: Config, source: string, renamed?: ReadonlyMap<string, string>): boolean;
  /** Deletes all but the newest `REVISIONS_KEPT` revisions. */
  prune(): void;
}

export const REVISIONS_KEPT = 1_000;

/** JSON with every object's keys in one order: a config whose fields came in another order (a form's) is the same config. */
function keysSorted(config: Config): string {
  return JSON.stringify(config, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : value,
  );
}

export function createConfigStore(db: Db, now: () => number = Date.now): ConfigStore {
  const latest = db.prepare<[], { json: string }>('SELECT json FROM config_revisions ORDER BY id DESC LIMIT 1');
  const insert = db.prepare<[number, string, string]>('INSERT INTO config_revisions (created_at, source, json) VALUES (?, ?, ?)');
  const newest = db.prepare<[number], ConfigRevision>('SELECT id, created_at AS createdAt, source FROM config_revisions ORDER BY id DESC LIMIT ?');
  const one = db.prepare<[number], { json: string }>('SELECT json FROM config_revisions WHERE id = ?');
  const noteKeyUse = db.prepare<[string, string]>('INSERT OR IGNORE INTO config_key_uses (reference, base_url) VALUES (?, ?)');
  const noteKeyUses = (config: Config) => {
    for (const provider of config.providers) for (const { reference } of referencesOf(provider)) noteKeyUse.run(reference, provider.baseUrl);
  };
  const keyUses = db.prepare<[], KeyUse>('SELECT reference, base_url AS baseUrl FROM config_key_uses');
  const keyLimitsFollow = keyLimitsFollowing(db);
  const probesFollow = probesFollowing(db);
  const noteRenames = renamesNoted(db);
  const saveRevision = writeTransaction(db, (config: Config, source: string, renamed?: ReadonlyMap<string, string>) => {
    const json = JSON.stringify(config);
    const before = latest.get();
    if (before?.json === json) return false;
    const was = before && (JSON.parse(before.json) as Config);
    if (was && keysSorted(was) === keysSorted(config)) return false;
    if (was) {
      const renames = renamesOf(was, config, renamed);
      const of = (...kinds: Rename['kind'][]) => new Map(renames.filter((r) => kinds.includes(r.kind)).map((r) => [r.from, r.to]));
      keyLimitsFollow(of('route', 'deployment'));
      probesFollow(of('provider'));
      noteRenames('route', of('route'), now());
      noteRenames('provider', of('provider'), now());
    }
    noteKeyUses(config);
    insert.run(now(), source, json);
    return true;
  });
  const older = db.prepare<[number]>('DELETE FROM config_revisions WHERE id <= (SELECT id FROM config_revisions ORDER BY id DESC LIMIT 1 OFFSET ?)');
  return {
    current() {
      const row = latest.get();
      return row ? (JSON.parse(row.json) as Config) : undefined;
    },
    save: (config, source, renamed) => saveRevision(config, source, renamed),
    keyUses: () => keyUses.all(),
    list: (limit) => newest.all(limit),
    prune: () => void older.run(REVISIONS_KEPT),
    get(id) {
      const row = one.get(id);
      return row ? (JSON.parse(row.json) as Config) : undefined;
    },
  };
}
