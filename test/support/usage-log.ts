/** A usage log on a real SQLite file in a temporary data dir for a test file: opened now, closed and removed after the file's tests. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openDatabase, type Db } from '../../gateway/store/db';
import { createUsageLog, type UsageLog, type UsageRow } from '../../gateway/store/usage-log';
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

/** A usage row of a plain answered chat request, as a test starts from; `overrides` set what it is about. */
export function usageRow(overrides: Partial<UsageRow> & Pick<UsageRow, 'id' | 'at'>): UsageRow {
  return {
    endpoint: 'chat.completions', api: 'openai', cacheReadTokens: null, cacheWriteTokens: null, clientKey: 'anonymous', model: 'default', route: 'default',
    deployment: 'llama', provider: 'local', status: 200, errorClass: null, errorMessage: null, session: null, tool: null, attempts: [{ deployment: 'llama', provider: 'local', outcome: 'ok', latencyMs: 10 }],
    fallback: false, stream: false, cached: false, inputTokens: 10, outputTokens: 20, tokensEstimated: false, cost: 0, wouldCost: 0.001, saved: 0.001, ttftMs: 5, totalMs: 50,
    ...overrides,
  };
}

/** The rows waiting in a data dir's usage journals (the lines of every `usage-journal-*` file). */
export function journalLines(dataDir: string): number {
  let lines = 0;
  for (const name of readdirSync(dataDir)) if (name.startsWith('usage-journal-')) lines += readFileSync(join(dataDir, name), 'utf8').split('\n').filter(Boolean).length;
  return lines;
}
