import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../gateway/store/db';
import { createUsageLog, type UsageRow } from '../../gateway/store/usage-log';
import { tempDir } from '../support/harness';
import { useUsageLog } from '../support/usage-log';

const { log } = useUsageLog();

const T0 = Date.parse('2026-11-20T00:00:00Z');
function row(i: number, overrides: Partial<UsageRow> = {}): UsageRow {
  return {
    id: `req_${i}`,
    at: T0 + i * 60_000,
    endpoint: 'chat.completions',
    api: 'openai',
    cacheReadTokens: null,
    cacheWriteTokens: null,
    clientKey: i % 2 ? 'editor' : 'anonymous',
    model: 'default',
    route: 'default',
    deployment: i % 3 === 0 ? 'mini' : 'llama',
    provider: i % 3 === 0 ? 'cloud' : 'local',
    status: i % 10 === 9 ? 503 : 200,
    errorClass: i % 10 === 9 ? 'upstream_5xx' : null,
    errorMessage: i % 10 === 9 ? 'upstream answered 502' : null,
    session: null,
    tool: null,
    attempts: [{ deployment: 'llama', provider: 'local', outcome: 'ok', latencyMs: 10 }],
    fallback: i % 7 === 0,
    stream: false,
    cached: i % 5 === 0,
    inputTokens: 10,
    outputTokens: 20,
    tokensEstimated: false,
    cost: i % 3 === 0 ? 0.001 : 0,
    wouldCost: 0.001,
    saved: i % 3 === 0 ? 0 : 0.001,
    ttftMs: 5,
    totalMs: (i % 100) * 10 + 5,
    ...overrides,
  };
}

for (let i = 0; i < 600; i++) log.record(row(i));

describe('usage queries', () => {
  it('filters by route, deployment, provider, key, status and cached', () => {
    const all = [...log.iterate({})];
    expect(all).toHaveLength(600);
    expect([...log.iterate({ deployment: 'mini' })]).toHaveLength(200);
    expect([...log.iterate({ provider: 'local', clientKey: 'editor' })].every((r) => r.provider === 'local' && r.clientKey === 'editor')).toBe(true);
    expect([...log.iterate({ status: 'error' })]).toHaveLength(60);
    expect([...log.iterate({ status: 503 })]).toHaveLength(60);
    expect([...log.iterate({ cached: true })]).toHaveLength(120);
    expect([...log.iterate({ since: T0 + 100 * 60_000, until: T0 + 200 * 60_000 })]).toHaveLength(100);
  });

  it('pages newest first with a cursor, never repeating or skipping a row', () => {
    const seen: string[] = [];
    let before: string | undefined;
    for (;;) {
      const page = log.list({ deployment: 'llama' }, { limit: 37, before });
      seen.push(...page.rows.map((r) => r.id));
      if (!page.next) break;
      before = page.next;
    }
    expect(seen).toHaveLength(400);
    expect(new Set(seen).size).toBe(400);
    expect(seen[0]).toBe('req_599');
  });

  it('rolls up per minute, hour and day with the same totals, and latency percentiles per deployment', () => {
    for (const granularity of ['minute', 'hour', 'day'] as const) {
      const points = log.rollups({}, granularity, 'none');
      expect(points.reduce((n, p) => n + p.requests, 0)).toBe(600);
      expect(points.reduce((n, p) => n + p.errors, 0)).toBe(60);
      expect(points.reduce((n, p) => n + p.cachedRequests, 0)).toBe(120);
      expect(points.reduce((n, p) => n + p.inputTokens, 0)).toBe(6000);
    }
    expect(log.rollups({}, 'day', 'none')).toHaveLength(1);
    expect(log.rollups({}, 'hour', 'none')).toHaveLength(10);
    const byDeployment = log.rollups({}, 'day', 'deployment');
    expect(byDeployment.map((p) => [p.group, p.requests])).toEqual([
      ['llama', 400],
      ['mini', 200],
    ]);
    const llama = byDeployment[0]!;
    // totalMs is spread evenly over 5..995 ms: p50 near 500, p95 near 950 (histogram bins).
    expect(llama.latencyP50Ms).toBeGreaterThan(300);
    expect(llama.latencyP50Ms).toBeLessThan(750);
    expect(llama.latencyP95Ms).toBeGreaterThan(750);
    expect(llama.latencyP95Ms).toBeLessThanOrEqual(1000);
  });

  it('rolls up in background steps and on demand without counting a row twice', async () => {
    const stepped = tempDir();
    const steppedDb = openDatabase(stepped.path);
    const steppedLog = createUsageLog(steppedDb);
    try {
      // One group commit of 4,500 rows crosses the rollup threshold: the rollups follow in steps.
      await Promise.all(Array.from({ length: 4_500 }, (_, i) => steppedLog.recordSoon(row(i, { id: `s_${i}`, at: T0 + i * 1_000 }))));
      // They move out of the inbox on the next turn, and the first rollup step follows at once.
      await new Promise((resolve) => setImmediate(resolve));
      // Partway: the first step is in, later steps wait for the event loop.
      const minuteTotal = () => (steppedDb.prepare('SELECT COALESCE(SUM(requests), 0) AS n FROM usage_minute').get() as { n: number }).n;
      expect(minuteTotal()).toBe(2_000);
      for (let i = 4_500; i < 5_000; i++) steppedLog.record(row(i, { id: `s_${i}`, at: T0 + i * 1_000 }));
      await new Promise((resolve) => setTimeout(resolve, 50));
      for (const granularity of ['minute', 'hour', 'day'] as const) {
        expect(steppedLog.rollups({}, granularity, 'none').reduce((n, p) => n + p.requests, 0)).toBe(5_000);
      }
      expect(minuteTotal()).toBe(5_000);
    } finally {
      steppedDb.close();
      stepped.remove();
    }
  });
});

describe('spend since an instant', () => {
  it('counts a period that starts mid-hour (India\'s midnight) after its minute rollups are pruned', async () => {
    const d = tempDir();
    const handle = openDatabase(d.path);
    try {
      const spent = createUsageLog(handle);
      // Midnight in Kolkata is 18:30 UTC; ten days on, the minute buckets of that half hour are gone.
      const since = Date.parse('2026-11-19T18:30:00Z');
      const at = (iso: string, cost: number, id: string) => spent.record(row(0, { id, at: Date.parse(iso), cost }));
      at('2026-11-19T18:20:00Z', 1, 'before');
      at('2026-11-19T18:40:00Z', 0.25, 'first_half_hour');
      at('2026-11-19T19:10:00Z', 0.5, 'next_hour');
      await spent.prune(Date.now() - 90 * 86_400_000, Date.now() - 7 * 86_400_000);
      expect(spent.costSince(since, {})).toBeCloseTo(0.75, 9);
      expect(spent.costSince(since, { route: 'default' })).toBeCloseTo(0.75, 9);
      expect(spent.costSince(since, { route: 'other' })).toBe(0);
      // A recent part hour is read from the minute rollups, to the same sum.
      const recent = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 30 * 60_000;
      spent.record(row(0, { id: 'recent_before', at: recent - 60_000, cost: 4 }));
      spent.record(row(0, { id: 'recent_after', at: recent + 60_000, cost: 2 }));
      expect(spent.costSince(recent, {})).toBeCloseTo(2, 9);
    } finally {
      handle.close();
      d.remove();
    }
  });
});

describe('day rollups in a zone', () => {
  it('start each day at that zone\'s midnight, and are made again from the hours when the log is opened in another zone', () => {
    const HOUR = 3_600_000;
    const DAY = 24 * HOUR;
    // Los Angeles in late November: UTC-8, so the rows' 00:00-09:59 UTC are 16:00-23:59 on the 19th and 00:00-01:59 on the 20th.
    const losAngeles = { zone: 'America/Los_Angeles', dayAt: (ms: number) => ({ start: Math.floor((ms - 8 * HOUR) / DAY) * DAY + 8 * HOUR, end: Math.floor((ms - 8 * HOUR) / DAY) * DAY + 32 * HOUR }) };
    const d = tempDir();
    const days = (log: ReturnType<typeof createUsageLog>) => log.rollups({}, 'day', 'none').map((p) => [new Date(p.bucket).toISOString(), p.requests, p.errors, p.cachedRequests]);
    try {
      const handle = openDatabase(d.path);
      const inZone = createUsageLog(handle, losAngeles);
      for (let i = 0; i < 600; i++) inZone.record(row(i, { id: `zoned_${i}` }));
      expect(days(inZone)).toEqual([
        ['2026-11-19T08:00:00.000Z', 480, 48, 96],
        ['2026-11-20T08:00:00.000Z', 120, 12, 24],
      ]);
      expect(inZone.rollups({}, 'day', 'deployment').map((p) => [p.group, p.requests])).toEqual([['llama', 320], ['mini', 160], ['llama', 80], ['mini', 40]]);
      handle.close();

      // The same file opened in UTC (the machine moved): its days follow at the first rollup, hours and totals untouched.
      const again = openDatabase(d.path);
      const inUtc = createUsageLog(again);
      expect(days(inUtc)).toEqual([['2026-11-20T00:00:00.000Z', 600, 60, 120]]);
      expect(inUtc.rollups({}, 'hour', 'none')).toHaveLength(10);
      inUtc.record(row(700, { id: 'after_the_move' }));
      expect(days(inUtc)).toEqual([['2026-11-20T00:00:00.000Z', 601, 60, 121]]);
      again.close();
    } finally {
      d.remove();
    }
  });
});

describe('the usage inbox', () => {
  const open = () => {
    const d = tempDir();
    const handle = openDatabase(d.path);
    return { d, handle, log: createUsageLog(handle), close: () => (handle.close(), d.remove()) };
  };
  const count = (handle: ReturnType<typeof openDatabase>, table: string) => (handle.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

  it('commits a row to the inbox before the caller goes on, and every read sees it at once', async () => {
    const { handle, log: fresh, close } = open();
    try {
      await fresh.recordSoon(row(1, { id: 'inbox_1' }));
      expect(count(handle, 'usage_inbox')).toBe(1);
      expect(count(handle, 'usage')).toBe(0);
      expect(fresh.row('inbox_1')?.deployment).toBe('llama');
      expect(count(handle, 'usage_inbox')).toBe(0);
      await fresh.recordSoon(row(2, { id: 'inbox_2' }));
      expect(fresh.list({}, { limit: 10 }).rows.map((r) => r.id)).toEqual(['inbox_2', 'inbox_1']);
      await fresh.recordSoon(row(3, { id: 'inbox_3' }));
      expect([...fresh.iterate({})].map((r) => r.id)).toEqual(['inbox_1', 'inbox_2', 'inbox_3']);
      await fresh.recordSoon(row(4, { id: 'inbox_4', cost: 0.5 }));
      expect(fresh.costSince(T0, {})).toBeCloseTo(0.5 + 0.001, 6);
      expect(fresh.rollups({}, 'day', 'none').reduce((n, p) => n + p.requests, 0)).toBe(4);
    } finally {
      close();
    }
  });

  it('moves waiting rows by itself a moment later, with no query', async () => {
    const { handle, log: fresh, close } = open();
    try {
      await Promise.all([1, 2, 3].map((i) => fresh.recordSoon(row(i, { id: `later_${i}` }))));
      expect(count(handle, 'usage_inbox')).toBe(3);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(count(handle, 'usage_inbox')).toBe(0);
      expect((handle.prepare('SELECT request_id FROM usage ORDER BY id').all() as { request_id: string }[]).map((r) => r.request_id)).toEqual(['later_1', 'later_2', 'later_3']);
    } finally {
      close();
    }
  });

  it('moves rows a killed process left in the inbox when the log is opened, in their order', () => {
    const d = tempDir();
    try {
      const first = openDatabase(d.path);
      const firstLog = createUsageLog(first);
      firstLog.record(row(1, { id: 'moved_before' }));
      firstLog.settle();
      for (const i of [2, 3, 4]) firstLog.record(row(i, { id: `left_${i}` }));
      // As a SIGKILL leaves it: committed rows still in the inbox.
      expect(count(first, 'usage_inbox')).toBe(3);
      first.close();

      const again = openDatabase(d.path);
      createUsageLog(again);
      expect(count(again, 'usage_inbox')).toBe(0);
      expect((again.prepare('SELECT request_id FROM usage ORDER BY id').all() as { request_id: string }[]).map((r) => r.request_id)).toEqual(['moved_before', 'left_2', 'left_3', 'left_4']);
      again.close();
    } finally {
      d.remove();
    }
  });
});

describe('the export iterator', () => {
  const { log: own } = useUsageLog();

  it('leaves the connection free between rows, reads in (at, id) order across batches, and stops at the rows written before it began', () => {
    // 1,200 rows: a run of 700 at one instant crosses a batch; the last 100 were written later but happened first.
    for (let i = 0; i < 1_200; i++) own.record(row(i, { id: `x_${i}`, at: i < 400 ? T0 + i : i < 1_100 ? T0 + 400 : T0 - 1_200 + i }));
    const rows = own.iterate({});
    const first = rows.next().value as UsageRow;
    // A request answered while an export waits for its reader: its row is written, and readable.
    own.record(row(5_000, { id: 'during', at: T0 }));
    expect(own.row('during')?.id).toBe('during');
    const ids = [first, ...rows].map((r) => r.id);
    const expected = [...Array(100).keys()].map((i) => `x_${1_100 + i}`).concat([...Array(1_100).keys()].map((i) => `x_${i}`));
    expect(ids).toEqual(expected);
    expect([...own.iterate({ since: T0 + 400 })]).toHaveLength(700);
  });
});
