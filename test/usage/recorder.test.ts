/**
 * When a usage row is kept: when its request is the only one open, in the journal at once (a commit
 * of its own would cost every answer) and committed with the rows after it; in the group commit of its turn
 * when others are open; never before what its request keeps besides it (a Responses answer) is written.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Config } from '../../gateway/config/schema';
import { createCatalog } from '../../gateway/routing/catalog';
import { createUsageRecorder } from '../../gateway/usage/recorder';
import { useUsageLog } from '../support/usage-log';

const { db, log } = useUsageLog();

const config: Config = { version: 1, providers: [], deployments: [], routes: [] };
const catalog = createCatalog(config, new Map(), 'UTC');
const written: string[] = [];
const recorder = createUsageRecorder({ log, catalog: () => catalog, now: Date.now, onRow: (row) => written.push(row.id) });
const inInbox = (id: string) => db.prepare('SELECT 1 FROM usage_inbox WHERE request_id = ?').get(id) !== undefined;
const dir = dirname(db.name);
const journalled = (id: string) =>
  readdirSync(dir)
    .filter((name) => name.startsWith('usage-journal-'))
    .some((name) => readFileSync(join(dir, name), 'utf8').includes(`"${id}"`));
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('committing usage rows', () => {
  it('journals a lone request row before commit() yields to the event loop, and commits it a moment later', async () => {
    const usage = recorder.begin('lone', 'chat.completions', 'openai');
    usage.request({ model: 'default', messages: [] });
    void usage.commit(200);
    // No await: the row is already kept, and counted.
    expect(journalled('lone')).toBe(true);
    expect(inInbox('lone')).toBe(false);
    expect(written).toContain('lone');
    await turn();
    expect(inInbox('lone')).toBe(false);
    // Within 20 ms on an idle machine; the deadline only spares a busy one a false failure.
    await vi.waitFor(() => expect(inInbox('lone')).toBe(true), { timeout: 5_000, interval: 10 });
    expect(journalled('lone')).toBe(false);
  });

  it('groups the rows of requests that are open together into one commit on the next turn', async () => {
    const first = recorder.begin('group-1', 'chat.completions', 'openai');
    const second = recorder.begin('group-2', 'chat.completions', 'openai');
    const third = recorder.begin('group-3', 'chat.completions', 'openai');
    const committed = [first.commit(200), second.commit(200)];
    // Others were open when these two finished: they wait for the turn's group commit.
    expect(inInbox('group-1')).toBe(false);
    expect(inInbox('group-2')).toBe(false);
    await Promise.all(committed);
    expect(inInbox('group-1') && inInbox('group-2')).toBe(true);
    // The last one open is alone again.
    void third.commit(200);
    expect(journalled('group-3')).toBe(true);
    expect(log.list({}, { limit: 10 }).rows.map((r) => r.id).sort()).toEqual(['group-1', 'group-2', 'group-3', 'lone']);
  });

  it('commits a row once, however many times commit() is called', async () => {
    const usage = recorder.begin('once', 'chat.completions', 'openai');
    await usage.commit(200);
    await usage.commit(499);
    expect(log.row('once')?.status).toBe(200);
    // The count of open requests is back to zero: the next lone request is journalled at once.
    const next = recorder.begin('after-once', 'chat.completions', 'openai');
    void next.commit(200);
    expect(journalled('after-once')).toBe(true);
  });

  it('writes its row only once what the request keeps besides it is written, failed or not', async () => {
    const usage = recorder.begin('keeps', 'responses', 'responses');
    let keep!: () => void;
    usage.waitFor(new Promise<void>((resolve) => (keep = resolve)));
    usage.waitFor(Promise.reject(new Error('a full disk')));
    const committed = usage.commit(200);
    await new Promise((resolve) => setImmediate(resolve));
    expect(inInbox('keeps')).toBe(false);
    keep();
    await committed;
    expect(journalled('keeps')).toBe(true);
    log.settle();
    expect(log.row('keeps')?.status).toBe(200);
  });
});
