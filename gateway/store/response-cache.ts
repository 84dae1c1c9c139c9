/**
 * The response cache in SQLite: entries by key with a TTL, and a size cap enforced by evicting
 * the least recently hit entries. Values are JSON; what goes in and how a key is made is decided
 * by routing/cache-policy.ts. A purge and the hourly prune of expired entries delete a few entries
 * at a time with requests served between: a full cache (256 MiB) purged in one statement held the
 * event loop for 1.2 s here.
 */
import { lockBackoff } from './busy';
import { scrub, writeTransaction, type Db } from './db';

/** Entries deleted at a time: a few MiB at most, each answer being capped. */
const STEP_ENTRIES = 64;

export interface CacheRecord {
  deployment: string;
  provider: string;
  kind: string;
  payload: unknown;
  createdAt: number;
}

export interface CacheStats {
  entries: number;
  bytes: number;
  hits: number;
  maxBytes: number;
}

export interface ResponseCache {
  get(key: string): CacheRecord | undefined;
  put(key: string, record: Omit<CacheRecord, 'createdAt'>, ttlMs: number, maxBytes: number): void;
  stats(maxBytes: number): CacheStats;
  /** Empties the cache: what it held is not served from the call on, and is gone when it resolves (with how many entries). */
  purge(): Promise<number>;
  pruneExpired(): Promise<void>;
}

export function createResponseCache(db: Db, now: () => number): ResponseCache {
  const select = db.prepare<[string], { payload: string; deployment: string; provider: string; kind: string; created_at: number; expires_at: number }>(
    'SELECT payload, deployment, provider, kind, created_at, expires_at FROM response_cache WHERE key = ?',
  );
  const touch = db.prepare('UPDATE response_cache SET hits = hits + ?, last_hit_at = ? WHERE key = ?');
  // Hits are counted in memory and written in batches: a hit must not cost a write transaction.
  const pendingHits = new Map<string, number>();
  const writeHits = writeTransaction(db, () => {
    const at = now();
    for (const [key, hits] of pendingHits) touch.run(hits, at, key);
    pendingHits.clear();
  });
  // None to write (the stats of a cache no one hit): no write lock taken, none waited for. While
  // another program holds the lock, the counts wait in memory (a lookup must not wait for it).
  const locked = lockBackoff(now);
  const unlessLocked = (write: () => void) => {
    if (locked.lockedOut()) return;
    try {
      write();
    } catch (error) {
      if (!locked.saw(error)) throw error;
    }
  };
  const flushHits = () => {
    if (pendingHits.size > 0) unlessLocked(writeHits);
  };
  const remove = db.prepare('DELETE FROM response_cache WHERE key = ?');
  const insert = db.prepare(
    'INSERT OR REPLACE INTO response_cache (key, created_at, expires_at, last_hit_at, hits, bytes, deployment, provider, kind, payload) VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, ?)',
  );
  const sizeOf = db.prepare<[string], { bytes: number }>('SELECT bytes FROM response_cache WHERE key = ?');
  const oldest = db.prepare<[], { key: string; bytes: number }>('SELECT key, bytes FROM response_cache ORDER BY last_hit_at LIMIT 64');
  const totals = db.prepare<[], { entries: number; bytes: number | null; hits: number | null }>('SELECT COUNT(*) AS entries, SUM(bytes) AS bytes, SUM(hits) AS hits FROM response_cache');
  let totalBytes = totals.get()?.bytes ?? 0;
  // Entries made at or before a purge began are not served while the purge deletes them.
  let purgedThrough = Number.NEGATIVE_INFINITY;
  const expired = db.prepare<[number], string>(`SELECT key FROM response_cache WHERE expires_at <= ? LIMIT ${STEP_ENTRIES}`).pluck();
  const madeBy = db.prepare<[string, number], string>(`SELECT key FROM response_cache WHERE key > ? AND created_at <= ? ORDER BY key LIMIT ${STEP_ENTRIES}`).pluck();
  const removeAll = writeTransaction(db, (keys: string[]) => {
    for (const key of keys) remove.run(key);
  });
  /** Removes the entries `next` names, a step at a time, until it names none; how many went. */
  const removeInSteps = async (next: () => string[]): Promise<number> => {
    let removed = 0;
    for (let keys = next(); keys.length > 0 && db.open; keys = next()) {
      removeAll(keys);
      removed += keys.length;
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (db.open) totalBytes = totals.get()?.bytes ?? 0;
    return removed;
  };

  const evict = writeTransaction(db, (maxBytes: number) => {
    flushHits();
    while (totalBytes > maxBytes) {
      const victims = oldest.all();
      if (victims.length === 0) break;
      for (const victim of victims) {
        remove.run(victim.key);
        totalBytes -= victim.bytes;
        if (totalBytes <= maxBytes * 0.9) return;
      }
    }
  });

  return {
    get(key) {
      const row = select.get(key);
      if (!row || row.created_at <= purgedThrough) return undefined;
      if (row.expires_at <= now()) {
        // Left for the hourly prune while another program holds the lock.
        unlessLocked(() => {
          remove.run(key);
          totalBytes -= Buffer.byteLength(row.payload);
        });
        return undefined;
      }
      pendingHits.set(key, (pendingHits.get(key) ?? 0) + 1);
      if (pendingHits.size >= 256) flushHits();
      return { deployment: row.deployment, provider: row.provider, kind: row.kind, payload: JSON.parse(row.payload), createdAt: row.created_at };
    },
    put(key, record, ttlMs, maxBytes) {
      const payload = JSON.stringify(record.payload);
      const bytes = Buffer.byteLength(payload);
      if (bytes > maxBytes) return;
      const at = now();
      // A key answered again replaces its entry: its old size leaves the total.
      const replaced = sizeOf.get(key)?.bytes ?? 0;
      insert.run(key, at, at + ttlMs, at, bytes, record.deployment, record.provider, record.kind, payload);
      totalBytes += bytes - replaced;
      if (totalBytes > maxBytes) evict(maxBytes);
    },
    stats(maxBytes) {
      flushHits();
      const row = totals.get();
      totalBytes = row?.bytes ?? 0;
      return { entries: row?.entries ?? 0, bytes: totalBytes, hits: row?.hits ?? 0, maxBytes };
    },
    async purge() {
      pendingHits.clear();
      const through = (purgedThrough = now());
      let after = '';
      const removed = await removeInSteps(() => {
        const keys = madeBy.all(after, through);
        after = keys.at(-1) ?? after;
        return keys;
      });
      // The purged text is not left in the WAL.
      await scrub(db);
      return removed;
    },
    async pruneExpired() {
      flushHits();
      await removeInSteps(() => expired.all(now()));
    },
  };
}
