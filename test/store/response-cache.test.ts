/**
 * Emptying the response cache a few entries at a time: a purge of a full cache (or the hourly prune
 * of a cache whose entries all expired) leaves requests served between its steps, and serves none of
 * what it purges from the moment it is asked.
 */
import { describe, expect, it } from 'vitest';
import { createResponseCache } from '../../gateway/store/response-cache';
import { turnsDuring } from '../support/event-loop';
import { useUsageLog } from '../support/usage-log';

const { db } = useUsageLog();
let clock = 1_000_000;
const cache = createResponseCache(db, () => clock);
const entries = () => db.prepare('SELECT COUNT(*) FROM response_cache').pluck().get() as number;
const fill = (count: number, ttlMs: number) => {
  for (let i = 0; i < count; i++) cache.put(`k${i}`, { deployment: 'd', provider: 'p', kind: 'openai.chat', payload: { answer: `${i}`.padEnd(2_000, '.') } }, ttlMs, 1 << 30);
};
describe('the response cache', () => {
  it('purges in steps, serving nothing it purges from the call on, and keeps what is cached after', async () => {
    fill(1_000, 60_000);
    let purging: Promise<number> | undefined;
    const { result, turns } = await turnsDuring(() => {
      purging = cache.purge();
      // Asked for, not yet deleted: no longer served.
      expect(entries()).toBeGreaterThan(900);
      expect(cache.get('k1')).toBeUndefined();
      clock++;
      cache.put('fresh', { deployment: 'd', provider: 'p', kind: 'openai.chat', payload: { answer: 'new' } }, 60_000, 1 << 30);
      return purging;
    });
    expect(result).toBe(1_000);
    expect(turns).toBeGreaterThanOrEqual(10);
    expect(entries()).toBe(1);
    expect(cache.get('fresh')?.payload).toEqual({ answer: 'new' });
    expect(cache.stats(1 << 30)).toMatchObject({ entries: 1 });
  });

  it('prunes expired entries in steps and keeps the live ones', async () => {
    await cache.purge();
    clock++;
    fill(1_000, 10);
    cache.put('live', { deployment: 'd', provider: 'p', kind: 'openai.chat', payload: { answer: 'live' } }, 60_000, 1 << 30);
    clock += 100;
    const { turns } = await turnsDuring(() => cache.pruneExpired());
    expect(turns).toBeGreaterThanOrEqual(10);
    expect(entries()).toBe(1);
    expect(cache.get('live')?.payload).toEqual({ answer: 'live' });
  });
});
