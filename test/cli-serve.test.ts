/** `switchyard serve` as users run it: start-up, what it prints, the port, --config, and stopping. */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeOllama } from './support/fake-ollama';
import { startFakeOpenAI } from './support/fake-openai';
import { parseMetrics } from './support/prometheus-text';
import { baseEnv, cloudOnly, config, dir, freePort, onCleanup, run, serve, useCliCleanups, writeJson } from './support/cli';

useCliCleanups();

describe('switchyard serve', () => {
  it('starts on loopback, prints the base URL with /v1, and writes a working default config on first start', async () => {
    const data = dir();
    const { child, baseUrl, output } = await serve(['--port', '0', '--data-dir', data], { OPENAI_API_KEY: 'sk-abc' });
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const models = await fetch(`${baseUrl}/models`).then((r) => r.json());
    expect(models.data.map((m: { id: string }) => m.id)).toEqual(['default', 'embed', 'llama3.2', 'gpt-4.1-mini', 'text-embedding-3-small']);
    // No Ollama answered (OLLAMA_HOST is a closed port here): the guessed local model is said at start
    // (on stderr, which may reach this pipe after the banner on stdout).
    await expect.poll(output).toContain(
      'Notice: no Ollama answered at http://127.0.0.1:9, so the default route guesses the model "llama3.2": start Ollama and run "ollama pull llama3.2", or change the route in the dashboard; until then requests go to gpt-4.1-mini',
    );
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(child.exitCode).toBe(0);
    const exported = run(['export', '--data-dir', data]).stdout;
    expect(exported).toContain('env:OPENAI_API_KEY');
    expect(exported).not.toContain('sk-abc');
  });

  it('on first start uses the chat models the local Ollama has, and says so when it has none', async () => {
    const withChat = await startFakeOllama({ models: ['qwen2.5:7b', 'nomic-embed-text'] });
    const embedOnly = await startFakeOllama({ models: ['nomic-embed-text'] });
    onCleanup(() => Promise.all([withChat.stop(), embedOnly.stop()]).then(() => undefined));

    const found = await serve(['--port', '0', '--data-dir', dir()], { OLLAMA_HOST: withChat.url });
    const models = await fetch(`${found.baseUrl}/models`).then((r) => r.json());
    expect(models.data.map((m: { id: string }) => m.id)).toEqual(['default', 'embed', 'qwen2.5:7b', 'nomic-embed-text']);
    // Read once its output is whole (at 'close'), so that a notice still in the pipe is not missed.
    found.child.kill('SIGTERM');
    await new Promise((resolve) => found.child.once('close', resolve));
    expect(found.output()).toContain('Switchyard');
    expect(found.output()).not.toContain('Notice:');

    const none = await serve(['--port', '0', '--data-dir', dir()], { OLLAMA_HOST: embedOnly.url });
    await expect.poll(none.output).toContain(`Notice: the Ollama at ${embedOnly.url} has no chat model installed, so the default route guesses the model "llama3.2"`);
    await expect.poll(none.output).toContain('until then requests fail, as no cloud provider is set up (none of OPENAI_API_KEY, ANTHROPIC_API_KEY and GEMINI_API_KEY was set)');
  });

  it('takes its port from SWITCHYARD_PORT, and --port wins over it', async () => {
    const port = await freePort();
    const first = await serve(['--data-dir', dir()], { SWITCHYARD_PORT: String(port) });
    expect(first.baseUrl).toBe(`http://127.0.0.1:${port}/v1`);
    first.child.kill('SIGTERM');
    await new Promise((resolve) => first.child.once('exit', resolve));
    const second = await serve(['--data-dir', dir(), '--port', String(port)], { SWITCHYARD_PORT: '1' });
    expect(second.baseUrl).toBe(`http://127.0.0.1:${port}/v1`);
  });

  it('imports --config at start, replacing the stored config', async () => {
    const data = dir();
    const file = writeJson(join(data, 'c.json'), config);
    const { baseUrl, output } = await serve(['--port', '0', '--data-dir', data, '--config', file]);
    const models = await fetch(`${baseUrl}/models`).then((r) => r.json());
    expect(models.data.map((m: { id: string }) => m.id)).toEqual(['default', 'llama', 'mini']);
    // Said at start, not first at a request: the key this provider needs is not in the environment.
    await expect.poll(output).toContain('Notice: provider cloud cannot be used: its API key OPENAI_API_KEY is not set, so requests skip its deployments');
  });

  it('prints a request to try that works as printed, naming a chat route this config has', async () => {
    const upstream = await startFakeOpenAI();
    onCleanup(() => upstream.stop());
    const data = dir();
    const own = {
      version: 1,
      providers: [{ name: 'cloud', kind: 'openai', baseUrl: `${upstream.url}/v1`, apiKey: 'env:OPENAI_API_KEY', healthCheck: { intervalMs: 0 } }],
      deployments: [
        { name: 'vectors', provider: 'cloud', model: 'text-embedding-3-small', type: 'embedding' },
        { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' },
      ],
      routes: [
        { name: 'embed', deployments: ['vectors'] },
        { name: 'team-chat', deployments: ['mini'] },
      ],
    };
    const { output } = await serve(['--port', '0', '--data-dir', data, '--config', writeJson(join(data, 'c.json'), own)], { OPENAI_API_KEY: 'sk-test' });
    const tried = /Try: curl (\S+) -H 'content-type: application\/json' -d '([^']+)'/.exec(output());
    expect(tried, output()).not.toBeNull();
    const body = JSON.parse(tried![2]!);
    expect(body.model).toBe('team-chat');
    expect(output()).not.toContain('cannot be used');
    const res = await fetch(tried![1]!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: tried![2] });
    expect(res.status).toBe(200);
    expect((await res.json()).choices[0].message.role).toBe('assistant');
  });

  it('prints addresses that work as printed when bound to every interface (0.0.0.0 is no Host the guard takes)', async () => {
    const { baseUrl, output } = await serve(['--port', '0', '--host', '0.0.0.0', '--data-dir', dir()]);
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect((await fetch(baseUrl.replace('/v1', '/health'))).status).toBe(200);
    const lan = Object.values(networkInterfaces()).flatMap((l) => l ?? []).find((a) => !a.internal && a.family === 'IPv4');
    const others = /Other machines:\s+(\S+)\/v1/.exec(output())?.[1];
    expect(others).toBe(lan ? `http://${lan.address}:${new URL(baseUrl).port}` : undefined);
    if (lan) expect((await fetch(`${others}/health`)).status).toBe(200);
  });

  it('refuses an invalid --config and changes nothing', async () => {
    const data = dir();
    run(['import', writeJson(join(data, 'in.json'), config), '--data-dir', data]);
    const bad = structuredClone(config);
    bad.deployments[0]!.timeZone = 'Nowhere/Land';
    const result = run(['serve', '--port', '0', '--data-dir', data, '--config', writeJson(join(data, 'bad.json'), bad)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('deployments[0].timeZone: "Nowhere/Land" is not a known IANA time zone');
    expect(JSON.parse(run(['export', '--data-dir', data]).stdout)).toEqual(config);
  });

  it('explains a port that is already in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    onCleanup(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const port = (blocker.address() as { port: number }).port;
    const result = run(['serve', '--port', String(port), '--data-dir', dir()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
  });

  it('picks up a config imported by another process while it runs', async () => {
    const data = dir();
    const { baseUrl } = await serve(['--port', '0', '--data-dir', data, '--config', writeJson(join(data, 'c.json'), config)]);
    const changed = { ...config, routes: [{ name: 'fast', deployments: ['mini', 'llama'] }] };
    expect(run(['import', writeJson(join(data, 'd.json'), changed), '--data-dir', data]).code).toBe(0);
    await expect
      .poll(async () => (await fetch(`${baseUrl}/models`).then((r) => r.json())).data.map((m: { id: string }) => m.id), { timeout: 6000, interval: 250 })
      .toEqual(['fast', 'llama', 'mini']);
  });
});

describe('commands that print or write the gateway URL', () => {
  it('find the gateway running on their data dir, on whatever port it took, and forget it once it is gone', async () => {
    const data = dir();
    const env = { SWITCHYARD_PORT: '4321' };
    const { child, baseUrl } = await serve(['--port', '0', '--data-dir', data], env);
    const url = baseUrl.replace(/\/v1$/, '');
    const issued = run(['login-link', '--data-dir', data], env);
    const link = issued.stdout.trim();
    expect(link).toMatch(new RegExp(`^${url}/\\?token=[\\w-]+$`));
    expect(issued.stderr).toBe('');
    const login = await fetch(link, { redirect: 'manual' });
    expect(login.status).toBe(303);
    expect(login.headers.get('set-cookie')).toMatch(/^switchyard_session_/);
    expect(run(['connect', '--data-dir', data], env).stdout).toContain(`${url}/v1`);
    // Another port (a tunnel's) names it; the note says where the gateway serving the data dir listens.
    const elsewhere = run(['login-link', '--data-dir', data, '--port', '5555'], env);
    expect(elsewhere.stdout).toMatch(/^http:\/\/127\.0\.0\.1:5555\/\?token=/);
    expect(elsewhere.stderr).toBe(`Note: the gateway serving ${data} listens at ${url}; the link names http://127.0.0.1:5555 (a tunnel or a forwarded port?).\n`);
    // A second gateway on the same data dir says so, and the first keeps its place.
    const second = await serve(['--port', '0', '--data-dir', data], env);
    await expect.poll(() => second.output(), { timeout: 5000 }).toContain(`Notice: another Switchyard (${url}) is serving this data dir`);
    second.child.kill('SIGTERM');
    await new Promise((resolve) => second.child.once('exit', resolve));
    expect(run(['login-link', '--data-dir', data], env).stdout).toMatch(new RegExp(`^${url}/`));
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(run(['login-link', '--data-dir', data], env).stdout).toMatch(/^http:\/\/127\.0\.0\.1:4321\/\?token=/);
    // A gateway killed outright leaves its row; its process is gone, so the row is not believed.
    const killed = await serve(['--port', '0', '--data-dir', data], env);
    killed.child.kill('SIGKILL');
    await new Promise((resolve) => killed.child.once('exit', resolve));
    expect(run(['login-link', '--data-dir', data], env).stdout).toMatch(/^http:\/\/127\.0\.0\.1:4321\/\?token=/);
  });
});

describe('stopping serve', () => {
  it('stops the gateway `npm start` runs when that process is told to stop: none is left behind', async () => {
    const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'scripts', 'start.js')], {
      env: baseEnv({ SWITCHYARD_HOME: dir(), SWITCHYARD_PORT: '0', SWITCHYARD_HEADLESS: '1' }),
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    onCleanup(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    await expect.poll(() => /Health:\s+(\S+)/.exec(output)?.[1], { timeout: 30_000, interval: 100 }).toBeDefined();
    const health = /Health:\s+(\S+)/.exec(output)?.[1] as string;
    expect((await fetch(health)).status).toBe(200);
    // The built bundle serves the metrics the banner names, in Prometheus's text format.
    const metrics = await fetch(/Metrics:\s+(\S+)/.exec(output)?.[1] as string);
    expect(metrics.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(parseMetrics(await metrics.text()).types.get('switchyard_requests_total')).toBe('COUNTER');
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(health)).rejects.toThrow();
  }, 40_000);


  it('lets a stream in flight finish and log its row on SIGTERM, then exits', async () => {
    const upstream = await startFakeOpenAI({ chunkDelayMs: 150 });
    onCleanup(() => upstream.stop());
    const data = dir();
    const { child, baseUrl, output } = await serve(['--port', '0', '--data-dir', data, '--config', writeJson(join(data, 'c.json'), cloudOnly(upstream.url, 'slow'))], { OPENAI_API_KEY: 'sk-test' });
    const res = await fetch(`${baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'slow', stream: true, messages: [{ role: 'user', content: 'one two three four five six' }] }),
    });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = new TextDecoder().decode((await reader.read()).value);
    // 'close', not 'exit': the pipes may still hold the last of its output when the process has ended.
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    child.kill('SIGTERM');
    for (let part = await reader.read(); !part.done; part = await reader.read()) text += new TextDecoder().decode(part.value);
    expect(text.trim().endsWith('data: [DONE]')).toBe(true);
    expect(await exited).toBe(0);
    expect(output()).toContain('Stopping: requests in flight may finish');
    const rows = JSON.parse(run(['usage', 'export', '--format', 'json', '--data-dir', data]).stdout);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ route: 'slow', status: 200, errorClass: null });
  });
});

describe('switchyard status', () => {
  it('says whether a gateway serves the data dir, where, and what its health report says, as text or JSON', async () => {
    const data = dir();
    expect(run(['status', '--data-dir', data]).stderr).toContain(`There is no Switchyard data in ${data}`);
    const ollama = await startFakeOllama();
    onCleanup(() => ollama.stop());
    // `gone`'s model is one the Ollama does not have.
    const deployments = [...config.deployments, { name: 'gone', provider: 'local', model: 'mistral:7b' }];
    const withBudget = { ...config, deployments, providers: [{ ...config.providers[0], baseUrl: ollama.url }, config.providers[1]], budgets: [{ name: 'daily', scope: 'global', period: 'day', limitUsd: 5 }] };
    expect(run(['import', writeJson(join(data, 'in.json'), withBudget), '--data-dir', data]).code).toBe(0);
    const stopped = run(['status', '--data-dir', data]);
    expect(stopped.code).toBe(3);
    expect(stopped.stderr).toBe(`No Switchyard is serving ${data}: "switchyard serve" starts one.\n`);

    const { child, baseUrl } = await serve(['--port', '0', '--data-dir', data]);
    const url = baseUrl.replace(/\/v1$/, '');
    const text = run(['status', '--data-dir', data]);
    expect(text.code).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^Switchyard \\S+ at ${url} \\(pid ${child.pid}, up \\d+ s\\): (ok|degraded)$`));
    expect(lines).toContain(`Data dir: ${data}`);
    expect(lines).toContain('Store: ok');
    // The config's two providers, its deployments, and its budget with what it has spent.
    expect(lines.slice(lines.indexOf('Providers:') + 1, lines.indexOf('Providers:') + 3).map((l) => l.trim().split(/\s{2,}/).slice(0, 3))).toEqual([['local', 'ollama', ollama.url], ['cloud', 'openai', 'https://api.openai.com/v1']]);
    // Whether the Ollama has the deployment's model in memory, once the gateway's first probe has asked it.
    await expect.poll(() => run(['status', '--data-dir', data]).stdout.split('\n').find((l) => l.startsWith('  llama'))).toContain('in memory');
    expect(run(['status', '--data-dir', data]).stdout.split('\n').find((l) => l.startsWith('  gone'))).toMatch(/ not installed/);
    expect(lines[lines.indexOf('Budgets:') + 1]).toMatch(/^ {2}daily {2}global, per day {2}\$0 of \$5\.00 {2}resets \d{4}-\d\d-\d\d 00:00:00$/);
    // And where the tools it can connect point, read from their settings files under HOME.
    const home = dir();
    mkdirSync(join(home, '.claude'));
    writeJson(join(home, '.claude', 'settings.json'), { env: { ANTHROPIC_BASE_URL: url.replace('127.0.0.1', 'localhost'), ANTHROPIC_MODEL: 'default' } });
    const tools = run(['status', '--data-dir', data], { HOME: home }).stdout.split('\n');
    expect(tools.slice(tools.indexOf('Tools (what their settings files point at):') + 1, -1)).toEqual([
      '  Claude Code: this gateway, asking for default',
      '  Codex CLI: no settings file yet: "switchyard connect codex" writes one',
      '  opencode: no settings file yet: "switchyard connect opencode" writes one',
    ]);
    const json = JSON.parse(run(['status', '--format', 'json', '--data-dir', data], { HOME: home }).stdout);
    expect(json).toMatchObject({ url, pid: child.pid, dataDir: data, store: 'ok', budgets: [{ name: 'daily', limitUsd: 5 }], tools: [{ tool: 'claude-code', state: 'here', route: 'default' }, { state: 'none' }, { state: 'none' }] });
    expect(json.deployments.map((d: { name: string }) => d.name)).toEqual(withBudget.deployments.map((d) => d.name));
    expect(run(['status', '--format', 'yaml', '--data-dir', data]).stderr).toBe('Unknown format "yaml": use text or json\n');

    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(run(['status', '--data-dir', data]).code).toBe(3);
  });

  it('reads the whole report of a gateway listening beyond this machine with --key, and says it needs one without', async () => {
    const data = dir();
    const exposed = await serve(['--port', '0', '--host', '0.0.0.0', '--data-dir', data]);
    expect(exposed.output()).toContain(`Warning: listening on 0.0.0.0, beyond this machine: anyone who can reach it and holds a client key can use your providers. Every request needs one here, this machine's tools' too ("switchyard keys create NAME").`);
    const unkeyed = await fetch(`${exposed.baseUrl}/models`);
    expect(unkeyed.status).toBe(401);
    const partial = run(['status', '--data-dir', data]);
    expect(partial.code).toBe(0);
    expect(partial.stdout).toContain('needs a client key (--key KEY)');
    expect(partial.stdout).not.toContain('Providers:');
    const key = /sy-\S+/.exec(run(['keys', 'create', 'ops', '--data-dir', data]).stdout)?.[0] as string;
    expect(run(['status', '--key', 'sy-wrong', '--data-dir', data]).stdout).toContain('needs a client key, and the one given is not one');
    // The running gateway takes a key made by the CLI within 2 s.
    await expect.poll(() => run(['status', '--key', key, '--data-dir', data]).stdout, { timeout: 5_000 }).toContain('Providers:');
    exposed.child.kill('SIGTERM');
    await new Promise((resolve) => exposed.child.once('exit', resolve));
  });
});
