/**
 * The built `serve` holds V8's young generation at its first size while it loads and starts (what
 * grew it then stayed resident as long as the gateway idled), and lets it grow once it listens (held
 * under load, it collects many times as often): gateway/heap.ts. Read from inside the process by a
 * `-r` hook that reports the new space's size on SIGUSR2.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'undici';
import { expect, it } from 'vitest';
import { startFakeOpenAI } from './support/fake-openai';
import { cloudOnly, dir, onCleanup, serve, useCliCleanups, writeJson } from './support/cli';

useCliCleanups();

const HOOK = `process.on('SIGUSR2', () => {
  const space = require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  process.stderr.write('new space ' + space.space_size + '\\n');
});`;

it('starts with the young generation at its first size and lets it grow under load', async () => {
  const data = dir();
  const hook = join(data, 'report-new-space.cjs');
  writeFileSync(hook, HOOK);
  const upstream = await startFakeOpenAI();
  onCleanup(() => upstream.stop());
  const { child, baseUrl, output } = await serve(['--port', '0', '--data-dir', data, '--config', writeJson(join(data, 'c.json'), cloudOnly(upstream.url))], {
    OPENAI_API_KEY: 'sk-test',
    NODE_OPTIONS: `--require ${hook}`,
  });
  const reports = () => [...output().matchAll(/^new space (\d+)$/gm)].map((m) => Number(m[1]));
  const newSpace = async () => {
    const before = reports().length;
    child.kill('SIGUSR2');
    while (reports().length === before) await new Promise((r) => setTimeout(r, 10));
    return reports().at(-1) as number;
  };

  const atRest = await newSpace();
  // V8 starts it at 1 MiB, and loading the CLI's entry (before serve holds it) doubles it twice;
  // loading and starting the gateway unheld doubled it twice more, to 16.
  expect(atRest).toBeLessThanOrEqual(4 * 1024 * 1024);

  const origin = new URL(baseUrl).origin;
  const pool = new Pool(origin, { connections: 64 });
  onCleanup(() => pool.close());
  const body = JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'hello' }], temperature: 0.7 });
  let grown = atRest;
  // Bounded: 64 connections, up to 40 rounds of 64 requests, until V8 grows it.
  for (let round = 0; round < 40 && grown <= atRest; round++) {
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        const res = await pool.request({ path: '/v1/chat/completions', method: 'POST', headers: { 'content-type': 'application/json' }, body });
        expect(res.statusCode).toBe(200);
        await res.body.dump();
      }),
    );
    if (round % 5 === 4) grown = await newSpace();
  }
  expect(grown).toBeGreaterThan(atRest);
});
