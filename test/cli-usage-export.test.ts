/** The built CLI's `usage export`: a large log to a slow pipe, a reader that stops early, one session's rows. */
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../gateway/store/db';
import { createUsageLog } from '../gateway/store/usage-log';
import { BIN, baseEnv, dir, run, useCliCleanups } from './support/cli';

useCliCleanups();

describe('switchyard usage export', () => {
  it('delivers every row of a 100,000-row log to a slow pipe before it exits', async () => {
    const data = dir();
    const db = openDatabase(data);
    const log = createUsageLog(db);
    const at = Date.parse('2026-11-01T00:00:00Z');
    await Promise.all(
      Array.from({ length: 100_000 }, (_, i) =>
        log.recordSoon({
          id: `req_${i}`, at: at + i, endpoint: 'chat.completions', api: 'openai', cacheReadTokens: null, cacheWriteTokens: null, clientKey: 'anonymous', model: 'default', route: 'default', deployment: 'llama', provider: 'local',
          status: 200, errorClass: null, errorMessage: null, session: null, attempts: [{ deployment: 'llama', provider: 'local', outcome: 'ok', latencyMs: 5 }], fallback: false, stream: false, cached: false,
          inputTokens: 10, outputTokens: 20, tokensEstimated: false, cost: 0, wouldCost: 0.0001, saved: 0.0001, ttftMs: 3, totalMs: 5,
        }),
      ),
    );
    db.close();
    const child = spawn(process.execPath, [BIN, 'usage', 'export', '--data-dir', data], { env: baseEnv() });
    let lines = 0;
    let last = '';
    // A reader that takes a chunk, then pauses: what `| less` or a slow network does.
    child.stdout.on('data', (chunk: Buffer) => {
      const text = last + chunk.toString('utf8');
      const parts = text.split('\n');
      last = parts.pop() ?? '';
      lines += parts.length;
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), 2);
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(last).toBe('');
    expect(lines).toBe(100_001);
  }, 60_000);

  it('writes one session\'s rows with --session', async () => {
    const data = dir();
    const db = openDatabase(data);
    const log = createUsageLog(db);
    for (const [i, session] of ['claude-1', null, 'claude-1'].entries()) {
      log.record({
        id: `req_${i}`, at: Date.parse('2026-11-01T00:00:00Z') + i, endpoint: 'anthropic.messages', api: 'anthropic', cacheReadTokens: null, cacheWriteTokens: null, clientKey: 'anonymous', model: 'default', route: 'default', deployment: 'llama', provider: 'local',
        status: 200, errorClass: null, errorMessage: null, session, attempts: [], fallback: false, stream: false, cached: false,
        inputTokens: 10, outputTokens: 20, tokensEstimated: false, cost: 0, wouldCost: 0, saved: 0, ttftMs: 3, totalMs: 5,
      });
    }
    db.close();
    const exported = run(['usage', 'export', '--session', 'claude-1', '--format', 'json', '--data-dir', data]);
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout).map((r: { id: string; session: string }) => `${r.id}:${r.session}`)).toEqual(['req_0:claude-1', 'req_2:claude-1']);
  });

  it('stops quietly, with status 0, when its reader stops early (| head)', async () => {
    const data = dir();
    const db = openDatabase(data);
    const log = createUsageLog(db);
    await Promise.all(
      Array.from({ length: 20_000 }, (_, i) =>
        log.recordSoon({
          id: `req_${i}`, at: Date.parse('2026-11-01T00:00:00Z') + i, endpoint: 'chat.completions', api: 'openai', cacheReadTokens: null, cacheWriteTokens: null, clientKey: 'anonymous', model: 'default', route: 'default', deployment: 'llama', provider: 'local',
          status: 200, errorClass: null, errorMessage: null, session: null, attempts: [], fallback: false, stream: false, cached: false,
          inputTokens: 10, outputTokens: 20, tokensEstimated: false, cost: 0, wouldCost: 0, saved: 0, ttftMs: 3, totalMs: 5,
        }),
      ),
    );
    db.close();
    const result = spawnSync('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${BIN}" usage export --data-dir "${data}" | head -1`], { env: baseEnv(), encoding: 'utf8', timeout: 20_000 });
    expect(result.stdout).toMatch(/^request_id,/);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
