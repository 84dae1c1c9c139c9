/**
 * `switchyard connect` for opencode (its JSONC file, each route with its window), and the command
 * itself: the routes it offers, every tool's settings listed, the built CLI.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { useConnectCli, write } from '../support/connect-cli';

const cli = useConnectCli();
const { connect, storeConfig } = cli;

describe('opencode', () => {
  it('adds an OpenAI-compatible provider with every model and picks the route, in a JSONC file with comments', async () => {
    const file = join(cli.home.path, '.config', 'opencode', 'opencode.jsonc');
    const original = '{\n  // my theme\n  "theme": "tokyonight",\n}\n';
    write(file, original);
    await connect('opencode', '--route', 'coder');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('// my theme');
    expect(parseJsonc(text)).toEqual({
      theme: 'tokyonight',
      provider: { switchyard: { npm: '@ai-sdk/openai-compatible', name: 'Switchyard', options: { baseURL: 'http://127.0.0.1:7788/v1', apiKey: 'switchyard' }, models: { coder: { name: 'coder' }, chat: { name: 'chat' }, llama: { name: 'llama' } } } },
      model: 'switchyard/coder',
    });
    await connect('opencode', '--undo');
    expect(readFileSync(file, 'utf8')).toBe(original);
  });

  it("gives each model its limit where the config says its window: opencode compacts by it, and sends a quarter of it as the answer's limit", async () => {
    storeConfig({
      providers: [{ name: 'local', kind: 'ollama', baseUrl: 'http://127.0.0.1:11434' }, { name: 'cloud', kind: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: 'env:OPENAI_API_KEY' }],
      deployments: [{ name: 'llama', provider: 'local', model: 'llama3.2:3b', options: { num_ctx: 16384 } }, { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' }],
      routes: [{ name: 'on-machine', deployments: ['llama'] }, { name: 'coder', deployments: ['llama', 'mini'] }],
    });
    await connect('opencode', '--route', 'on-machine');
    const written = parseJsonc(readFileSync(join(cli.home.path, '.config', 'opencode', 'opencode.json'), 'utf8'));
    expect(written.provider.switchyard.models).toEqual({
      'on-machine': { name: 'on-machine', limit: { context: 16_384, output: 4_096 } },
      coder: { name: 'coder', limit: { context: 1_047_576, output: 32_000 } },
      llama: { name: 'llama', limit: { context: 16_384, output: 4_096 } },
      mini: { name: 'mini', limit: { context: 1_047_576, output: 32_000 } },
    });
  });
});

describe('the command', () => {
  it('names the routes when asked for one that does not exist, and lists every tool without a tool name', async () => {
    const wrong = await connect('codex', '--route', 'nope');
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('Choose one of: coder, chat, llama');
    // A typo is told the name it was meant to be.
    expect((await connect('codex', '--route', 'codr')).err).toContain('No route or chat deployment is named "codr" (did you mean "coder"?). Choose one of:');
    const list = await connect();
    for (const name of ['Claude Code', 'Codex CLI', 'opencode', 'Continue', 'Cline / Roo Code', 'Aider', 'Qwen Code', 'Crush', 'Zed', 'Open WebUI', 'OpenAI SDK', 'Ollama clients', 'Anthropic SDK']) expect(list.out).toContain(name);
    expect((await connect('cursor')).err).toContain('can set up claude-code, codex, opencode');
  });

  it('suggests and accepts chat routes only: a route to embedding models is no model for a chat tool', async () => {
    storeConfig({ routes: [{ name: 'vectors', deployments: ['embed'] }, { name: 'coder', deployments: ['llama'] }] });
    const list = await connect();
    expect(list.out).toContain('ANTHROPIC_MODEL: coder');
    // The settings to copy are the ones `connect claude-code` writes, the small model's name too.
    expect(list.out).toContain('ANTHROPIC_DEFAULT_HAIKU_MODEL: coder');
    const wrong = await connect('codex', '--route', 'vectors');
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('Choose one of: coder, llama');
  });

  it('runs from the built CLI', () => {
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'switchyard.js');
    const run = spawnSync(process.execPath, [bin, 'connect', 'codex', '--dry-run', '--data-dir', cli.data.path], { env: { ...process.env, HOME: cli.home.path, SWITCHYARD_PORT: '7799' }, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('+base_url = "http://127.0.0.1:7799/v1"');
    // The key a gateway without client keys takes is no secret, and also the provider's name: shown as written.
    expect(run.stdout).toContain('+model_provider = "switchyard"');
    expect(run.stdout).toContain('+http_headers = { Authorization = "Bearer switchyard" }');
    // A real key is shortened wherever it appears.
    const keyed = spawnSync(process.execPath, [bin, 'connect', 'codex', '--dry-run', '--key', 'sy-abcdefghijklmnopqrstuvwxyz', '--data-dir', cli.data.path], { env: { ...process.env, HOME: cli.home.path }, encoding: 'utf8' });
    expect(keyed.stdout).toContain('Authorization = "Bearer sy-abc...wxyz"');
    expect(keyed.stdout).not.toContain('abcdefghijklmnop');
  });
});
