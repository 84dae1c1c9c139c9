/** Each session added up from the usage log: the newest first, under the same filters as rows, and bounded however many rows one session has. */
import { expect, it } from 'vitest';
import type { UsageRow } from '../../gateway/store/usage-log';
import { useUsageLog } from '../support/usage-log';

const { db, log } = useUsageLog();

const T0 = Date.parse('2026-11-20T00:00:00Z');
let n = 0;
const row = (minute: number, session: string | null, deployment: string, overrides: Partial<UsageRow> = {}): UsageRow => ({
  id: `req_${n++}`, at: T0 + minute * 60_000, endpoint: 'anthropic.messages', api: 'anthropic', cacheReadTokens: null, cacheWriteTokens: null, clientKey: 'anonymous', model: 'default', route: 'default',
  deployment, provider: deployment === 'mini' ? 'cloud' : 'local', status: 200, errorClass: null, errorMessage: null, session, tool: null, attempts: [], fallback: false, stream: true, cached: false,
  inputTokens: 100, outputTokens: 10, tokensEstimated: false, cost: deployment === 'mini' ? 0.01 : 0, wouldCost: 0.01, saved: deployment === 'mini' ? 0 : 0.01, ttftMs: 5, totalMs: 50,
  ...overrides,
});

it('adds up each session, the most recently active first, under the filters rows take', () => {
  log.record(row(0, 'a', 'llama', { tool: 'Codex' }));
  log.record(row(1, 'a', 'mini', { status: 503, errorClass: 'upstream_5xx', tool: 'Claude Code' }));
  log.record(row(2, null, 'llama'));
  log.record(row(3, 'b', 'mini', { tool: 'curl' }));
  log.record(row(4, 'a', 'llama', { fallback: true }));
  log.record(row(5, 'a', 'llama', { clientKey: 'ci' }));
  expect(log.sessions({}, 10)).toEqual([
    { session: 'a', clientKey: 'ci', tool: null, requests: 1, errors: 0, fallbacks: 0, inputTokens: 100, outputTokens: 10, cost: 0, saved: 0.01, firstAt: T0 + 300_000, lastAt: T0 + 300_000, deployments: ['llama'] },
    // Its tool is its newest request's (the last of the three sent none).
    { session: 'a', clientKey: 'anonymous', tool: null, requests: 3, errors: 1, fallbacks: 1, inputTokens: 300, outputTokens: 30, cost: 0.01, saved: 0.02, firstAt: T0, lastAt: T0 + 240_000, deployments: ['llama', 'mini'] },
    { session: 'b', clientKey: 'anonymous', tool: 'curl', requests: 1, errors: 0, fallbacks: 0, inputTokens: 100, outputTokens: 10, cost: 0.01, saved: 0, firstAt: T0 + 180_000, lastAt: T0 + 180_000, deployments: ['mini'] },
  ]);
  expect(log.sessions({ deployment: 'mini', clientKey: 'anonymous' }, 10).map((s) => [s.session, s.requests, s.deployments])).toEqual([['b', 1, ['mini']], ['a', 1, ['mini']]]);
  expect(log.sessions({ since: T0 + 150_000 }, 10).map((s) => `${s.session}/${s.clientKey}:${s.requests}`)).toEqual(['a/ci:1', 'a/anonymous:1', 'b/anonymous:1']);
  expect(log.sessions({}, 1).map((s) => s.clientKey)).toEqual(['ci']);
  // One session named: its tool is still its newest request's.
  expect(log.sessions({ session: 'a', until: T0 + 90_000 }, 10).map((s) => s.tool)).toEqual(['Claude Code']);
});

it('finds the recent sessions among the newest 20,000 session rows, however long one of them is, and a named one however old', () => {
  const many = db.transaction(() => {
    log.record(row(10, 'old', 'llama'));
    log.record(row(10, 'old-cloud', 'mini'));
    for (let i = 0; i < 30_000; i++) log.record(row(11 + i / 1000, 'app-wide', 'llama'));
  });
  many();
  const found = log.sessions({ since: T0 + 9 * 60_000 }, 10);
  // The whole of the long session is added up; the one before the bound is not found.
  expect(found.map((s) => [s.session, s.requests])).toEqual([['app-wide', 30_000]]);
  // A filter only narrows those newest rows: it never makes the query read past them.
  expect(log.sessions({ since: T0 + 9 * 60_000, deployment: 'mini' }, 10)).toEqual([]);
  // Named, it is found (through its own index entries, not a pass over the newer rows).
  expect(log.sessions({ session: 'old' }, 10).map((s) => [s.session, s.requests])).toEqual([['old', 1]]);
});
