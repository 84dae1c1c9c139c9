/** The built CLI's `usage tail`: the last rows a line each, filtered, as JSON, and followed live beside a running `serve`. */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../gateway/store/db';
import { createUsageLog } from '../gateway/store/usage-log';
import type { UsageRow } from '../gateway/store/usage-types';
import { BIN, baseEnv, dir, onCleanup, run, serve, useCliCleanups, writeJson } from './support/cli';
import { startFakeOpenAI } from './support/fake-openai';

useCliCleanups();

const row = (i: number, fields: Partial<UsageRow> = {}): UsageRow => ({
  id: `req_${i}`, at: Date.now() - 60_000 + i, endpoint: 'chat.completions', api: 'openai', cacheReadTokens: null, cacheWriteTokens: null, clientKey: 'anonymous', model: 'default', route: 'default', deployment: 'llama', provider: 'local',
  status: 200, errorClass: null, errorMessage: null, session: null, tool: null, attempts: [], fallback: false, stream: false, cached: false,
  inputTokens: 12_345, outputTokens: 340, tokensEstimated: false, cost: 0, wouldCost: 0, saved: 0, ttftMs: null, totalMs: 1_234, ...fields,
});

function logOf(rows: UsageRow[]): string {
  const data = dir();
  const db = openDatabase(data);
  const log = createUsageLog(db);
  for (const r of rows) log.record(r);
  db.close();
  return data;
}

describe('switchyard usage tail', () => {
  it('says on stderr when a journal a killed gateway left cannot be replayed, and goes on', () => {
    const data = logOf([row(0)]);
    mkdirSync(join(data, 'usage-journal-4194400-0000dead.ndjson'));
    const tail = run(['usage', 'tail', '--data-dir', data]);
    expect(tail.code).toBe(0);
    expect(tail.stdout).toContain('12,345');
    expect(tail.stderr).toMatch(/^Note: a usage journal left by process 4194400 could not be replayed \(EISDIR.*the rows in it are not in the usage log yet \(it stays at .*\.replaying, tried again at the next start\)\n$/);
  });

  it('prints the last N requests oldest first, a line each: what was asked and what answered, after which failures, tokens, cost and time', () => {
    const data = logOf([
      row(0),
      row(1, { model: 'claude-sonnet-4-5', route: 'coder', deployment: 'mini', provider: 'cloud', api: 'anthropic', clientKey: 'editor', fallback: true, stream: true, ttftMs: 230, cost: 0.0123,
        attempts: [{ deployment: 'llama', provider: 'local', outcome: 'failed', failure: 'connect', latencyMs: 2 }, { deployment: 'mini', provider: 'cloud', outcome: 'ok', status: 200, latencyMs: 1_200 }] }),
      row(2, { deployment: null, provider: null, status: 503, errorClass: 'all_failed', errorMessage: 'Every deployment of route "default" failed: llama connect', inputTokens: null, outputTokens: null, totalMs: 40 }),
      row(3, { model: 'evil\u001b[2J\u202etxt.exe\nforged line', route: null, deployment: null, provider: null, status: 404, errorClass: 'model_not_found', errorMessage: 'no such model\u001b]0;owned\u0007\r\n200 fake', inputTokens: null, outputTokens: null, totalMs: 1 }),
      // A deployment asked for by its own name, and through an alias of it: no route between.
      row(4, { model: 'llama', route: null }),
      row(5, { model: 'claude-haiku-4-5', route: null }),
    ]);
    const tail = run(['usage', 'tail', '--lines', '5', '--data-dir', data]);
    expect(tail.stderr).toBe('');
    expect(tail.code).toBe(0);
    const lines = tail.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    const fields = lines.map((l) => l.split('  ').slice(1));
    expect(fields[0]).toEqual(['200', 'anthropic', 'editor', 'claude-sonnet-4-5 > coder > mini (after llama: connect)', 'in 12,345 out 340', '$0.0123', '1.2 s (first 230 ms)']);
    expect(fields[1]).toEqual(['503', 'openai', 'anonymous', 'default', '$0', '40 ms', 'all_failed: Every deployment of route "default" failed: llama connect']);
    // What a client named its model reaches the terminal as text: no escape, bell, override or line break.
    expect(fields[2]?.slice(0, 4)).toEqual(['404', 'openai', 'anonymous', 'evil [2J txt.exe forged line']);
    expect(tail.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect([fields[3]?.[3], fields[4]?.[3]]).toEqual(['llama', 'claude-haiku-4-5 > llama']);
    // Its time of day; with its date too when that is not today (a minute before a run just after midnight).
    expect(lines[0]).toMatch(/^(\d{4}-\d\d-\d\d )?\d\d:\d\d:\d\d {2}/);
  });

  it('keeps to one route, one session or one tool, and writes rows as JSON lines', () => {
    const data = logOf([row(0, { session: 's1' }), row(1, { route: 'coder', session: 's2', tool: 'Codex' }), row(2, { session: 's1' }), row(3)]);
    const json = (args: string[]) => run(['usage', 'tail', '--format', 'json', '--data-dir', data, ...args]).stdout.trimEnd().split('\n').map((l) => (JSON.parse(l) as UsageRow).id);
    expect(json([])).toEqual(['req_0', 'req_1', 'req_2', 'req_3']);
    expect(json(['--session', 's1'])).toEqual(['req_0', 'req_2']);
    expect(json(['--route', 'coder'])).toEqual(['req_1']);
    expect(json(['--tool', 'Codex'])).toEqual(['req_1']);
    expect(json(['-n', '1'])).toEqual(['req_3']);
    expect(run(['usage', 'tail', '--lines', '0', '--data-dir', data]).stdout).toBe('');
    // A route the stored config never named is likely a typo: said, since it would show nothing.
    run(['import', writeJson(join(dir(), 'c.json'), { version: 1, providers: [{ name: 'local', kind: 'ollama', baseUrl: 'http://127.0.0.1:11434' }], deployments: [{ name: 'llama', provider: 'local', model: 'llama3.2' }], routes: [{ name: 'default', deployments: ['llama'] }, { name: 'coder', deployments: ['llama'] }] }), '--data-dir', data]);
    expect(run(['usage', 'tail', '--route', 'codr', '--data-dir', data])).toMatchObject({ code: 0, stdout: '', stderr: 'Note: the config has no route named "codr" (did you mean "coder"?); only rows of a route once named so are shown.\n' });
    expect(run(['usage', 'tail', '--route', 'coder', '--data-dir', data]).stderr).toBe('');
  });

  it('refuses what it cannot do, naming it', () => {
    const data = logOf([row(0)]);
    expect(run(['usage', 'tail', '--lines', 'ten', '--data-dir', data])).toMatchObject({ code: 2, stderr: expect.stringContaining('--lines "ten" is not a whole number') });
    expect(run(['usage', 'tail', '--format', 'csv', '--data-dir', data])).toMatchObject({ code: 2, stderr: expect.stringContaining('use text or json') });
    expect(run(['usage', 'tail', '--since', '2026-01-01', '--data-dir', data])).toMatchObject({ code: 2, stderr: expect.stringContaining('switchyard usage tail does not read --since') });
    expect(run(['usage', 'export', '--follow', '--data-dir', data])).toMatchObject({ code: 2, stderr: expect.stringContaining('does not read --follow') });
  });

  it('with --follow prints each request a running gateway answers as it is logged, and stops on Ctrl-C', async () => {
    const upstream = await startFakeOpenAI();
    onCleanup(() => upstream.stop());
    const data = dir();
    const twoTier = {
      version: 1,
      providers: [
        { name: 'gone', kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1', healthCheck: { intervalMs: 0 } },
        { name: 'cloud', kind: 'openai', baseUrl: `${upstream.url}/v1`, apiKey: 'env:OPENAI_API_KEY', healthCheck: { intervalMs: 0 } },
      ],
      deployments: [{ name: 'first', provider: 'gone', model: 'gpt-4.1-mini' }, { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' }],
      routes: [{ name: 'default', deployments: ['first', 'mini'] }],
    };
    const { baseUrl } = await serve(['--port', '0', '--data-dir', data, '--config', writeJson(join(data, 'c.json'), twoTier)], { OPENAI_API_KEY: 'sk-test' });
    const client = new OpenAI({ baseURL: baseUrl, apiKey: 'anything', maxRetries: 0 });
    await client.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'before the tail' }] });

    const follower = spawn(process.execPath, [BIN, 'usage', 'tail', '--follow', '--lines', '0', '--format', 'json', '--data-dir', data], { env: baseEnv() });
    onCleanup(() => void (follower.exitCode === null && follower.kill('SIGKILL')));
    let out = '';
    follower.stdout.on('data', (d) => (out += d));
    const rows = () => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as UsageRow);
    // Started: it has opened the log (its first read is done once it waits for the next).
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await client.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'one' }] });
    await client.chat.completions.create({ model: 'mini', stream: true, messages: [{ role: 'user', content: 'two' }] }).then(async (s) => { for await (const _ of s) void _; });
    await expect(client.chat.completions.create({ model: 'no-such-route', messages: [{ role: 'user', content: 'three' }] })).rejects.toThrow();
    for (const until = Date.now() + 10_000; rows().length < 3 && Date.now() < until; ) await new Promise((resolve) => setTimeout(resolve, 100));

    expect(rows().map((r) => [r.model, r.deployment, r.status, r.fallback])).toEqual([
      ['default', 'mini', 200, true],
      ['mini', 'mini', 200, false],
      ['no-such-route', null, 404, false],
    ]);
    expect(rows()[0]?.attempts.map((a) => `${a.deployment}:${a.outcome}:${a.failure ?? ''}`)).toEqual(['first:failed:connect', 'mini:ok:']);
    const exited = new Promise<number | null>((resolve) => follower.once('exit', resolve));
    follower.kill('SIGINT');
    expect(await exited).toBe(0);
  }, 40_000);
});
