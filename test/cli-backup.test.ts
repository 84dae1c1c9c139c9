/**
 * `switchyard backup FILE`: the whole database copied while a gateway runs on it (its config, keys
 * and usage rows, the newest too), private (0600), never over an existing file; and the copy, put in
 * a data dir, is that data dir again.
 */
import Database from 'better-sqlite3';
import { closeSync, copyFileSync, openSync, readdirSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { openDatabase } from '../gateway/store/db';
import { startFakeOllama } from './support/fake-ollama';
import { dir, onCleanup, run, serve, useCliCleanups, writeJson } from './support/cli';

useCliCleanups();

it('copies config, keys and usage from a running gateway to a private new file, which restores as a data dir', async () => {
  const ollama = await startFakeOllama();
  onCleanup(() => ollama.stop());
  const data = dir();
  const config = { version: 1, providers: [{ name: 'local', kind: 'ollama', baseUrl: ollama.url }], deployments: [{ name: 'llama', provider: 'local', model: 'llama3.2:3b' }], routes: [{ name: 'default', deployments: ['llama'] }] };
  const { child, baseUrl } = await serve(['--port', '0', '--data-dir', data, '--config', writeJson(join(dir(), 'c.json'), config)]);
  expect(run(['keys', 'create', 'ci', '--data-dir', data]).code).toBe(0);
  for (let i = 0; i < 3; i++) {
    const res = await fetch(`${baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: `hi ${i}` }] }) });
    expect(res.status).toBe(200);
  }

  const file = join(dir(), 'switchyard-backup.db');
  const made = run(['backup', file, '--data-dir', data]);
  expect(made).toMatchObject({ code: 0, stderr: '' });
  expect(made.stdout).toMatch(new RegExp(`^Backed up ${data} to ${file} \\(\\d+\\.\\d MiB\\)\\. To restore it: stop the gateway`));
  expect(statSync(file).mode & 0o777).toBe(0o600);
  const copy = new Database(file, { readonly: true });
  const count = (table: string) => (copy.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  // The newest rows may still be in the inbox: both tables are copied, so all three are there.
  expect(count('usage') + count('usage_inbox')).toBe(3);
  expect(count('client_keys')).toBe(1);
  copy.close();

  expect(run(['backup', file, '--data-dir', data])).toMatchObject({ code: 1, stderr: `${file} exists already: name a new file (a backup never overwrites one)\n` });
  expect(run(['backup', '--data-dir', data])).toMatchObject({ code: 2 });
  expect(run(['backup', join(dir(), 'x.db'), '--data-dir', join(dir(), 'none')]).stderr).toContain('There is no Switchyard data in');

  // Restored into a new data dir, it is the same config, keys and usage.
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  const restored = dir();
  copyFileSync(file, join(restored, 'switchyard.db'));
  expect(JSON.parse(run(['export', '--data-dir', restored]).stdout)).toEqual(JSON.parse(run(['export', '--data-dir', data]).stdout));
  expect(run(['keys', 'list', '--data-dir', restored]).stdout).toContain('ci');
  expect(JSON.parse(run(['usage', 'export', '--format', 'json', '--data-dir', restored]).stdout)).toHaveLength(3);
});

it('says where a backup cannot be written, and leaves no copy cut short where one could not be made whole', () => {
  const data = dir();
  const db = openDatabase(data);
  // Pages enough that one damaged among them is met halfway through the copy, not at opening.
  db.exec('CREATE TABLE filler (x BLOB)');
  const insert = db.prepare('INSERT INTO filler VALUES (randomblob(3000))');
  for (let i = 0; i < 300; i++) insert.run();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const dbFile = join(data, 'switchyard.db');

  // The target's folder, not the data dir, is what is wrong.
  expect(run(['backup', join(data, 'none', 'b.db'), '--data-dir', data])).toMatchObject({ code: 1, stderr: `Cannot write the backup to ${join(data, 'none', 'b.db')}: there is no folder ${join(data, 'none')}\n` });
  expect(run(['backup', join(dbFile, 'b.db'), '--data-dir', data])).toMatchObject({ code: 1, stderr: `Cannot write the backup to ${join(dbFile, 'b.db')}: ${dbFile} is a file, not a folder\n` });

  const pages = statSync(dbFile).size / 4096;
  const fd = openSync(dbFile, 'r+');
  writeSync(fd, Buffer.alloc(4096, 0xab), 0, 4096, (pages - 50) * 4096);
  closeSync(fd);
  const file = join(dir(), 'b.db');
  const made = run(['backup', file, '--data-dir', data]);
  expect(made).toMatchObject({ code: 1, stdout: '' });
  expect(made.stderr).toContain('its switchyard.db is damaged');
  // Neither the named file nor the copy it was being written as.
  expect(readdirSync(dirname(file))).toEqual([]);
});
