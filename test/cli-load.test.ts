/** The built CLI's `load`, `unload` and `pull`: an Ollama deployment's model put in memory from a terminal, let go and downloaded, gateway running or not, and what it cannot do named. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dir, onCleanup, run, runAsync, useCliCleanups, writeJson } from './support/cli';
import { startFakeOllama } from './support/fake-ollama';

useCliCleanups();

describe('switchyard load', () => {
  it("loads a deployment's model with its options and keep-alive, and refuses what it cannot load, naming the ones it can", async () => {
    const ollama = await startFakeOllama({ models: ['qwen3:8b', 'nomic-embed-text'], loaded: [] });
    onCleanup(() => ollama.stop());
    const data = dir();
    const config = {
      version: 1,
      providers: [{ name: 'local', kind: 'ollama', baseUrl: ollama.url }, { name: 'cloud', kind: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: 'env:OPENAI_API_KEY' }],
      deployments: [
        { name: 'qwen', provider: 'local', model: 'qwen3:8b', options: { num_ctx: 32768 }, keepAlive: '2h' },
        { name: 'gone', provider: 'local', model: 'mistral:7b' },
        { name: 'embed', provider: 'local', model: 'nomic-embed-text', type: 'embedding' },
        { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' },
      ],
      routes: [{ name: 'default', deployments: ['qwen', 'mini'] }],
    };
    expect(run(['import', writeJson(join(data, 'c.json'), config), '--data-dir', data]).code).toBe(0);

    const loaded = await runAsync(['load', 'qwen', '--data-dir', data]);
    expect(loaded.stderr).toBe('');
    expect(loaded.code).toBe(0);
    expect(loaded.stdout).toMatch(new RegExp(`^Loaded qwen3:8b on local \\(${ollama.url}\\) in \\d+\\.\\d s, kept for 2h\\n$`));
    expect(ollama.requests.filter((r) => r.path === '/api/generate').map((r) => r.body)).toEqual([{ model: 'qwen3:8b', stream: false, options: { num_ctx: 32768 }, keep_alive: '2h' }]);
    expect(((await (await fetch(`${ollama.url}/api/ps`)).json()) as { models: { name: string }[] }).models.map((m) => m.name)).toEqual(['qwen3:8b']);

    expect(await runAsync(['load', 'mini', '--data-dir', data])).toMatchObject({ code: 1, stderr: "mini is not on an Ollama: only an Ollama's models are loaded ahead of their requests (a cloud model needs no loading). These are: qwen, gone, embed\n" });
    // An embedding model, which Ollama's generate refuses to load, with an embed request of nothing.
    ollama.requests.length = 0;
    expect(await runAsync(['load', 'embed', '--data-dir', data])).toMatchObject({ code: 0, stderr: '' });
    expect(ollama.requests.filter((r) => r.path.startsWith('/api/')).map((r) => [r.path, r.body])).toEqual([['/api/embed', { model: 'nomic-embed-text' }]]);
    expect(await runAsync(['unload', 'embed', '--data-dir', data])).toMatchObject({ code: 0, stderr: '' });
    expect(await runAsync(['load', 'nope', '--data-dir', data])).toMatchObject({ code: 1, stderr: 'No deployment is named "nope"; the Ollama deployments are: qwen, gone, embed\n' });
    expect((await runAsync(['load', '--data-dir', data])).code).toBe(2);
    const gone = await runAsync(['load', 'gone', '--data-dir', data]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^local did not load mistral:7b: .*model "mistral:7b" not found/);

    ollama.requests.length = 0;
    const unloaded = await runAsync(['unload', 'qwen', '--data-dir', data]);
    expect(unloaded).toMatchObject({ code: 0, stderr: '' });
    expect(unloaded.stdout).toMatch(new RegExp(`^Unloaded qwen3:8b from local \\(${ollama.url}\\) in \\d+\\.\\d s: it leaves memory once the requests running on it finish\\n$`));
    expect(ollama.requests.map((r) => [r.path, r.body])).toEqual([['/api/generate', { model: 'qwen3:8b', stream: false, keep_alive: 0 }]]);
    expect(((await (await fetch(`${ollama.url}/api/ps`)).json()) as { models: unknown[] }).models).toEqual([]);
    expect(await runAsync(['unload', 'mini', '--data-dir', data])).toMatchObject({ code: 1, stderr: expect.stringContaining('mini is not on an Ollama') });
    expect(await runAsync(['unload', '--data-dir', data])).toMatchObject({ code: 2, stderr: 'Name a deployment to unload; the Ollama deployments are: qwen, gone, embed\n' });
  });

  it('pulls a deployment\'s model to its Ollama, telling each step, says whether an installed one was updated, and why a pull failed', async () => {
    // qwen3-coder is installed, and its registry has a newer version; mistral is not installed.
    const ollama = await startFakeOllama({ models: ['qwen3-coder:30b'], pullable: ['qwen3-coder:30b', 'mistral:7b'], newer: ['qwen3-coder:30b'] });
    onCleanup(() => ollama.stop());
    const data = dir();
    const config = {
      version: 1,
      providers: [{ name: 'local', kind: 'ollama', baseUrl: ollama.url }, { name: 'cloud', kind: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: 'env:OPENAI_API_KEY' }],
      deployments: [
        { name: 'coder', provider: 'local', model: 'qwen3-coder:30b' },
        { name: 'mistral', provider: 'local', model: 'mistral:7b' },
        { name: 'gone', provider: 'local', model: 'no-such-model:1b' },
        { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' },
      ],
      routes: [{ name: 'default', deployments: ['coder', 'mini'] }],
    };
    expect(run(['import', writeJson(join(data, 'c.json'), config), '--data-dir', data]).code).toBe(0);
    // Every model the config names that its Ollama lacks, in one command: a failure is said and counted, the rest still pulled.
    const missing = await runAsync(['pull', '--missing', '--data-dir', data]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/^mistral:7b to local:\npulling manifest\n[\s\S]*writing manifest\nno-such-model:1b to local:\npulling manifest\nPulled 1 model; 1 failed\n$/);
    expect(missing.stderr).toBe('local did not pull no-such-model:1b: pull model manifest: file does not exist\n');
    expect((await runAsync(['pull', 'coder', '--missing', '--data-dir', data])).code).toBe(2);
    // An installed model with a newer version: it is downloaded, and said to be updated.
    const pulled = await runAsync(['pull', 'coder', '--data-dir', data]);
    expect(pulled).toMatchObject({ code: 0, stderr: '' });
    const lines = pulled.stdout.trimEnd().split('\n');
    const layer = lines[1]?.split(':')[0];
    expect(lines).toEqual([
      'pulling manifest',
      ...[0, 20, 50, 70, 100].map((percent) => `${layer}: ${percent}% of 2.0 GB`),
      'verifying sha256 digest',
      'writing manifest',
      expect.stringMatching(new RegExp(`^Updated qwen3-coder:30b on local \\(${ollama.url}\\) to its newer version in \\d+\\.\\d s$`)),
    ]);
    // Pulled again: Ollama has every layer, nothing is downloaded, and it says so.
    const again = (await runAsync(['pull', 'coder', '--data-dir', data])).stdout.trimEnd().split('\n');
    expect(again).toEqual(['pulling manifest', `${layer}: 100% of 2.0 GB`, 'writing manifest', expect.stringMatching(/^qwen3-coder:30b on local \(.+\) is up to date: there was nothing newer to pull \(in \d+\.\d s\)$/)]);
    expect(((await (await fetch(`${ollama.url}/api/tags`)).json()) as { models: { name: string }[] }).models.map((m) => m.name)).toEqual(['qwen3-coder:30b', 'mistral:7b']);
    const failed = await runAsync(['pull', 'gone', '--data-dir', data]);
    expect(failed).toMatchObject({ code: 1, stderr: 'local did not pull no-such-model:1b: pull model manifest: file does not exist\n' });
    expect(await runAsync(['pull', 'mini', '--data-dir', data])).toMatchObject({ code: 1, stderr: expect.stringContaining('mini is not on an Ollama: only an Ollama pulls models') });
  });

  it("says a key the desktop app keeps is out of a shell's reach, and sends nothing without it", async () => {
    // A remote Ollama behind a proxy whose key was pasted in the desktop app.
    const ollama = await startFakeOllama({ models: ['qwen3:8b'] });
    onCleanup(() => ollama.stop());
    const data = dir();
    const config = {
      version: 1,
      providers: [{ name: 'remote', kind: 'ollama', baseUrl: ollama.url, local: false, headers: { 'x-api-key': 'secret:remote.x-api-key' } }],
      deployments: [{ name: 'qwen', provider: 'remote', model: 'qwen3:8b' }, { name: 'mistral', provider: 'remote', model: 'mistral:7b' }],
      routes: [{ name: 'default', deployments: ['qwen', 'mistral'] }],
    };
    expect(run(['import', writeJson(join(data, 'c.json'), config), '--data-dir', data]).code).toBe(0);
    const said = "Provider remote cannot be used from a shell: its key secret:remote.x-api-key is kept by the desktop app, which only the app can read. Use the app (the Overview's Load now and Pull do this), or name the key by an environment variable this shell sets (env:NAME)\n";
    for (const args of [['load', 'qwen'], ['unload', 'qwen'], ['pull', 'mistral'], ['pull', '--missing']]) expect(await runAsync([...args, '--data-dir', data]), args.join(' ')).toMatchObject({ code: 1, stderr: said });
    expect(ollama.requests).toEqual([]);
  });
});

describe('a config with no Ollama deployment', () => {
  it('says it has none, rather than listing nothing', async () => {
    const data = dir();
    const config = {
      version: 1,
      providers: [{ name: 'cloud', kind: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: 'env:OPENAI_API_KEY' }],
      deployments: [{ name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' }],
      routes: [{ name: 'default', deployments: ['mini'] }],
    };
    expect(run(['import', writeJson(join(data, 'c.json'), config), '--data-dir', data]).code).toBe(0);
    expect(await runAsync(['pull', '--data-dir', data])).toMatchObject({ code: 2, stderr: 'Name a deployment to pull; this config has no Ollama deployments\n' });
    expect(await runAsync(['load', 'nope', '--data-dir', data])).toMatchObject({ code: 1, stderr: 'No deployment is named "nope"; this config has no Ollama deployments\n' });
    expect(await runAsync(['load', 'mini', '--data-dir', data])).toMatchObject({ code: 1, stderr: expect.stringMatching(/^mini is not on an Ollama: .*\. This config has no Ollama deployments\n$/) });
  });
});
