/**
 * What stays on disk: files private to the user, purged text gone from the file, and no open
 * handle left behind by a start that failed.
 */
import Database from 'better-sqlite3';
import { chmodSync, existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createGateway } from '../../gateway/server';
import { openDatabase } from '../../gateway/store/db';
import { createResponseCache } from '../../gateway/store/response-cache';
import { createUsageLog } from '../../gateway/store/usage-log';
import type { UsageRow } from '../../gateway/store/usage-types';
import { tempDir } from '../support/harness';

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
const dir = () => {
  const d = tempDir();
  dirs.push(d);
  return d.path;
};
const mode = (path: string) => statSync(path).mode & 0o777;

function row(i: number, at: number): UsageRow {
  return {
    id: `r_${i}`, at, endpoint: 'chat.completions', api: 'openai', cacheReadTokens: null, cacheWriteTokens: null, clientKey: 'anonymous', model: 'default', route: 'default', deployment: 'llama', provider: 'local', status: 200, errorClass: null, errorMessage: null, session: null, tool: null,
    attempts: [{ deployment: 'llama', provider: 'local', outcome: 'ok', latencyMs: 5 }], fallback: false, stream: false, cached: false, inputTokens: 1, outputTokens: 1, tokensEstimated: false,
    cost: 0, wouldCost: 0, saved: 0, ttftMs: 1, totalMs: 5,
  };
}

describe('files at rest', () => {
  it('are created private: the data dir 0700, the database and its -wal and -shm 0600', () => {
    const data = join(dir(), 'fresh');
    const db = openDatabase(data);
    db.prepare('CREATE TABLE t (x)').run();
    expect(mode(data)).toBe(0o700);
    for (const file of ['switchyard.db', 'switchyard.db-wal', 'switchyard.db-shm']) expect(mode(join(data, file)), file).toBe(0o600);
    db.close();
  });

  it('are made private at start when they were not, with a notice saying so', () => {
    const data = dir();
    chmodSync(data, 0o755);
    new Database(join(data, 'switchyard.db')).close();
    chmodSync(join(data, 'switchyard.db'), 0o644);
    const notices: string[] = [];
    openDatabase(data, { onWarning: (m) => notices.push(m) }).close();
    expect(mode(data)).toBe(0o700);
    expect(mode(join(data, 'switchyard.db'))).toBe(0o600);
    expect(notices.join('\n')).toMatch(/readable by other users.*0700[\s\S]*readable by other users.*0600/);
  });
});

/** A database in a new data dir whose response cache holds an answer carrying a text found nowhere else. */
function cachedSentinel() {
  const data = dir();
  const db = openDatabase(data);
  const sentinel = `sentinel-${Math.random().toString(36).slice(2)}-text`;
  const cache = createResponseCache(db, () => Date.now());
  cache.put('k', { deployment: 'd', provider: 'p', kind: 'openai.chat', payload: { answer: sentinel } }, 60_000, 1 << 20);
  return { data, db, sentinel, cache };
}

describe('a purge', () => {
  it('leaves no cached answer and no logged body in the file or its WAL', async () => {
    const { data, db, sentinel, cache } = cachedSentinel();
    const log = createUsageLog(db);
    log.record(row(1, Date.now() - 30 * 86_400_000), { request: `{"prompt":"${sentinel}"}`, response: sentinel });
    const bytes = () => ['switchyard.db', 'switchyard.db-wal'].map((f) => join(data, f)).filter(existsSync).map((f) => readFileSync(f).toString('latin1')).join('');
    expect(bytes()).toContain(sentinel);
    await cache.purge();
    await log.prune(0, Date.now() - 7 * 86_400_000);
    expect(bytes()).not.toContain(sentinel);
    db.close();
  });

  it("waits for a reader of the WAL on later turns, not in SQLite's busy handler, and then empties the WAL", async () => {
    const { data, db, sentinel, cache } = cachedSentinel();
    // Another connection's statement in progress (as the reader thread's would be) holds a snapshot in the WAL.
    const reader = new Database(join(data, 'switchyard.db'), { readonly: true });
    const reading = reader.prepare('SELECT key FROM response_cache').iterate();
    reading.next();
    let purged = false;
    const purging = cache.purge().then((n) => {
      purged = true;
      return n;
    });
    let turns = 0;
    for (const started = Date.now(); Date.now() - started < 300; turns++) await new Promise((r) => setTimeout(r, 10));
    // Held in the busy handler, the purge would have taken the event loop for the busy timeout (5 s).
    expect(turns).toBeGreaterThan(5);
    expect(purged).toBe(false);
    reading.return?.();
    reader.close();
    expect(await purging).toBe(1);
    expect(statSync(join(data, 'switchyard.db-wal')).size).toBe(0);
    expect(readFileSync(join(data, 'switchyard.db')).toString('latin1')).not.toContain(sentinel);
    db.close();
  });
});

describe('usage rollups', () => {
  it('count rows written after a prune emptied the log', async () => {
    const db = openDatabase(dir());
    const log = createUsageLog(db);
    const now = Date.now();
    for (let i = 0; i < 5; i++) log.record(row(i, now - 200 * 86_400_000));
    log.rollup();
    await log.prune(now - 90 * 86_400_000, now - 7 * 86_400_000);
    expect(log.list({}, { limit: 10 }).rows).toHaveLength(0);
    for (let i = 5; i < 8; i++) log.record(row(i, now));
    expect(log.rollups({ since: now - 86_400_000 }, 'day', 'none').reduce((n, p) => n + p.requests, 0)).toBe(3);
    db.close();
  });
});

describe('a start that fails midway', () => {
  it('closes the database it opened and leaves no timer behind', async () => {
    const data = dir();
    const db = openDatabase(data);
    db.prepare('INSERT INTO config_revisions (created_at, source, json) VALUES (?, ?, ?)').run(Date.now(), 'hand edit', '{ not json');
    db.close();
    const timers = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    await expect(createGateway({ dataDir: data, port: 0, discoverOllama: false, healthChecks: false })).rejects.toThrow();
    const open = readdirSync('/proc/self/fd').flatMap((fd) => {
      try {
        return [readlinkSync(`/proc/self/fd/${fd}`)];
      } catch {
        return [];
      }
    });
    expect(open.filter((target) => target.startsWith(data))).toEqual([]);
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBeLessThanOrEqual(timers);
  });
});
