/**
 * The usage log survives a SIGKILL: every request whose full response the client received has its
 * row, and the database is intact. The gateway runs as its own process (`switchyard serve`) so it
 * can really be killed. At eight connections most rows are group-committed before their answers; at
 * one, every row is journalled and committed a moment after its answer (usage-journal.ts).
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from './support/fake-server';
import { startFakeOllama } from './support/fake-ollama';
import { startFakeOpenAI } from './support/fake-openai';
import { tempDir, twoTierConfig } from './support/harness';
import { openDatabase } from '../gateway/store/db';
import { createUsageLog } from '../gateway/store/usage-log';

let ollama: FakeServer;
let openai: FakeServer;
const dirs: { path: string; remove(): void }[] = [];

beforeAll(async () => {
  ollama = await startFakeOllama({ chunkDelayMs: 3 });
  openai = await startFakeOpenAI({ chunkDelayMs: 3 });
});
afterAll(async () => {
  await Promise.all([ollama.stop(), openai.stop()]);
  for (const dir of dirs) dir.remove();
});

describe('usage rows and a killed gateway', () => {
  it.each([
    { connections: 8, label: 'eight connections' },
    { connections: 1, label: 'one connection' },
  ])('keeps a row for every request the client fully received, and an intact database ($label)', async ({ connections }) => {
    const dir = tempDir('switchyard-kill-');
    dirs.push(dir);
    const configFile = join(dir.path, 'config.json');
    writeFileSync(configFile, JSON.stringify(twoTierConfig({ ollama: ollama.url, openai: openai.url })));
    const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'bin', 'switchyard.js'), 'serve', '--port', '0', '--data-dir', dir.path, '--config', configFile], {
      env: { ...process.env, TEST_KEY: 'sk-test', OLLAMA_HOST: '127.0.0.1:9' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const baseUrl = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        const match = /OpenAI base URL:\s+(\S+)/.exec(out);
        if (match?.[1]) resolve(match[1].replace(/\/v1$/, ''));
      });
      child.once('exit', () => reject(new Error(`gateway exited: ${out}`)));
    });

    const pool = new Pool(baseUrl, { connections });
    const completed: string[] = [];
    let stop = false;
    let sent = 0;
    const worker = async (n: number) => {
      while (!stop && sent < 2_000) {
        sent++;
        const stream = (sent + n) % 2 === 0;
        try {
          const res = await pool.request({
            path: '/v1/chat/completions',
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ model: sent % 3 === 0 ? 'cloud-first' : 'default', stream, messages: [{ role: 'user', content: `request ${sent}` }] }),
          });
          const text = await res.body.text();
          const whole = stream ? text.endsWith('data: [DONE]\n\n') : res.statusCode === 200 && text.endsWith('}');
          if (whole) completed.push(String(res.headers['x-request-id']));
        } catch {
          // cut by the kill: not a completed request
        }
      }
    };
    const workers = Array.from({ length: connections }, (_, n) => worker(n));
    await new Promise((r) => setTimeout(r, 1_500));
    child.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    await pool.close().catch(() => undefined);
    await new Promise((r) => (child.exitCode === null && child.signalCode === null ? child.once('exit', r) : r(undefined)));

    expect(completed.length).toBeGreaterThan(20);
    // As the next start finds it: rows committed, in the inbox, or in the killed process's journal.
    const db = openDatabase(dir.path);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    createUsageLog(db);
    const ids = new Set((db.prepare('SELECT request_id FROM usage').all() as { request_id: string }[]).map((r) => r.request_id));
    expect(db.prepare('SELECT COUNT(*) AS n FROM usage').pluck().get()).toBe(ids.size);
    db.close();
    const missing = completed.filter((id) => !ids.has(id));
    expect(missing).toEqual([]);
  });
});
