/**
 * The built gateway reads the dashboard's charts, sessions, names and export in its reader thread (the bundle's
 * `usage-reader` entry, gateway/store/usage-reader.ts): one more thread while they are read, the
 * answers the log's rows make, and no word of reading them on the event loop instead.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { dir, serve, useCliCleanups } from './support/cli';

useCliCleanups();

const threadsOf = (pid: number) => Number(/^Threads:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);

it.runIf(process.platform === 'linux')('the built serve reads an export, a chart, the sessions and the names in a thread of its own', async () => {
  const { child, baseUrl, output } = await serve(['--port', '0', '--data-dir', dir()]);
  const link = /Dashboard:\s+(\S+)/.exec(output())?.[1] ?? '';
  const cookie = (await fetch(link, { redirect: 'manual' })).headers.get('set-cookie')?.split(';')[0] ?? '';
  const admin = (path: string) => fetch(new URL(`/admin/api${path}`, link), { headers: { cookie } }).then((r) => r.json());
  // No Ollama answers (OLLAMA_HOST is a closed port) and no cloud key is set: a failed request, logged all the same.
  const answer = await fetch(`${baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-switchyard-session': 'reader-test' }, body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'hi' }] }) });
  expect(answer.status).toBeGreaterThanOrEqual(500);
  const pid = child.pid as number;
  const before = threadsOf(pid);
  const csv = await fetch(new URL('/admin/api/usage/export?format=csv', link), { headers: { cookie } }).then((r) => r.text());
  expect(threadsOf(pid)).toBe(before + 1);
  expect(csv.trim().split('\n')).toEqual([expect.stringMatching(/^request_id,time,/), expect.stringMatching(/,default,.*,reader-test,/)]);
  const chart = await admin('/usage/rollups?granularity=hour&groupBy=route');
  expect(threadsOf(pid)).toBe(before + 1);
  expect(chart.points).toMatchObject([{ group: 'default', requests: 1, errors: 1 }]);
  const { sessions } = await admin('/usage/sessions');
  expect(sessions).toMatchObject([{ session: 'reader-test', requests: 1, errors: 1 }]);
  expect((await admin('/usage/names')).routes).toEqual(['default']);
  expect(output()).not.toContain('read on the event loop');
});
