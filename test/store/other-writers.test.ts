import { describe, expect, it } from 'vitest';
import type { Db } from '../../gateway/store/db';
import { watchOtherWriters } from '../../gateway/store/other-writers';

describe('watching for other writers', () => {
  it('survives a failing check: the first failure of a run is reported, and changes are seen again once checks work', async () => {
    // SQLite's data_version as a test sets it: a number, or an error (a disk error, a busy connection).
    let version: number | Error = 1;
    let checks = 0;
    const db = {
      pragma: () => {
        checks++;
        if (version instanceof Error) throw version;
        return version;
      },
    } as unknown as Db;
    const failures: unknown[] = [];
    let changes = 0;
    const stop = watchOtherWriters(db, () => changes++, (error) => failures.push(error), 5);
    try {
      version = new Error('disk I/O error');
      const from = checks;
      await expect.poll(() => checks - from).toBeGreaterThan(3);
      expect(failures).toEqual([version]);
      version = 2;
      await expect.poll(() => changes).toBe(1);
      version = new Error('database is locked');
      await expect.poll(() => failures).toHaveLength(2);
    } finally {
      stop();
    }
  });
});
