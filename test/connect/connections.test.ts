/** Where each tool's own settings file points it now, read without writing: here, at another address (an old port), elsewhere, or nowhere. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../gateway/cli';
import { connectionOf } from '../../gateway/connect/connections';
import { validateConfig } from '../../gateway/config/validate';
import { createConfigStore } from '../../gateway/store/config-store';
import { openDatabase } from '../../gateway/store/db';
import { tempDir } from '../support/harness';

const HERE = 'http://127.0.0.1:7788';

describe('connectionOf', () => {
  it("reads Claude Code's env: its base URL (any loopback name for this gateway's) and the route it asks for", () => {
    const claude = (env: Record<string, string>) => connectionOf('claude-code', JSON.stringify({ model: 'opus', env }), HERE);
    expect(claude({ ANTHROPIC_BASE_URL: 'http://localhost:7788', ANTHROPIC_MODEL: 'coder' })).toEqual({ tool: 'claude-code', state: 'here', url: 'http://localhost:7788', route: 'coder', unknownRoute: false });
    expect(claude({ ANTHROPIC_BASE_URL: 'http://127.0.0.1:7799', ANTHROPIC_MODEL: 'coder' })).toMatchObject({ state: 'other', url: 'http://127.0.0.1:7799' });
    expect(claude({ ANTHROPIC_BASE_URL: 'https://127.0.0.1:7788' })).toMatchObject({ state: 'other', route: null });
    expect(claude({ DISABLE_TELEMETRY: '1' })).toMatchObject({ state: 'off', url: null });
    expect(connectionOf('claude-code', undefined, HERE)).toEqual({ tool: 'claude-code', state: 'none', url: null, route: null, unknownRoute: false });
    // A file that does not parse points the tool nowhere it can be read.
    expect(connectionOf('claude-code', '{ "env": ', HERE)).toMatchObject({ state: 'off' });
  });

  it("reads Codex's chosen provider: Switchyard's table only counts while model_provider selects it", () => {
    const table = `[model_providers.switchyard]\nname = "Switchyard"\nbase_url = "${HERE}/v1"\nwire_api = "responses"\n`;
    expect(connectionOf('codex', `model_provider = "switchyard"\nmodel = "coder"\n\n${table}`, HERE)).toEqual({ tool: 'codex', state: 'here', url: `${HERE}/v1`, route: 'coder', unknownRoute: false });
    expect(connectionOf('codex', `model_provider = "openai"\nmodel = "gpt-5.2-codex"\n\n${table}`, HERE)).toMatchObject({ state: 'off' });
    expect(connectionOf('codex', `model_provider = "switchyard"\n\n${table.replace('7788', '9000')}`, HERE)).toMatchObject({ state: 'other', url: 'http://127.0.0.1:9000/v1', route: null });
    expect(connectionOf('codex', 'model = [', HERE)).toMatchObject({ state: 'off' });
  });

  it("reads opencode's model: Switchyard's provider only counts while the model is one of its", () => {
    const provider = { switchyard: { options: { baseURL: `${HERE}/v1` } } };
    expect(connectionOf('opencode', JSON.stringify({ provider, model: 'switchyard/coder' }), HERE)).toEqual({ tool: 'opencode', state: 'here', url: `${HERE}/v1`, route: 'coder', unknownRoute: false });
    expect(connectionOf('opencode', JSON.stringify({ provider, model: 'anthropic/claude-sonnet-4-5' }), HERE)).toMatchObject({ state: 'off' });
  });
});

describe('switchyard connect without a tool', () => {
  let home: { path: string; remove(): void };
  let data: { path: string; remove(): void };
  beforeEach(() => {
    home = tempDir();
    data = tempDir();
    const checked = validateConfig({ version: 1, providers: [{ name: 'local', kind: 'ollama', baseUrl: 'http://127.0.0.1:11434' }], deployments: [{ name: 'llama', provider: 'local', model: 'llama3.2:3b' }], routes: [{ name: 'coder', deployments: ['llama'] }] });
    if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
    const db = openDatabase(data.path);
    createConfigStore(db).save(checked.config, 'test');
    db.close();
  });
  afterEach(() => {
    home.remove();
    data.remove();
  });

  it("says where each tool's settings file points it now, and how to point one here", async () => {
    const file = join(home.path, '.claude', 'settings.json');
    mkdirSync(join(file, '..'), { recursive: true });
    // Connected while the gateway ran on another port.
    writeFileSync(file, JSON.stringify({ env: { ANTHROPIC_BASE_URL: 'http://127.0.0.1:7799', ANTHROPIC_MODEL: 'coder' } }));
    let out = '';
    let err = '';
    const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t) };
    const list = () => main(['connect', '--data-dir', data.path, '--port', '7788'], io, { env: { HOME: home.path } });
    expect(await list(), err).toBe(0);
    const section = out.slice(out.indexOf("Where each tool's settings file points it now"));
    expect(section.split('\n').slice(0, 4)).toEqual([
      "Where each tool's settings file points it now (this gateway: http://127.0.0.1:7788):",
      '  Claude Code: http://127.0.0.1:7799, not this gateway: "switchyard connect claude-code" points it here',
      '  Codex CLI: no settings file yet: "switchyard connect codex" writes one',
      '  opencode: no settings file yet: "switchyard connect opencode" writes one',
    ]);
    writeFileSync(file, JSON.stringify({ env: { ANTHROPIC_BASE_URL: 'http://localhost:7788', ANTHROPIC_MODEL: 'coder' } }));
    out = '';
    await list();
    expect(out).toContain('  Claude Code: this gateway, asking for coder\n');
    // The route renamed since (or deleted): every request of the tool is refused, and the list says so.
    writeFileSync(file, JSON.stringify({ env: { ANTHROPIC_BASE_URL: 'http://localhost:7788', ANTHROPIC_MODEL: 'coder-old' } }));
    out = '';
    await list();
    expect(out).toContain('  Claude Code: this gateway, asking for coder-old, which is no route, deployment or alias here (renamed or deleted?), so each of its requests is refused: "switchyard connect claude-code" points it at a route (--route NAME for another)\n');
  });

  it('counts a model an alias or a deployment answers as served, and one nothing answers as unknown', () => {
    const served = { routes: [{ name: 'coder', deployments: ['llama'] }], deployments: [{ name: 'llama', provider: 'local', model: 'llama3.2:3b' }], aliases: { 'claude-*': 'coder' } };
    const asking = (model: string) => connectionOf('codex', `model_provider = "switchyard"\nmodel = "${model}"\n\n[model_providers.switchyard]\nbase_url = "${HERE}/v1"\n`, HERE, served).unknownRoute;
    expect(['coder', 'llama', 'claude-sonnet-4-5'].map(asking)).toEqual([false, false, false]);
    expect(asking('coder-old')).toBe(true);
    // Pointed elsewhere, its model is that server's business.
    expect(connectionOf('codex', `model_provider = "switchyard"\nmodel = "coder-old"\n\n[model_providers.switchyard]\nbase_url = "http://127.0.0.1:9000/v1"\n`, HERE, served).unknownRoute).toBe(false);
  });
});
