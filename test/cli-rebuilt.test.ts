/**
 * A gateway whose build is replaced while it runs (`npm run build`, `npm start` after a change, an
 * upgrade), on a copy of the build of its own: it keeps serving; the Connect page, whose editors it
 * had not loaded, says to restart instead of failing as an internal error; and the usage charts are
 * read without a thread rather than by the new build's code.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { baseEnv, copyOfBuild, onCleanup, useCliCleanups } from './support/cli';

useCliCleanups();

/** What a rebuild does to `out/main`: every file written anew, and a chunk whose code changed under a new name (its hash). */
function rebuild(copy: string, changed: RegExp): void {
  const chunks = join(copy, 'out', 'main', 'chunks');
  for (const folder of [join(copy, 'out', 'main'), chunks]) {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const file = join(folder, entry.name);
      const code = readFileSync(file);
      rmSync(file);
      writeFileSync(changed.test(entry.name) ? file.replace(/-[\w-]+\.cjs$/, '-R3bu1lt.cjs') : file, code);
    }
  }
}

it('keeps serving after its build is replaced, and says to restart for what it had not loaded yet', async () => {
  const copy = copyOfBuild();
  const child = spawn(process.execPath, [join(copy, 'bin', 'switchyard.js'), 'serve', '--port', '0', '--data-dir', join(copy, 'data')], { env: baseEnv() });
  onCleanup(() => void (child.exitCode === null && child.kill('SIGKILL')));
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  await expect.poll(() => output, { timeout: 15_000 }).toMatch(/Dashboard:\s+\S+\?token=/);
  const origin = /OpenAI base URL:\s+(http:\/\/[^/\s]+)/.exec(output)?.[1] as string;
  const login = await fetch(`${origin}/?token=${/\?token=([\w-]+)/.exec(output)?.[1]}`, { redirect: 'manual' });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
  expect(cookie).toMatch(/^switchyard_session_\d+=/);

  rebuild(copy, /^connect-/);

  expect((await fetch(`${origin}/v1/models`)).status).toBe(200);
  const connect = await fetch(`${origin}/admin/api/connect`, { headers: { cookie } });
  expect(connect.status).toBe(503);
  // Asking again cannot help before a restart, and a client is told so.
  expect(connect.headers.get('x-should-retry')).toBe('false');
  expect(await connect.json()).toEqual({
    error: { message: 'Switchyard was rebuilt or updated since this gateway started, so the Connect page cannot load: restart the gateway to use it', type: 'api_error', param: null, code: 'restart_required' },
  });
  const charts = await fetch(`${origin}/admin/api/usage/rollups`, { headers: { cookie } });
  expect(charts.status).toBe(200);
  await expect.poll(() => output).toContain('the usage charts are read on the event loop: their reader thread failed (Switchyard was rebuilt or updated since this gateway started: restart it to read them in their thread again)');
});
