/**
 * `switchyard connect` as a test file runs it: a temporary HOME and data dir for each test, a
 * stored config (a local Ollama, routes `coder` and `chat`, unless the test stores another), and
 * the command run in process.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { main } from '../../gateway/cli';
import { validateConfig } from '../../gateway/config/validate';
import { createConfigStore } from '../../gateway/store/config-store';
import { openDatabase } from '../../gateway/store/db';
import { tempDir } from './harness';

export interface ConnectCli {
  home: { path: string; remove(): void };
  data: { path: string; remove(): void };
  /** Stores the default config with `extra` over it. */
  storeConfig(extra?: Record<string, unknown>): void;
  connect(...args: string[]): Promise<{ code: number; out: string; err: string }>;
}

export function useConnectCli(): ConnectCli {
  const cli = {} as ConnectCli;
  cli.storeConfig = (extra = {}) => {
    const result = validateConfig({
      version: 1,
      providers: [{ name: 'local', kind: 'ollama', baseUrl: 'http://127.0.0.1:11434' }],
      deployments: [{ name: 'llama', provider: 'local', model: 'llama3.2:3b' }, { name: 'embed', provider: 'local', model: 'nomic-embed-text', type: 'embedding' }],
      routes: [{ name: 'coder', deployments: ['llama'] }, { name: 'chat', deployments: ['llama'] }],
      ...extra,
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const db = openDatabase(cli.data.path);
    createConfigStore(db).save(result.config, 'test');
    db.close();
  };
  cli.connect = async (...args) => {
    let out = '';
    let err = '';
    const code = await main(['connect', ...args, '--data-dir', cli.data.path, '--port', '7788'], { out: (t) => void (out += t), err: (t) => void (err += t) }, { env: { HOME: cli.home.path } });
    return { code, out, err };
  };
  beforeEach(() => {
    cli.home = tempDir();
    cli.data = tempDir();
    cli.storeConfig();
  });
  afterEach(() => {
    cli.home.remove();
    cli.data.remove();
  });
  return cli;
}

export function write(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}
