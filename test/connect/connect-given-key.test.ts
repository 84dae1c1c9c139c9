/**
 * `switchyard connect TOOL --key KEY`: the key written as the tool will send it. An empty one (an
 * unset shell variable: Claude Code then said "Not logged in · Please run /login"), one no header
 * can carry, and, where the gateway requires keys, one that is none of its keys are refused, and
 * the tool's file is left as it was.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createClientKeyStore } from '../../gateway/store/client-keys';
import { openDatabase } from '../../gateway/store/db';
import { useConnectCli } from '../support/connect-cli';

const cli = useConnectCli();
const { connect, storeConfig } = cli;
const file = () => join(cli.home.path, '.claude', 'settings.json');
const token = () => JSON.parse(readFileSync(file(), 'utf8')).env.ANTHROPIC_AUTH_TOKEN as string;

function newKey(name: string): string {
  const db = openDatabase(cli.data.path);
  try {
    return createClientKeyStore(db).create(name).key;
  } finally {
    db.close();
  }
}

describe('connect --key', () => {
  it('refuses an empty key, or one of spaces, and writes nothing', async () => {
    for (const key of ['', '   ']) {
      const run = await connect('claude-code', '--key', key);
      expect([run.code, run.err]).toEqual([1, '--key is empty: pass the client key itself, or leave --key out and connect writes the key the tool has, or makes one.\n']);
    }
    expect(existsSync(file())).toBe(false);
  });

  it('refuses a key no header can carry', async () => {
    const run = await connect('codex', '--key', 'sy-abc\ndef');
    expect(run.code).toBe(1);
    expect(run.err).toContain('--key has a line break (at character 7), which no HTTP header can carry: copy the key again.');
  });

  it("where keys are required, refuses one that is none of the gateway's, and writes one that is, as the tool sends it", async () => {
    storeConfig({ settings: { clientKeys: { required: true } } });
    const unknown = await connect('claude-code', '--key', 'sy-not-a-key-of-this-gateway');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("--key is none of this gateway's client keys (unknown or revoked), and the gateway requires one");
    expect(existsSync(file())).toBe(false);
    const key = newKey('laptop');
    // Pasted with the line break its copy ended in.
    const run = await connect('claude-code', '--key', ` ${key}\n`);
    expect(run.code).toBe(0);
    expect(token()).toBe(key);
  });

  it('writes any key where keys are not required: the gateway takes any token there', async () => {
    expect((await connect('claude-code', '--key', 'sy-my-own-name')).code).toBe(0);
    expect(token()).toBe('sy-my-own-name');
  });
});
