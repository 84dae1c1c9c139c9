/**
 * The names a route or provider had, on a real database: noted as revisions are saved, followed back
 * through renames and undos, ended where a name was given to another since, each span minute-aligned.
 */
import { afterEach, expect, it } from 'vitest';
import type { Config } from '../../gateway/config/schema';
import { createConfigStore } from '../../gateway/store/config-store';
import { openDatabase, type Db } from '../../gateway/store/db';
import { renamesNoted, scopeNames } from '../../gateway/store/scope-names';
import { tempDir } from '../support/harness';

const opened: { db: Db; dir: { remove(): void } }[] = [];
afterEach(() => opened.splice(0).forEach(({ db, dir }) => (db.close(), dir.remove())));
function database(): Db {
  const dir = tempDir();
  const db = openDatabase(dir.path);
  opened.push({ db, dir });
  return db;
}

const MINUTE = 60_000;
const t0 = Date.parse('2026-11-01T00:00:00Z');
const at = (minutes: number, seconds = 0) => t0 + minutes * MINUTE + seconds * 1000;

it('follows a route back through its renames, ends a name given to another since, and keeps kinds apart', () => {
  const db = database();
  const note = renamesNoted(db);
  const names = scopeNames(db);
  note('route', new Map([['default', 'main']]), at(10, 30));
  note('route', new Map([['main', 'coder']]), at(20, 15));
  // A new route takes the old name "default".
  note('route', new Map([['draft', 'default']]), at(30));
  note('provider', new Map([['coder', 'elsewhere']]), at(40));

  expect(names('route', 'coder', t0)).toEqual([
    { name: 'coder', from: at(20), until: undefined },
    { name: 'main', from: at(10), until: at(21) },
    { name: 'default', from: t0, until: at(11) },
  ]);
  // The new "default" is "draft" before it, and "default" only since it was taken again.
  expect(names('route', 'default', t0)).toEqual([
    { name: 'default', from: at(30), until: undefined },
    { name: 'draft', from: t0, until: at(31) },
  ]);
  // A period that starts after the first rename: its spans start there.
  expect(names('route', 'coder', at(15))).toEqual([
    { name: 'coder', from: at(20), until: undefined },
    { name: 'main', from: at(15), until: at(21) },
  ]);
  expect(names('route', 'elsewhere', t0)).toEqual([{ name: 'elsewhere', from: t0, until: undefined }]);
  expect(names('provider', 'elsewhere', t0)).toEqual([{ name: 'elsewhere', from: at(40), until: undefined }, { name: 'coder', from: t0, until: at(41) }]);
});

it('follows a rename undone within the same millisecond, in the order the revisions were saved, counting no minute twice', () => {
  const db = database();
  const note = renamesNoted(db);
  note('route', new Map([['default', 'main']]), at(5));
  note('route', new Map([['main', 'default']]), at(5));
  expect(scopeNames(db)('route', 'default', t0)).toEqual([
    { name: 'default', from: at(5), until: undefined },
    { name: 'main', from: at(5), until: at(6) },
    { name: 'default', from: t0, until: at(5) },
  ]);
});

it('is noted as a revision is saved: routes and providers renamed, deployments not', () => {
  const db = database();
  let now = at(1);
  const configs = createConfigStore(db, () => now);
  const config = (route: string, provider: string, deployment: string) =>
    ({
      providers: [{ name: provider, kind: 'ollama', baseUrl: 'http://127.0.0.1:11434' }],
      deployments: [{ name: deployment, provider, model: 'llama3.2' }],
      routes: [{ name: route, deployments: [deployment] }],
    }) as Config;
  configs.save(config('default', 'local', 'llama'), 'first start');
  now = at(7);
  configs.save(config('main', 'ollama', 'local-llama'), 'import edited.json');
  const names = scopeNames(db);
  expect(names('route', 'main', t0)).toEqual([{ name: 'main', from: at(7), until: undefined }, { name: 'default', from: t0, until: at(8) }]);
  expect(names('provider', 'ollama', t0)).toEqual([{ name: 'ollama', from: at(7), until: undefined }, { name: 'local', from: t0, until: at(8) }]);
  expect(db.prepare("SELECT COUNT(*) AS n FROM scope_renames WHERE from_name = 'llama'").get()).toEqual({ n: 0 });
});
