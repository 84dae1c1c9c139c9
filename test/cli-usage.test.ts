/** The built CLI's `usage export` (a large log to a slow pipe, a reader that stops early, one session's rows) and `usage summary`. */
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../gateway/store/db';
import { createUsageLog } from '../gateway/store/usage-log';
import type { UsageRow } from '../gateway/store/usage-types';
import { join } from 'node:path';
import { BIN, baseEnv, config, dir, run, useCliCleanups, writeJson } from './support/cli';

useCliCleanups();

/** A row a local model answered at `at`, with `fields` changed. */
const row = (i: number, at: number, fields: Partial<UsageRow> = {}): UsageRow => ({
  id: `req_${i}`, at, endpoint: 'chat.completions', api: 'openai', cacheReadTokens: null, cacheWriteTokens: null, clientKey: 'anonymous', model: 'default', route: 'default', deployment: 'llama', provider: 'local',
  status: 200, errorClass: null, errorMessage: null, session: null, tool: null, attempts: [], fallback: false, stream: false, cached: false,
  inputTokens: 10, outputTokens: 20, tokensEstimated: false, cost: 0, wouldCost: 0, saved: 0, ttftMs: 3, totalMs: 5, ...fields,
});

describe('switchyard usage export', () => {
  it('delivers every row of a 100,000-row log to a slow pipe before it exits', async () => {
    const data = dir();
    const db = openDatabase(data);
    const log = createUsageLog(db);
    const at = Date.parse('2026-11-01T00:00:00Z');
    await Promise.all(
      Array.from({ length: 100_000 }, (_, i) =>
        log.recordSoon(row(i, at + i, { attempts: [{ deployment: 'llama', provider: 'local', outcome: 'ok', latencyMs: 5 }], wouldCost: 0.0001, saved: 0.0001 })),
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
      log.record(row(i, Date.parse('2026-11-01T00:00:00Z') + i, { endpoint: 'anthropic.messages', api: 'anthropic', session }));
    }
    db.close();
    const exported = run(['usage', 'export', '--session', 'claude-1', '--format', 'json', '--data-dir', data]);
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout).map((r: { id: string; session: string }) => `${r.id}:${r.session}`)).toEqual(['req_0:claude-1', 'req_2:claude-1']);
  });

  it("reads --since's date as its midnight on this machine's clock, and refuses a date the calendar has not", () => {
    const data = dir();
    const db = openDatabase(data);
    const log = createUsageLog(db);
    // 23:30 on 9 November and 00:30 on the 10th in New York (UTC-5): a day apart there, one day in UTC.
    for (const [i, at] of ['2026-11-10T04:30:00Z', '2026-11-10T05:30:00Z'].entries()) log.record(row(i, Date.parse(at)));
    db.close();
    const ids = (since: string) => JSON.parse(run(['usage', 'export', '--since', since, '--format', 'json', '--data-dir', data], { TZ: 'America/New_York' }).stdout).map((r: { id: string }) => r.id);
    expect(ids('2026-11-10')).toEqual(['req_1']);
    expect(ids('2026-11-09T23:31')).toEqual(['req_1']);
    expect(ids('2026-11-10T04:30:00Z')).toEqual(['req_0', 'req_1']);
    for (const since of ['2026-02-30', 'Nov 10 2026']) {
      expect(run(['usage', 'export', '--since', since, '--data-dir', data])).toMatchObject({ code: 2, stdout: '', stderr: `--since "${since}" is not a date (2026-11-01: its midnight), a time (2026-11-01T08:00, or with its offset: 2026-11-01T08:00:00Z) or epoch milliseconds, as this machine's clock reads it\n` });
    }
  });

  it("writes one tool's rows with --tool, sums them by tool or of one, and says when no row names the tool", () => {
    const data = dir();
    const db = openDatabase(data);
    const log = createUsageLog(db);
    const now = Date.now() - 1_000;
    for (const [i, tool] of ['Claude Code', 'Codex', null, 'Claude Code'].entries()) log.record(row(i, now + i, { tool, cost: tool === 'Codex' ? 0.5 : 0.25 }));
    db.close();
    const exported = run(['usage', 'export', '--tool', 'Claude Code', '--format', 'json', '--data-dir', data]);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toBe('');
    expect(JSON.parse(exported.stdout).map((r: { id: string; tool: string }) => `${r.id}:${r.tool}`)).toEqual(['req_0:Claude Code', 'req_3:Claude Code']);
    // The tool as typed loosely finds no rows, and is told the names the log has.
    const typo = run(['usage', 'export', '--tool', 'claude code', '--data-dir', data]);
    expect(typo.code).toBe(0);
    expect(typo.stderr).toBe('Note: the usage log has no rows from a tool named "claude code" (did you mean "Claude Code"?); it has rows from "Claude Code", "Codex".\n');
    expect(typo.stdout.trim().split('\n')).toHaveLength(1);

    const byTool = JSON.parse(run(['usage', 'summary', '--by', 'tool', '--format', 'json', '--data-dir', data], { TZ: 'UTC' }).stdout);
    expect(byTool.lines.map((l: { name: string | null; requests: number; costUsd: number }) => [l.name, l.requests, l.costUsd])).toEqual([['Claude Code', 2, 0.5], ['Codex', 1, 0.5], [null, 1, 0.25]]);
    const table = run(['usage', 'summary', '--by', 'tool', '--data-dir', data], { TZ: 'UTC' }).stdout.trimEnd().split('\n');
    expect(table.find((l) => l.startsWith('unnamed  '))).toBeDefined();
    expect(table.at(-1)).toBe('unnamed: requests whose headers named no tool, and those counted before the rollups kept tools');
    const ofCodex = run(['usage', 'summary', '--by', 'provider', '--tool', 'Codex', '--data-dir', data], { TZ: 'UTC' }).stdout.split('\n');
    expect(ofCodex[0]).toMatch(/^Usage from Codex over the last 7 days /);
    expect(ofCodex.find((l) => l.startsWith('total '))?.split(/\s{2,}/).slice(0, 2)).toEqual(['total', '1']);
  });

  it('stops quietly, with status 0, when its reader stops early (| head)', async () => {
    const data = dir();
    const db = openDatabase(data);
    const log = createUsageLog(db);
    await Promise.all(
      Array.from({ length: 20_000 }, (_, i) =>
        log.recordSoon(row(i, Date.parse('2026-11-01T00:00:00Z') + i)),
      ),
    );
    db.close();
    const result = spawnSync('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${BIN}" usage export --data-dir "${data}" | head -1`], { env: baseEnv(), encoding: 'utf8', timeout: 20_000 });
    expect(result.stdout).toMatch(/^request_id,/);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('switchyard usage summary', () => {
  it('adds up the last days per deployment (or provider), from the day rollups, and each budget in its period, as a table or JSON', () => {
    const data = dir();
    const db = openDatabase(data);
    const log = createUsageLog(db);
    const now = Date.now() - 1_000;
    const day = 86_400_000;
    const rows = [
      row(0, now, { saved: 0.001, wouldCost: 0.001 }),
      row(1, now, { saved: 0.001, wouldCost: 0.001, inputTokens: 1_000 }),
      row(2, now, { deployment: 'mini', provider: 'cloud', fallback: true, cost: 0.0068, wouldCost: 0.0068 }),
      row(3, now, { deployment: null, provider: null, status: 503, errorClass: 'all_deployments_failed', inputTokens: 0, outputTokens: 0 }),
      // A request that named its deployment itself: no route.
      row(4, now - 3 * day, { route: null }),
      // Before the week: not counted.
      row(5, now - 10 * day, { deployment: 'mini', provider: 'cloud', cost: 1 }),
    ];
    for (const r of rows) log.record(r);
    db.close();
    const env = { TZ: 'UTC' };
    // A config whose daily budget today's cloud answer passed.
    const budgets = [{ name: 'daily', scope: 'global', period: 'day', limitUsd: 0.005 }];
    expect(run(['import', writeJson(join(data, 'config.json'), { ...config, budgets }), '--data-dir', data], env).code).toBe(0);

    const week = run(['usage', 'summary', '--format', 'json', '--data-dir', data], env);
    expect(week.code).toBe(0);
    const summary = JSON.parse(week.stdout);
    expect(summary).toMatchObject({ days: 7, by: 'deployment', timeZone: 'UTC', total: { requests: 5, failed: 1, fellBack: 1, inputTokens: 1_030 } });
    expect(summary.since).toBe(new Date(Math.floor(now / day) * day - 6 * day).toISOString());
    expect(summary.lines.map((l: { name: string | null; requests: number }) => [l.name, l.requests])).toEqual([['llama', 3], ['mini', 1], [null, 1]]);
    expect(summary.total.costUsd).toBeCloseTo(0.0068, 9);
    expect(summary.total.savedUsd).toBeCloseTo(0.002, 9);
    expect(summary.budgets).toMatchObject([{ name: 'daily', scope: 'global', limitUsd: 0.005, exceeded: true, inFlightUsd: 0 }]);
    expect(summary.budgets[0].spentUsd).toBeCloseTo(0.0068, 9);

    const today = JSON.parse(run(['usage', 'summary', '--days', '1', '--by', 'provider', '--format', 'json', '--data-dir', data], env).stdout);
    expect(today.lines.map((l: { name: string | null; requests: number }) => [l.name, l.requests])).toEqual([['local', 2], ['cloud', 1], [null, 1]]);

    const table = run(['usage', 'summary', '--data-dir', data], env);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Usage over the last 7 days \(since \d{4}-\d\d-\d\d 00:00 UTC\), by deployment:$/);
    expect(lines[1]).toMatch(/^deployment\s+requests\s+failed\s+fell back\s+cached\s+tokens in\s+tokens out\s+cost\s+saved$/);
    expect(lines.slice(2).map((l) => l.split(/\s{2,}/))).toEqual([
      ['llama', '3', '0', '0', '0', '1,020', '60', '$0', '$0.0020'],
      ['mini', '1', '0', '1', '0', '10', '20', '$0.0068', '$0'],
      ['none answered', '1', '1', '0', '0', '0', '0', '$0', '$0'],
      ['total', '5', '1', '1', '0', '1,030', '80', '$0.0068', '$0.0020'],
      ['Budgets, each in its own period:'],
      ['', 'daily', 'global, per day', '$0.0068 of $0.0050, spent (skip-paid)', expect.stringMatching(/^resets \d{4}-\d\d-\d\d 00:00:00$/)],
    ]);

    // By route, the requests without one are said what they are: a deployment named itself, or refused.
    const byRoute = run(['usage', 'summary', '--by', 'route', '--data-dir', data], env).stdout.trimEnd().split('\n');
    expect(byRoute.find((l) => l.startsWith('no route  '))).toBeDefined();
    expect(byRoute.at(-3)).toBe('no route: requests that named a deployment itself, and requests refused before routing');

    for (const [args, error] of [
      [['--days', '0'], /^--days "0" is not a whole number of days from 1 \(today\) to 9999$/m],
      [['--days', '10000'], /^--days "10000" is not a whole number of days from 1 \(today\) to 9999$/m],
      [['--by', 'model'], /^--by "model" is not one of deployment, route, provider, key/],
      [['--format', 'csv'], /^Unknown format "csv": use table or json/],
      [['--session', 'x'], /^switchyard usage summary does not read --session: it takes only --data-dir, --format, --days, --by, --tool\./],
    ] as const) {
      const refused = run(['usage', 'summary', ...args, '--data-dir', data], env);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(error);
    }
  });
});
