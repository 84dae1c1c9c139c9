/**
 * The usage log and the side writes while another process holds the write lock past the gateway's
 * short wait: rows wait in the journal (all of them, past what memory keeps), are committed once the
 * lock is free, and are replayed by the next start when the gateway stops first; side writes stop
 * trying for a moment (each try waits on the event loop) and say why.
 */
import Database from 'better-sqlite3';
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GATEWAY_LOCK_WAIT_MS, waitForLocksAtMost } from '../../gateway/store/busy';
import { DB_FILE, openDatabase, type Db } from '../../gateway/store/db';
import { createResponseCache } from '../../gateway/store/response-cache';
import { createSideWrites } from '../../gateway/store/side-writes';
import { createUsageLog } from '../../gateway/store/usage-log';
import { keepStickySessions } from '../../gateway/store/sticky-sessions';
import { createSessionMemory } from '../../gateway/routing/sessions';
import { tempDir } from '../support/harness';
import { journalLines, usageRow } from '../support/usage-log';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** A data dir with a gateway's connection (its short wait) and another process's, holding the write lock. */
function lockedDataDir(): { dir: string; db: Db; release(): void; hold(): void } {
  const dir = tempDir();
  const db = openDatabase(dir.path);
  waitForLocksAtMost(db, GATEWAY_LOCK_WAIT_MS);
  const other = new Database(join(dir.path, DB_FILE));
  other.exec('BEGIN IMMEDIATE');
  const release = () => {
    if (other.inTransaction) other.exec('COMMIT');
  };
  cleanups.push(() => dir.remove(), () => db.open && db.close(), () => (release(), other.close()));
  return { dir: dir.path, db, release, hold: () => other.exec('BEGIN IMMEDIATE') };
}

const rowsIn = (db: Db) => db.prepare<[], number>('SELECT (SELECT count(*) FROM usage) + (SELECT count(*) FROM usage_inbox)').pluck().get() as number;
describe('the usage log locked out', () => {
  it('resolves each row once it is journalled, keeps more than memory holds in the journal, and commits every one once the lock is free', async () => {
    const { dir, db, release } = lockedDataDir();
    const log = createUsageLog(db);
    const at = Date.now();
    // Past the 2,000 rows kept in memory while locked out: the rest are in the journal alone.
    const rows = Array.from({ length: 10_250 }, (_, i) => usageRow({ id: `locked-${i}`, at: at + i }));
    const journal = () => join(dir, readdirSync(dir).find((name) => name.startsWith('usage-journal-')) as string);
    for (let i = 0; i < rows.length; i += 500) {
      await Promise.all(rows.slice(i, i + 500).map((row) => log.recordSoon(row)));
      // A line longer than a step of the replay (not a row: skipped), among the rows.
      if (i === 5_000) appendFileSync(journal(), `${JSON.stringify(['x'.repeat(600 * 1024)])}\n`);
    }
    expect(rowsIn(db)).toBe(0);
    expect(journalLines(dir)).toBe(rows.length + 1);

    release();
    // The next row's commit (or the timer's try) finds the lock free.
    await log.recordSoon(usageRow({ id: 'after', at: at + rows.length }));
    // The journal ending in a line a short write cut (a full disk), as the replay then finds it.
    appendFileSync(journal(), '["torn');
    await expect.poll(() => rowsIn(db), { timeout: 10_000 }).toBe(rows.length + 1);
    log.settle();
    expect(db.prepare('SELECT count(DISTINCT request_id) FROM usage').pluck().get()).toBe(rows.length + 1);
    // Cut once its last step (the torn line) is read.
    await expect.poll(() => journalLines(dir)).toBe(0);
    await log.close();
  });

  it('reads the rows past what memory keeps back from the journal in steps, the event loop turning between them', async () => {
    const { dir, db, release } = lockedDataDir();
    const log = createUsageLog(db);
    const at = Date.now();
    const rows = Array.from({ length: 12_000 }, (_, i) => usageRow({ id: `stepped-${i}`, at: at + i }));
    for (let i = 0; i < rows.length; i += 500) await Promise.all(rows.slice(i, i + 500).map((row) => log.recordSoon(row)));
    release();
    // Counted at every turn of the event loop until all are in: a replay in one go would show none between nothing and all.
    const seen = new Set<number>();
    for (let count = rowsIn(db); count < rows.length; count = rowsIn(db)) {
      seen.add(count);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect([...seen].filter((count) => count > 2_000).length).toBeGreaterThan(2);
    expect(journalLines(dir)).toBe(0);
    await log.close();
  });

  it('leaves the rows in the journal when it closes locked out, and the next start commits them', async () => {
    const { dir, db, release } = lockedDataDir();
    const log = createUsageLog(db);
    const at = Date.now();
    await Promise.all(Array.from({ length: 20 }, (_, i) => log.recordSoon(usageRow({ id: `stopped-${i}`, at: at + i }))));
    await log.close();
    db.close();
    expect(journalLines(dir)).toBe(20);

    release();
    const next = openDatabase(dir);
    cleanups.push(() => next.close());
    const reopened = createUsageLog(next);
    reopened.settle();
    expect(rowsIn(next)).toBe(20);
    expect(journalLines(dir)).toBe(0);
    await reopened.close();
  });

  it('a query reads the rows (and rollups) already committed, without waiting for the lock', async () => {
    const { db, release, hold } = lockedDataDir();
    release();
    const log = createUsageLog(db);
    const at = Date.now();
    log.record(usageRow({ id: 'before', at }));
    log.rollup();
    hold();
    await log.recordSoon(usageRow({ id: 'waiting', at: at + 1 }));
    expect([...log.iterate({ since: at })].map((row) => row.id)).toEqual(['before']);
    expect(log.rollups({ since: 0 }, 'minute', 'none').reduce((n, point) => n + point.requests, 0)).toBe(1);
    release();
    await expect.poll(() => [...log.iterate({ since: at })].map((row) => row.id).sort()).toEqual(['before', 'waiting']);
    await log.close();
  });
});

describe('the answer cache locked out', () => {
  it('still serves its entries (their hit counts wait in memory), and writes the counts once the lock is free', () => {
    const { db, release, hold } = lockedDataDir();
    release();
    let now = 1_000_000;
    const cache = createResponseCache(db, () => now);
    const keys = Array.from({ length: 300 }, (_, i) => `key-${i}`);
    for (const key of keys) cache.put(key, { deployment: 'llama', provider: 'local', kind: 'chat', payload: { text: key } }, 3_600_000, 1e9);
    hold();
    // Past 256 keys hit, the counts would be written on a lookup: it must neither fail nor wait for the lock.
    for (const key of keys) expect(cache.get(key)?.payload).toEqual({ text: key });
    expect(cache.get('key-0')?.payload).toEqual({ text: 'key-0' });
    release();
    now += 1_000;
    expect(cache.stats(1e9)).toMatchObject({ entries: 300, hits: 301 });
  });
});

describe('the sticky sessions locked out', () => {
  it('are saved once the lock is free, each as it is then: a failed save loses none', () => {
    const { db, release, hold } = lockedDataDir();
    release();
    const now = () => 1_000_000;
    const memory = createSessionMemory(now);
    const sticky = keepStickySessions(db, memory, now);
    const key = (session: string) => ({ route: 'default', session, clientKey: undefined });
    memory.answered(key('gone'), 'llama');
    sticky.save();
    hold();
    for (const session of ['a', 'b', 'c']) memory.answered(key(session), 'llama');
    memory.forget(key('gone'));
    expect(() => sticky.save()).toThrow(/locked|busy/i);
    // Changed again after the failed save: its latest state is what is kept.
    memory.answered(key('b'), 'mini');
    memory.forget(key('c'));
    release();
    sticky.save();
    const saved = db.prepare<[], { id: string; deployment: string }>('SELECT id, deployment FROM sticky_sessions ORDER BY id').all();
    expect(saved.map((s) => [s.id.split('\u0000').at(-1), s.deployment])).toEqual([['a', 'llama'], ['b', 'mini']]);
  });
});

describe('side writes locked out', () => {
  it('stop trying for a second after one finds the lock held, and say it is a lock, not a full disk', () => {
    let now = 1_000_000;
    const writes = createSideWrites(() => undefined, () => now);
    const locked = () => {
      throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    };
    let tried = 0;
    const write = () => void tried++;
    writes.attempt('a cached answer', locked);
    writes.attempt('a health sample', write);
    expect(tried).toBe(0);
    expect(writes.problem()).toBe(
      "a cached answer: 1 failed since 1970-01-01T00:16:40.000Z (another program holds switchyard.db's write lock, such as a sqlite3 shell or database browser with changes not yet written); a health sample: 1 failed since 1970-01-01T00:16:40.000Z (another program holds switchyard.db's write lock, such as a sqlite3 shell or database browser with changes not yet written)",
    );
    now += 1_000;
    writes.attempt('a health sample', write);
    expect(tried).toBe(1);
    expect(writes.problem()).toMatch(/^a cached answer: 1 failed/);
  });
});
