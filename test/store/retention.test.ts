/**
 * What a gateway deletes at start (and hourly) as past keeping: expired login links and admin
 * sessions (every start prints a link, every desktop launch makes a session), while the live ones
 * keep working; config revisions beyond the newest thousand. Health history and usage have their own
 * tests (breaker-history, usage-log).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { Config } from '../../gateway/config/schema';
import { createConfigStore, REVISIONS_KEPT } from '../../gateway/store/config-store';
import { openDatabase } from '../../gateway/store/db';
import { startGateway, tempDir } from '../support/harness';

const data = tempDir();
afterAll(() => data.remove());
const config: Config = { version: 1, providers: [], deployments: [], routes: [] };

it('deletes expired login links and sessions when it starts, and keeps those still valid', async () => {
  let clock = Date.parse('2026-11-01T10:00:00Z');
  const first = await startGateway(config, { dataDir: data.path, now: () => clock });
  const oldSession = first.gateway.sessions.createSession();
  first.gateway.sessions.issueLoginToken();
  await first.stop();

  clock += 31 * 86_400_000;
  const second = await startGateway(config, { dataDir: data.path, now: () => clock });
  const liveSession = second.gateway.sessions.createSession();
  const liveToken = second.gateway.sessions.issueLoginToken();
  try {
    const db = new Database(join(data.path, 'switchyard.db'), { readonly: true });
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    // The first run's sessions (30 days: the harness's and the test's) and link (24 h) are gone; the
    // second run's two sessions and its link are there.
    expect([count('admin_sessions'), count('admin_tokens')]).toEqual([2, 1]);
    db.close();
    expect(second.gateway.sessions.valid(oldSession)).toBe(false);
    expect(second.gateway.sessions.valid(liveSession)).toBe(true);
    expect(second.gateway.sessions.redeem(liveToken)).toEqual(expect.any(String));
  } finally {
    await second.stop();
  }
});

it('keeps the newest thousand config revisions, and says a pruned one is not there', async () => {
  const dir = tempDir();
  try {
    const db = openDatabase(dir.path);
    const configs = createConfigStore(db);
    // Each a change from the one before (the same config again is no revision), the last the one the gateway starts with.
    for (let i = 0; i < REVISIONS_KEPT + 5; i++) configs.save({ ...config, ...(i % 2 === 1 ? { settings: { localOnly: true } } : {}) }, `edit ${i}`);
    db.close();
    const h = await startGateway(config, { dataDir: dir.path });
    try {
      const db = new Database(join(dir.path, 'switchyard.db'), { readonly: true });
      const rows = db.prepare('SELECT id, source FROM config_revisions ORDER BY id').all() as { id: number; source: string }[];
      db.close();
      // The five oldest edits went (the start applied the same config again: no new revision).
      expect(rows).toHaveLength(REVISIONS_KEPT);
      expect([rows[0]!.source, rows.at(-1)!.source]).toEqual(['edit 5', `edit ${REVISIONS_KEPT + 4}`]);
      expect((await h.admin(`/admin/api/config/revisions/${rows[0]!.id}`)).status).toBe(200);
      expect((await h.admin(`/admin/api/config/revisions/${rows[0]!.id - 1}`)).status).toBe(404);
    } finally {
      await h.stop();
    }
  } finally {
    dir.remove();
  }
});
