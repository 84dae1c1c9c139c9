/**
 * The usage log's charts, sessions and names, read in a worker thread on its own read-only connection
 * (gateway/store/usage-reader.ts): the same answers as the log's own queries, with the event loop
 * free while they run; a row written just before is in them; an idle worker ends, and a closing
 * log ends it first; where no worker can run, the log answers on its own connection, and says why once.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openDatabase } from '../../gateway/store/db';
import { createUsageLog } from '../../gateway/store/usage-log';
import { exportLines } from '../../gateway/store/usage-export';
import { createUsageReader, type UsageReader } from '../../gateway/store/usage-reader';
import { turnsDuring } from '../support/event-loop';
import { tempDir } from '../support/harness';
import { usageRow, useUsageLog } from '../support/usage-log';

const { db, log } = useUsageLog();
const HOUR = 3_600_000;
const now = Date.now();
const since = now - 30 * 24 * HOUR;

// A month of rows, a few hundred an hour over five deployments and a few sessions, so a chart is a real query.
const fill = db.transaction(() => {
  for (let i = 0; i < 60_000; i++) {
    const deployment = ['llama', 'qwen', 'mini', 'sonnet', 'embed'][i % 5] as string;
    log.record(usageRow({ id: `r${i}`, at: since + Math.floor((i / 60_000) * 30 * 24 * HOUR), deployment, session: i % 7 === 0 ? `s${i % 50}` : null, tool: i % 7 === 0 ? 'Codex' : 'curl', totalMs: 3 + (i % 900) }));
  }
});
fill();

const readers: UsageReader[] = [];
const reader = (database = db.name, options: Parameters<typeof createUsageReader>[2] = {}) => {
  const made = createUsageReader(log, database, options);
  readers.push(made);
  return made;
};
afterEach(async () => {
  await Promise.all(readers.splice(0).map((r) => r.stop()));
});

it("reads a chart, the sessions and the names in a worker, as the log's own queries read them, and the event loop turns meanwhile", async () => {
  const reading = reader();
  const chart = await turnsDuring(() => reading.rollups({ since }, 'hour', 'deployment'));
  expect(reading.running).toBe(true);
  expect(chart.result.length).toBeGreaterThan(5 * 29 * 24);
  expect(chart.result).toEqual(log.rollups({ since }, 'hour', 'deployment'));
  expect(chart.turns).toBeGreaterThan(1);
  const sessions = await turnsDuring(() => reading.sessions({ since }, 20));
  expect(sessions.result).toEqual(log.sessions({ since }, 20));
  expect(sessions.result).toHaveLength(20);
  expect(sessions.turns).toBeGreaterThan(1);
  const names = await turnsDuring(() => reading.names(since));
  expect(names.result).toEqual(log.names(since));
  expect(names.result).toMatchObject({ deployments: ['embed', 'llama', 'mini', 'qwen', 'sonnet'], tools: ['Codex', 'curl'] });
  expect(names.turns).toBeGreaterThan(1);
});

it("exports in the worker a page at a time, the same text as the log's own rows make, with the event loop turning meanwhile", async () => {
  const reading = reader();
  const pages = async (format: 'csv' | 'json', filter = {}) => {
    const got: string[] = [];
    for await (const page of reading.export(filter, format)) got.push(page);
    return got;
  };
  for (const format of ['csv', 'json'] as const) {
    const { result, turns } = await turnsDuring(() => pages(format));
    expect(reading.running).toBe(true);
    expect(result.join('')).toBe([...exportLines(log.iterate({}), format)].join(''));
    // 60,000 rows (and whatever the other tests wrote first), 500 to a page.
    expect(result.length).toBeGreaterThanOrEqual(120);
    expect(turns).toBeGreaterThan(result.length);
  }
  const codex = (await pages('csv', { tool: 'Codex' })).join('').trim().split('\n');
  expect(codex.length - 1).toBe([...log.iterate({ tool: 'Codex' })].length);
  // A row journalled just before is in it: the log settles it first.
  void log.recordAfter(usageRow({ id: 'exported-at-once', at: now, tool: 'fresh-tool' }));
  expect((await pages('csv', { tool: 'fresh-tool' })).join('')).toContain('exported-at-once');
});

it('sees a row written just before it was asked: the log settles it and brings the rollups up first', async () => {
  const reading = reader();
  const at = now - 1_000;
  // Journalled, not yet committed: only the log's own connection could commit it before the read.
  void log.recordAfter(usageRow({ id: 'just-now', at, deployment: 'fresh', session: 'fresh-session', totalMs: 7 }));
  const points = await reading.rollups({ since: at - HOUR, deployment: 'fresh' }, 'minute', 'deployment');
  expect(points.map((p) => [p.group, p.requests])).toEqual([['fresh', 1]]);
  void log.recordAfter(usageRow({ id: 'just-after', at: at + 1, deployment: 'fresh', session: 'fresh-session' }));
  const [session] = await reading.sessions({ session: 'fresh-session' }, 5);
  expect(session).toMatchObject({ session: 'fresh-session', requests: 2, deployments: ['fresh'] });
});

it('ends an idle worker, and the next read starts another', async () => {
  const reading = reader(db.name, { idleMs: 20 });
  await reading.rollups({ since: now - HOUR }, 'minute', 'none');
  expect(reading.running).toBe(true);
  await expect.poll(() => reading.running).toBe(false);
  expect(await reading.rollups({ since }, 'day', 'none')).toEqual(log.rollups({ since }, 'day', 'none'));
  expect(reading.running).toBe(true);
});

it('reads on the log\'s own connection where no worker can open the file, and says why once', async () => {
  const warnings: string[] = [];
  const reading = reader(join(db.name, '..', 'no-such.db'), { warn: (message) => warnings.push(message) });
  expect(await reading.rollups({ since }, 'day', 'deployment')).toEqual(log.rollups({ since }, 'day', 'deployment'));
  expect(await reading.sessions({ since }, 3)).toEqual(log.sessions({ since }, 3));
  expect(reading.running).toBe(false);
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(/^the usage charts are read on the event loop: their reader thread failed \(.*no-such\.db/);
  // An in-memory database has no file to open: read here from the start, with nothing to say.
  const inMemory = reader(':memory:', { warn: (message) => warnings.push(message) });
  const { result, turns } = await turnsDuring(() => inMemory.rollups({ since }, 'day', 'none'));
  expect(result).toEqual(log.rollups({ since }, 'day', 'none'));
  expect(turns).toBe(0);
  expect(warnings).toHaveLength(1);
  // An export read here still lets the event loop turn between its pages.
  const exported = await turnsDuring(async () => {
    const got: string[] = [];
    for await (const page of inMemory.export({}, 'json')) got.push(page);
    return got;
  });
  expect(exported.result.join('')).toBe([...exportLines(log.iterate({}), 'json')].join(''));
  expect(exported.turns).toBeGreaterThanOrEqual(exported.result.length - 1);
  expect(inMemory.running).toBe(false);
});

it("a closing log ends its reader's thread first, so the database's last connection leaves no WAL behind", async () => {
  const dir = tempDir();
  try {
    const own = openDatabase(dir.path);
    const ownLog = createUsageLog(own);
    ownLog.record(usageRow({ id: 'one', at: now }));
    expect(await ownLog.reader.rollups({ since: now - HOUR }, 'minute', 'none')).toMatchObject([{ requests: 1 }]);
    expect(ownLog.reader.running).toBe(true);
    await ownLog.close();
    expect(ownLog.reader.running).toBe(false);
    own.close();
    expect(existsSync(`${own.name}-wal`)).toBe(false);
  } finally {
    dir.remove();
  }
});
