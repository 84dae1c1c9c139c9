/**
 * The watcher behind `serve`'s notices: a read that fails is said once, not once a tick and not
 * never (a watcher that swallowed its failures hid a whole class of silent webhooks), and reads that
 * work again deliver what changed.
 */
import { afterEach, expect, it } from 'vitest';
import type { HealthSnapshot, Notice } from '../../gateway/notices/notifier';
import { watchNotices } from '../../gateway/notices/watch';

let stop: (() => void) | undefined;
afterEach(() => stop?.());

it('says a failing read once per streak, and delivers again once reads work', async () => {
  const snapshots: (HealthSnapshot | Error)[] = [
    { providers: [{ name: 'local', status: 'up' }], fallbacks: 0 },
    new Error('the database is closed'),
    new Error('the database is closed'),
    new Error('the database is closed'),
    { providers: [{ name: 'local', status: 'down' }], fallbacks: 0 },
    new Error('disk I/O error'),
  ];
  const errors: string[] = [];
  const delivered: Notice[] = [];
  let reads = 0;
  stop = watchNotices({
    read: () => {
      const next = snapshots[Math.min(reads++, snapshots.length - 1)]!;
      if (next instanceof Error) throw next;
      return next;
    },
    deliver: (notice) => delivered.push(notice),
    onError: (message) => errors.push(message),
    everyMs: 10,
  }).stop;
  await expect.poll(() => reads).toBeGreaterThan(snapshots.length + 2);
  expect(errors).toEqual([
    "the gateway's health could not be read for notices: the database is closed",
    "the gateway's health could not be read for notices: disk I/O error",
  ]);
  expect(delivered.map((n) => n.title)).toEqual(['local is down']);
});
