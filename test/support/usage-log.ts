/** A usage log on a real SQLite file in a temporary data dir for a test file: opened now, closed and removed after the file's tests. */
import { afterAll } from 'vitest';
import { openDatabase, type Db } from '../../gateway/store/db';
import { createUsageLog, type UsageLog } from '../../gateway/store/usage-log';
import { tempDir } from './harness';

export function useUsageLog(): { db: Db; log: UsageLog } {
  const dir = tempDir();
  const db = openDatabase(dir.path);
  const log = createUsageLog(db);
  afterAll(() => {
    db.close();
    dir.remove();
  });
  return { db, log };
}
