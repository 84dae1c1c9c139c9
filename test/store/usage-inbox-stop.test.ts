/**
 * A gateway that stops leaves its usage log as any reader expects it: every row in `usage`, none
 * waiting in the inbox or its journal (a killed one leaves them for the next start, tested in
 * usage-durability).
 */
import Database from 'better-sqlite3';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../gateway/server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { tempDir, twoTierConfig } from '../support/harness';

const dir = tempDir();
afterAll(() => dir.remove());

describe('a stopping gateway', () => {
  it('moves the rows waiting in the usage inbox into the log, and removes its journal, before it closes the file', async () => {
    const [ollama, openai] = await Promise.all([startFakeOllama(), startFakeOpenAI()]);
    const gateway = await createGateway({ dataDir: dir.path, port: 0, config: twoTierConfig({ ollama: ollama.url, openai: openai.url }), discoverOllama: false, healthChecks: false, timeZone: 'UTC', env: { TEST_KEY: 'sk-test' } });
    try {
      const started = await gateway.start();
      const client = new OpenAI({ baseURL: started.baseUrl, apiKey: 'any-key', maxRetries: 0 });
      for (let i = 0; i < 3; i++) await client.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: `hello ${i}` }] });
    } finally {
      await gateway.stop();
      await Promise.all([ollama.stop(), openai.stop()]);
    }
    const db = new Database(join(dir.path, 'switchyard.db'), { readonly: true });
    const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect([count('usage'), count('usage_inbox')]).toEqual([3, 0]);
    expect(readdirSync(dir.path).filter((name) => name.startsWith('usage-journal-'))).toEqual([]);
    db.close();
  });
});
