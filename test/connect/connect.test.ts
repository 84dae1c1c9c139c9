/**
 * `switchyard connect` against a temporary HOME for Claude Code and Codex: each tool's own config
 * file written with only Switchyard's keys changed, a second run changing nothing, undo restoring
 * the file byte for byte (or removing one Switchyard created), and a malformed file refused and
 * left untouched. opencode and the command itself: connect-command.test.ts.
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { createClientKeyStore } from '../../gateway/store/client-keys';
import { createGatewayAddress } from '../../gateway/store/gateway-address';
import { openDatabase } from '../../gateway/store/db';
import { useConnectCli, write } from '../support/connect-cli';

const cli = useConnectCli();
const { connect, storeConfig } = cli;

describe('claude-code', () => {
  const file = () => join(cli.home.path, '.claude', 'settings.json');
  const original = '{\n  "model": "opus",\n  "env": {\n    "DISABLE_TELEMETRY": "1"\n  },\n  "permissions": { "allow": ["Bash(npm test)"] }\n}\n';

  it('shows the diff on a dry run and changes nothing', async () => {
    write(file(), original);
    const run = await connect('claude-code', '--dry-run');
    expect(run.code).toBe(0);
    expect(run.out).toContain('+    "ANTHROPIC_BASE_URL": "http://127.0.0.1:7788"');
    expect(run.out).toContain('Dry run');
    expect(readFileSync(file(), 'utf8')).toBe(original);
  });

  it('sets only its env keys, keeps a backup, changes nothing the second time, and undoes byte for byte', async () => {
    write(file(), original);
    const first = await connect('claude-code', '--route', 'chat');
    expect(first.code).toBe(0);
    const written = readFileSync(file(), 'utf8');
    expect(JSON.parse(written)).toEqual({
      model: 'opus',
      env: {
        DISABLE_TELEMETRY: '1',
        ANTHROPIC_BASE_URL: 'http://127.0.0.1:7788',
        ANTHROPIC_AUTH_TOKEN: 'switchyard',
        ANTHROPIC_MODEL: 'chat',
        ANTHROPIC_DEFAULT_OPUS_MODEL: 'chat',
        ANTHROPIC_DEFAULT_SONNET_MODEL: 'chat',
        ANTHROPIC_DEFAULT_HAIKU_MODEL: 'chat',
      },
      permissions: { allow: ['Bash(npm test)'] },
    });
    expect(readFileSync(`${file()}.switchyard-backup`, 'utf8')).toBe(original);

    const second = await connect('claude-code', '--route', 'chat');
    expect(second.out).toContain('nothing to change');
    expect(readFileSync(file(), 'utf8')).toBe(written);

    const undo = await connect('claude-code', '--undo');
    expect(undo.code).toBe(0);
    expect(readFileSync(file())).toEqual(Buffer.from(original));
    expect(existsSync(`${file()}.switchyard-backup`)).toBe(false);
    expect((await connect('claude-code', '--undo')).err).toContain('nothing to undo');
  });

  it('refuses a malformed settings file and leaves it untouched', async () => {
    write(file(), '{ "env": { "A": 1, }\n  "broken"\n');
    const run = await connect('claude-code');
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/settings\.json is not valid JSON \(line 2, column 3: a comma is missing before this\); it was left untouched/);
    expect(readFileSync(file(), 'utf8')).toBe('{ "env": { "A": 1, }\n  "broken"\n');
    expect(existsSync(join(cli.data.path, 'connect', 'claude-code.json'))).toBe(false);
  });

  it('makes a client key named after the tool when keys are required, and keeps it on the next run', async () => {
    storeConfig({ settings: { clientKeys: { required: true } } });
    const run = await connect('claude-code');
    expect(run.err).toContain('Created client key "claude-code"');
    const token = JSON.parse(readFileSync(file(), 'utf8')).env.ANTHROPIC_AUTH_TOKEN as string;
    expect(run.out).not.toContain(token);
    const db = openDatabase(cli.data.path);
    expect(createClientKeyStore(db).verify(token)?.name).toBe('claude-code');
    db.close();
    expect((await connect('claude-code')).out).toContain('nothing to change');
    const again = openDatabase(cli.data.path);
    expect(createClientKeyStore(again).list()).toHaveLength(1);
    again.close();
  });

  it('makes a client key when the gateway running on its data dir listens beyond loopback, where every request needs one', async () => {
    const db = openDatabase(cli.data.path);
    createGatewayAddress(db).record({ url: 'http://127.0.0.1:7788', exposed: true }, (error) => {
      throw error;
    });
    db.close();
    const run = await connect('claude-code');
    expect(run.err).toContain('Created client key "claude-code"');
    const token = JSON.parse(readFileSync(file(), 'utf8')).env.ANTHROPIC_AUTH_TOKEN as string;
    const keys = openDatabase(cli.data.path);
    expect(createClientKeyStore(keys).verify(token)?.name).toBe('claude-code');
    keys.close();
  });

  it('edits a settings file kept as a link where it points, and leaves the link a link', async () => {
    const real = join(cli.home.path, 'dotfiles', 'claude-settings.json');
    write(real, original);
    mkdirSync(join(cli.home.path, '.claude'), { recursive: true });
    symlinkSync(real, file());
    expect((await connect('claude-code')).code).toBe(0);
    expect(lstatSync(file()).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(real, 'utf8')).env.ANTHROPIC_BASE_URL).toBe('http://127.0.0.1:7788');
    await connect('claude-code', '--undo');
    expect(readFileSync(real, 'utf8')).toBe(original);
    expect(lstatSync(file()).isSymbolicLink()).toBe(true);
  });

  it('says a rewritten file changes whole rather than diffing it line by line when undone', async () => {
    write(file(), original);
    await connect('claude-code');
    writeFileSync(file(), `{\n${Array.from({ length: 5_000 }, (_, i) => `  "k${i}": ${i},`).join('\n')}\n  "z": 0\n}\n`);
    const undo = await connect('claude-code', '--undo', '--force', '--dry-run');
    expect(undo.out).toMatch(/the whole file changes \(5004 lines now, 8 after\)/);
  });

  it('will not undo over changes made since, unless forced', async () => {
    write(file(), original);
    await connect('claude-code');
    writeFileSync(file(), readFileSync(file(), 'utf8').replace('"opus"', '"sonnet"'));
    const refused = await connect('claude-code', '--undo');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('--force');
    expect((await connect('claude-code', '--undo', '--force')).code).toBe(0);
    expect(readFileSync(file(), 'utf8')).toBe(original);
  });
});

describe('codex', () => {
  const file = () => join(cli.home.path, '.codex', 'config.toml');
  const original = [
    '# my Codex settings',
    'model = "o3"  # the default',
    'approval_policy = "on-request"',
    '',
    '[model_providers.azure]',
    'name = "Azure"',
    'base_url = "https://example.openai.azure.com/openai"',
    '',
    '[profiles.fast]',
    'model = "gpt-5-mini"',
    '',
  ].join('\n');

  it('adds a Responses provider and selects it, keeping comments and every other table', async () => {
    write(file(), original);
    const run = await connect('codex', '--route', 'coder');
    expect(run.code).toBe(0);
    const text = readFileSync(file(), 'utf8');
    expect(text).toContain('# my Codex settings\nmodel = "coder"  # the default\n');
    const parsed = parseToml(text) as Record<string, any>;
    expect(parsed).toMatchObject({
      model: 'coder',
      model_provider: 'switchyard',
      approval_policy: 'on-request',
      model_providers: {
        azure: { name: 'Azure' },
        switchyard: { name: 'Switchyard', base_url: 'http://127.0.0.1:7788/v1', wire_api: 'responses', http_headers: { Authorization: 'Bearer switchyard' } },
      },
      profiles: { fast: { model: 'gpt-5-mini' } },
    });
    expect((await connect('codex', '--route', 'coder')).out).toContain('nothing to change');
    expect(readFileSync(file(), 'utf8')).toBe(text);
    // A different route rewrites our table in place of the old one, not beside it.
    await connect('codex', '--route', 'chat');
    expect(readFileSync(file(), 'utf8').match(/\[model_providers\.switchyard\]/g)).toHaveLength(1);
    await connect('codex', '--undo');
    expect(readFileSync(file(), 'utf8')).toBe(original);
  });

  it("tells Codex and Claude Code the route's context window (its largest deployment's), so they compact before none could answer", async () => {
    storeConfig({
      providers: [{ name: 'local', kind: 'ollama', baseUrl: 'http://127.0.0.1:11434' }, { name: 'cloud', kind: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: 'env:OPENAI_API_KEY' }],
      deployments: [{ name: 'llama', provider: 'local', model: 'llama3.2:3b', options: { num_ctx: 32768 } }, { name: 'qwen', provider: 'local', model: 'qwen3:8b', numCtx: 'auto', maxNumCtx: 65536 }, { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' }],
      routes: [{ name: 'on-machine', deployments: ['llama', 'qwen'] }, { name: 'coder', deployments: ['llama', 'mini'] }],
    });
    write(file(), 'model_context_window = 8192 # mine\n');
    await connect('codex', '--route', 'on-machine');
    expect(readFileSync(file(), 'utf8')).toMatch(/^model_context_window = 65536 # mine\n/);
    await connect('codex', '--route', 'coder');
    expect(parseToml(readFileSync(file(), 'utf8'))).toMatchObject({ model: 'coder', model_context_window: 1_047_576 });
    expect((await connect()).out).toContain('model_context_window: 65536');
    await connect('codex', '--undo');
    expect(readFileSync(file(), 'utf8')).toBe('model_context_window = 8192 # mine\n');
    await connect('claude-code', '--route', 'on-machine');
    expect(JSON.parse(readFileSync(join(cli.home.path, '.claude', 'settings.json'), 'utf8')).env).toMatchObject({ ANTHROPIC_MODEL: 'on-machine', CLAUDE_CODE_MAX_CONTEXT_TOKENS: '65536' });
  });

  it('refuses malformed TOML and leaves it untouched', async () => {
    write(file(), 'model = \n[oops');
    const run = await connect('codex');
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/config\.toml is not valid TOML \(line 1/);
    expect(readFileSync(file(), 'utf8')).toBe('model = \n[oops');
  });

  it('creates the file when there is none, and undo removes it', async () => {
    await connect('codex');
    expect(parseToml(readFileSync(file(), 'utf8'))).toMatchObject({ model: 'coder', model_provider: 'switchyard' });
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    await connect('codex', '--undo');
    expect(existsSync(file())).toBe(false);
  });
});
