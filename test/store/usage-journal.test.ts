/**
 * The usage journal: a row whose answer goes out alone is in a file before it is in SQLite, the file
 * holds no row SQLite has, and what a killed process left is replayed once, by one reader, into the
 * log it belongs to. Real files and real processes' pids throughout.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../gateway/store/db';
import { columnValues } from '../../gateway/store/usage-columns';
import { createUsageLog } from '../../gateway/store/usage-log';
import { tempDir } from '../support/harness';
import { fillDisk } from '../support/full-disk';
import { usageRow } from '../support/usage-log';

const dirs: { remove(): void }[] = [];
afterAll(() => dirs.forEach((d) => d.remove()));
function dataDir(): string {
  const dir = tempDir('switchyard-journal-');
  dirs.push(dir);
  return dir.path;
}
/** A usage log on a database in a data dir of its own. */
function openLog() {
  const dir = dataDir();
  const db = openDatabase(dir);
  return { dir, db, log: createUsageLog(db) };
}
const journals = (dir: string) => readdirSync(dir).filter((name) => name.startsWith('usage-journal-'));
const ids = (db: ReturnType<typeof openDatabase>) => (db.prepare('SELECT request_id AS id FROM usage ORDER BY id').all() as { id: string }[]).map((r) => r.id);
const turn = () => new Promise((resolve) => setImmediate(resolve));
/** A pid no process has now: a child's that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid as number;
const line = (id: string, at = 1_764_000_000_000) => JSON.stringify(columnValues(usageRow({ id, at })));

describe('a row recorded after its answer', () => {
  it('is a line in the journal at once, a row in SQLite a moment later, and the journal is cut', async () => {
    const { dir, db, log } = openLog();
    const committed = log.recordAfter(usageRow({ id: 'alone', at: Date.now() }));
    const [name] = journals(dir);
    expect(readFileSync(join(dir, name as string), 'utf8')).toContain('"alone"');
    expect((db.prepare('SELECT COUNT(*) AS n FROM usage_inbox').get() as { n: number }).n).toBe(0);
    await committed;
    log.settle();
    expect(ids(db)).toEqual(['alone']);
    expect(statSync(join(dir, name as string)).size).toBe(0);
    expect(statSync(join(dir, name as string)).mode & 0o777).toBe(0o600);
    log.close();
    expect(journals(dir)).toEqual([]);
    db.close();
  });

  it('is committed by a query made before its turn comes, and once only', async () => {
    const { db, log } = openLog();
    const committed = log.recordAfter(usageRow({ id: 'asked-for', at: Date.now() }));
    expect(log.list({}, { limit: 5 }).rows.map((r) => r.id)).toEqual(['asked-for']);
    await committed;
    await turn();
    expect(ids(db)).toEqual(['asked-for']);
    log.close();
    db.close();
  });
});

describe('a journalled row whose commit fails', () => {
  // Long enough to need pages of its own, which the full disk has none of.
  const big = (id: string) => usageRow({ id, at: Date.now(), status: 502, errorMessage: 'x'.repeat(200_000) });

  it('stays in the journal, and is committed after the next rows once the disk has room: the journal is cut', async () => {
    const { dir, db, log } = openLog();
    const room = fillDisk(db);
    await expect(log.recordAfter(big('through-a-full-disk'))).rejects.toMatchObject({ code: 'SQLITE_FULL' });
    const [name] = journals(dir);
    const file = join(dir, name as string);
    expect(readFileSync(file, 'utf8')).toContain('"through-a-full-disk"');
    room();
    await log.recordAfter(usageRow({ id: 'after-the-room', at: Date.now() }));
    log.settle();
    expect(ids(db)).toEqual(['after-the-room', 'through-a-full-disk']);
    expect(statSync(file).size).toBe(0);
    await log.close();
    expect(journals(dir)).toEqual([]);
    db.close();
  });

  it('that can never be written holds up none of the rows after it, and is left in the journal', async () => {
    const { dir, db, log } = openLog();
    // Not a full disk: a row the table refuses (no endpoint), as a bug would make one.
    await expect(log.recordAfter(usageRow({ id: 'refused', at: Date.now(), endpoint: null as unknown as string }))).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_NOTNULL' });
    for (const id of ['next-1', 'next-2', 'next-3', 'next-4']) await log.recordAfter(usageRow({ id, at: Date.now() }));
    log.settle();
    expect(ids(db)).toEqual(['next-1', 'next-2', 'next-3', 'next-4']);
    const [name] = journals(dir);
    expect(readFileSync(join(dir, name as string), 'utf8')).toContain('"refused"');
    await log.close();
    db.close();
    // The next start sets it aside rather than failing on it again.
    const reopened = openDatabase(dir);
    createUsageLog(reopened);
    expect(journals(dir)).toEqual([]);
    expect(readdirSync(dir).filter((file) => file.startsWith('usage-refused-'))).toHaveLength(1);
    reopened.close();
  });

  it('stays in the journal while the disk is full, and the next start commits it', async () => {
    const { dir, db, log } = openLog();
    const room = fillDisk(db);
    await expect(log.recordAfter(big('through-a-full-disk'))).rejects.toMatchObject({ code: 'SQLITE_FULL' });
    // Still full as it stops: tried once more, and left.
    await log.close();
    room();
    expect(ids(db)).toEqual([]);
    db.close();

    const reopened = openDatabase(dir);
    createUsageLog(reopened);
    expect(ids(reopened)).toEqual(['through-a-full-disk']);
    expect(journals(dir)).toEqual([]);
    reopened.close();
  });
});

describe('a journal left behind', () => {
  it('is replayed by the next log opened on the data dir: rows it lacks added once, torn and foreign lines skipped', () => {
    const dir = dataDir();
    const first = openDatabase(dir);
    const before = createUsageLog(first);
    before.record(usageRow({ id: 'committed-before-the-kill', at: 1_764_000_000_000 }));
    before.settle();
    first.close();
    const left = join(dir, `usage-journal-${deadPid()}-0badf00d.ndjson`);
    const torn = line('torn').slice(0, 40);
    writeFileSync(left, [line('committed-before-the-kill'), line('only-in-the-journal'), '{"not":"a row"}', '[1,2,3]', torn].join('\n'));

    const db = openDatabase(dir);
    createUsageLog(db);
    expect(ids(db)).toEqual(['committed-before-the-kill', 'only-in-the-journal']);
    expect(journals(dir)).toEqual([]);
    // A second opening finds nothing more to replay.
    createUsageLog(db);
    expect(ids(db)).toEqual(['committed-before-the-kill', 'only-in-the-journal']);
    db.close();
  });

  it('is replayed even when a row in it is one the table refuses: that row is set aside, once, and said so', () => {
    const dir = dataDir();
    const refused = JSON.stringify(columnValues(usageRow({ id: 'no-endpoint', at: 1_764_000_000_000, endpoint: null as unknown as string })));
    writeFileSync(join(dir, `usage-journal-${deadPid()}-00000bad.ndjson`), [line('before-it'), refused, line('after-it')].join('\n'));
    const db = openDatabase(dir);
    const warnings: string[] = [];
    createUsageLog(db, undefined, (message) => warnings.push(message));
    expect(ids(db)).toEqual(['after-it', 'before-it']);
    expect(journals(dir)).toEqual([]);
    const aside = readdirSync(dir).filter((name) => name.startsWith('usage-refused-'));
    expect(aside).toHaveLength(1);
    const file = join(dir, aside[0] as string);
    expect(readFileSync(file, 'utf8')).toBe(`${refused}\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(warnings).toEqual([expect.stringMatching(/held 1 row\(s\) the usage log refuses \(NOT NULL constraint failed: usage_inbox\.endpoint\): they are set aside in .*, and the other 2 are in the log$/)]);
    expect(warnings[0]).toContain(file);
    // Nothing is left to replay at the next start.
    const again: string[] = [];
    createUsageLog(db, undefined, (message) => again.push(message));
    expect(again).toEqual([]);
    expect(ids(db)).toEqual(['after-it', 'before-it']);
    db.close();
  });

  it('is replayed even when another left beside it cannot be read', () => {
    const dir = dataDir();
    // Pids past Linux's largest (2^22): no process has them. The one that cannot be read comes first.
    mkdirSync(join(dir, 'usage-journal-4194400-0000dead.ndjson'));
    writeFileSync(join(dir, 'usage-journal-4194500-0000beef.ndjson'), `${line('beside-an-unreadable-one')}\n`);
    const db = openDatabase(dir);
    const warnings: string[] = [];
    createUsageLog(db, undefined, (message) => warnings.push(message));
    expect(ids(db)).toEqual(['beside-an-unreadable-one']);
    const [left] = journals(dir);
    expect(left).toMatch(new RegExp(`^usage-journal-${process.pid}-[0-9a-f]{8}\\.replaying$`));
    // Its rows are not in the log: the user is told, and where it is.
    expect(warnings).toEqual([expect.stringMatching(/^a usage journal left by process 4194400 could not be replayed \(EISDIR.*\): the rows in it are not in the usage log yet/)]);
    expect(warnings[0]).toContain(join(dir, left as string));
    db.close();
  });

  it('is left unread, and said so, when it holds more than a journal of a moment can', () => {
    const dir = dataDir();
    // Sparse: 65 MiB long, no disk taken.
    const huge = join(dir, 'usage-journal-4194400-00000bad.ndjson');
    writeFileSync(huge, '');
    truncateSync(huge, 65 * 1024 * 1024);
    const db = openDatabase(dir);
    const warnings: string[] = [];
    createUsageLog(db, undefined, (message) => warnings.push(message));
    expect(warnings).toEqual([expect.stringMatching(/^a usage journal left by process 4194400 holds 65 MiB, more than a journal of a moment's rows can \(64 MiB\): it was not read/)]);
    expect(journals(dir)).toHaveLength(1);
    db.close();
  });

  it('is never replayed while its process lives, in another process or this one', async () => {
    const dir = dataDir();
    const db = openDatabase(dir);
    const live = join(dir, `usage-journal-${process.ppid}-00c0ffee.ndjson`);
    writeFileSync(live, `${line('a-live-gateway-s')}\n`);
    const writer = createUsageLog(db);
    const pending = writer.recordAfter(usageRow({ id: 'this-process-s', at: Date.now() }));
    // A CLI command (or a second log in this process) opening the log in the meantime.
    createUsageLog(db);
    expect(ids(db)).toEqual([]);
    expect(journals(dir)).toHaveLength(2);
    await pending;
    writer.settle();
    expect(ids(db)).toEqual(['this-process-s']);
    writer.close();
    expect(journals(dir)).toEqual([`usage-journal-${process.ppid}-00c0ffee.ndjson`]);
    db.close();
  });
});
