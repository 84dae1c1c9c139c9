/**
 * The desktop app's lifecycle and tray, on a fake of the Shell interface (support/desktop.ts) with a
 * real gateway behind it. The Electron binary cannot run on this machine; what it would add (real
 * windows, tray, dialogs) is the thin adapter in electron/main/electron-shell.ts.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGateway } from '../../gateway/server';
import { envSecrets } from '../../gateway/config/secrets';
import { runDesktop } from '../../electron/main/desktop';
import { createEncryptedSecrets } from '../../electron/main/secrets';
import { FakeShell, onCleanup, startDesktop, useDesktopCleanups, type FakeWindow } from '../support/desktop';
import { tempDir } from '../support/harness';
import { startFakeServer } from '../support/fake-server';
import { sessionCookieName } from '../../gateway/surfaces/admin/session';

useDesktopCleanups();

describe('desktop lifecycle', () => {
  it('starts the gateway in-process under userData and loads the UI from its origin with the cookie set by main', async () => {
    const { shell, desktop } = await startDesktop();
    expect(desktop.gateway?.dataDir).toBe(join(shell.dataDir, 'data'));
    expect(existsSync(join(shell.dataDir, 'data', 'switchyard.db'))).toBe(true);
    const window = shell.windows[0] as FakeWindow;
    await expect.poll(() => window.loaded).toEqual([`${desktop.origin}/`]);
    expect(shell.cookies).toHaveLength(1);
    const cookie = shell.cookies[0]!;
    expect(cookie.name).toBe(`switchyard_session_${new URL(desktop.origin!).port}`);
    expect(desktop.gateway?.sessions.valid(cookie.value)).toBe(true);
    expect(window.loaded[0]).not.toContain('token');
    expect((await fetch(`${desktop.origin}/health`)).status).toBe(200);
    // Settings, in the window, says notices come as this app's notifications.
    const settings = await (await fetch(`${desktop.origin}/admin/api/settings`, { headers: { cookie: `${cookie.name}=${cookie.value}` } })).json();
    expect(settings.server.notices).toEqual({ desktop: true, webhookHost: null, webhookFrom: null, webhookProblem: null, webhookWarning: null });
  });

  it('makes every window with exactly the locked-down options', async () => {
    const { shell } = await startDesktop();
    expect(shell.windows[0]?.options).toEqual({
      width: 1280,
      height: 860,
      minWidth: 900,
      minHeight: 600,
      show: false,
      title: 'Switchyard',
      backgroundColor: '#0d1117',
      webPreferences: {
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        spellcheck: false,
        preload: '/app/out/preload/index.cjs',
      },
    });
  });

  it('closes to the tray and keeps serving; Quit stops the gateway and exits', async () => {
    const { shell, desktop } = await startDesktop();
    const window = shell.windows[0] as FakeWindow;
    expect(window.close()).toBe(true);
    expect(window.visible).toBe(false);
    expect((await fetch(`${desktop.origin}/v1/models`)).status).toBe(200);
    shell.item(/^Quit/).click?.();
    await expect.poll(() => shell.exited).toBe(0);
    await expect(fetch(`${desktop.origin}/health`)).rejects.toThrow();
    expect(window.close()).toBe(false);
  });

  it('says so when its dashboard cannot load, rather than leave a blank window, and keeps serving tools', async () => {
    const { shell, desktop } = await startDesktop({ hidden: true });
    shell.failLoad = new Error('ERR_CONNECTION_REFUSED (-102) loading the dashboard');
    shell.item(/^Open dashboard/).click?.();
    await expect.poll(() => shell.errors).toEqual([`Switchyard could not open its dashboard: ERR_CONNECTION_REFUSED (-102) loading the dashboard. Tools can still use ${desktop.origin}/v1.`]);
    expect((await fetch(`${desktop.origin}/v1/models`)).status).toBe(200);
  });

  it('refuses a second instance and focuses the first one instead', async () => {
    const { shell } = await startDesktop({ hidden: true });
    expect(shell.windows).toHaveLength(0);
    shell.secondInstance?.();
    expect(shell.windows[0]?.visible).toBe(true);
    const second = new FakeShell(shell.dataDir, true);
    const result = await runDesktop(second, { createGateway, secrets: envSecrets({}), preloadPath: 'x' });
    expect(result).toBeUndefined();
    expect(second.quitCalled).toBe(true);
  });

  it("gives the gateway the system's proxy when its environment names none, and never over one it names", async () => {
    const seen: (Record<string, string | undefined> | undefined)[] = [];
    const start = async (env: Record<string, string | undefined>) => {
      const dir = tempDir('switchyard-desktop-proxy-');
      onCleanup(() => dir.remove());
      const shell = new FakeShell(dir.path);
      shell.systemProxyAnswer = 'PROXY proxy.corp.example:3128; DIRECT';
      const desktop = await runDesktop(shell, { createGateway: (o) => (seen.push(o.env), createGateway({ ...o, discoverOllama: false, healthChecks: false })), secrets: envSecrets({}), preloadPath: 'x', hidden: true, env, port: 0 });
      onCleanup(() => desktop?.quit());
      return shell;
    };
    const asked = await start({ HOME: '/home/u' });
    expect(asked.proxyAskedFor).toEqual(['https://api.openai.com/']);
    expect(seen[0]).toEqual({ HOME: '/home/u', HTTPS_PROXY: 'http://proxy.corp.example:3128', HTTP_PROXY: 'http://proxy.corp.example:3128' });
    const own = await start({ https_proxy: 'http://mine:8080' });
    expect(own.proxyAskedFor).toEqual([]);
    expect(seen[1]).toEqual({ https_proxy: 'http://mine:8080' });
  });

  it('explains a port conflict and listens on a free port instead of crashing', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    onCleanup(() => new Promise<void>((r) => blocker.close(() => r())));
    const taken = (blocker.address() as { port: number }).port;
    const { shell, desktop } = await startDesktop({ port: taken });
    const actual = Number(new URL(desktop.origin!).port);
    expect(actual).not.toBe(taken);
    expect(shell.notices[0]?.title).toBe(`Port ${taken} is in use`);
    expect(shell.notices[0]?.body).toContain(`http://127.0.0.1:${actual}/v1`);
    expect(shell.notices[0]?.body).not.toContain('still point');
    expect(shell.item(/^Running on port/).label).toBe(`Running on port ${actual}`);
  });

  it('names the tools still pointed at a taken port: their prompts go to the program that holds it', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    onCleanup(() => new Promise<void>((r) => blocker.close(() => r())));
    const taken = (blocker.address() as { port: number }).port;
    // Claude Code and Codex were connected while the gateway had the port; opencode points at another server.
    const home = tempDir();
    onCleanup(() => home.remove());
    mkdirSync(join(home.path, '.claude'));
    writeFileSync(join(home.path, '.claude', 'settings.json'), JSON.stringify({ env: { ANTHROPIC_BASE_URL: `http://localhost:${taken}`, ANTHROPIC_MODEL: 'coder' } }));
    mkdirSync(join(home.path, '.codex'));
    writeFileSync(join(home.path, '.codex', 'config.toml'), `model_provider = "switchyard"\nmodel = "coder"\n\n[model_providers.switchyard]\nname = "Switchyard"\nbase_url = "http://127.0.0.1:${taken}/v1"\n`);
    mkdirSync(join(home.path, '.config', 'opencode'), { recursive: true });
    writeFileSync(join(home.path, '.config', 'opencode', 'opencode.json'), JSON.stringify({ model: 'switchyard/coder', provider: { switchyard: { options: { baseURL: 'http://127.0.0.1:7799/v1' } } } }));
    const { shell } = await startDesktop({ port: taken, env: { HOME: home.path } });
    expect(shell.notices[0]?.body).toContain(`Claude Code, Codex CLI still point at port ${taken}, so their requests go to that program: connect them again (Connect a tool) or free the port.`);
  });

  it('shows what the gateway noticed at start as a notification (headless serve prints it)', async () => {
    const { shell } = await startDesktop({ cloudKey: '' });
    expect(shell.notices).toEqual([{ title: 'Switchyard', body: 'Provider cloud cannot be used: its API key TEST_KEY is not set, so requests skip its deployments.' }]);
    const quiet = await startDesktop();
    expect(quiet.shell.notices).toEqual([]);
  });

  it('keeps the window on its own origin: other pages open in the browser, window.open is denied', async () => {
    const { shell, desktop } = await startDesktop();
    const window = shell.windows[0] as FakeWindow;
    expect(window.navigate(`${desktop.origin}/usage`)).toBe(false);
    expect(window.navigate('https://example.com/docs')).toBe(true);
    expect(window.navigate('file:///etc/passwd')).toBe(true);
    expect(window.openHandler?.('https://platform.openai.com/api-keys')).toBe('deny');
    expect(window.openHandler?.('javascript:alert(1)')).toBe('deny');
    expect(shell.opened).toEqual(['https://example.com/docs', 'https://platform.openai.com/api-keys']);
  });
});

describe('tray', () => {
  it('shows status per provider, copies the base URL, toggles local only and start at login', async () => {
    const { shell, desktop } = await startDesktop();
    await desktop.refresh();
    expect(shell.menu.map((i) => i.label ?? '---')).toEqual([
      `Running on port ${new URL(desktop.origin!).port}`,
      'local: unknown',
      'cloud: unknown',
      '---',
      'Copy base URL',
      'Open dashboard',
      '---',
      'Local only (pause routing to cloud)',
      'Start at login',
      '---',
      'Quit Switchyard',
    ]);
    expect(shell.tooltip).toMatch(/^Switchyard on port \d+: healthy$/);
    shell.item(/^Copy base URL/).click?.();
    expect(shell.copied).toEqual([`${desktop.origin}/v1`]);

    shell.item(/^Local only/).click?.();
    expect(shell.item(/^Local only/).checked).toBe(true);
    expect(desktop.gateway?.localOnly()).toBe(true);
    const res = await fetch(`${desktop.origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'mini', messages: [{ role: 'user', content: 'x' }] }) });
    expect(res.status).toBe(503);
    expect((await res.json()).error.message).toContain('local only');
    // A setting like any other: kept in the config, and switched off from the dashboard the tray follows.
    expect(desktop.gateway?.config().settings?.localOnly).toBe(true);
    const off = await fetch(`${desktop.origin}/admin/api/settings`, { method: 'PUT', headers: { 'content-type': 'application/json', cookie: `switchyard_session_${new URL(desktop.origin!).port}=${desktop.gateway?.sessions.createSession()}` }, body: JSON.stringify({ settings: { localOnly: false } }) });
    expect(off.status).toBe(200);
    await desktop.refresh();
    expect(shell.item(/^Local only/).checked).toBe(false);

    shell.item(/^Start at login/).click?.();
    expect(shell.loginItem).toBe(true);
    expect(shell.item(/^Start at login/).checked).toBe(true);
    shell.loginItemRefusal = new Error("EACCES: permission denied, open '/home/you/.config/autostart/switchyard.desktop'");
    shell.item(/^Start at login/).click?.();
    shell.loginItemRefusal = undefined;
    expect(shell.item(/^Start at login/).checked).toBe(true);
    expect(shell.notices.at(-1)).toEqual({ title: 'Start at login was not switched', body: expect.stringMatching(/^EACCES: permission denied/) });

    // A store that takes no write (a full disk, a read-only volume): the switch is kept like any
    // config change, so it is refused, and said.
    desktop.gateway!.db.pragma('query_only = ON');
    shell.item(/^Local only/).click?.();
    desktop.gateway!.db.pragma('query_only = OFF');
    expect(shell.item(/^Local only/).checked).toBe(false);
    expect(desktop.gateway?.localOnly()).toBe(false);
    expect(shell.notices.at(-1)).toEqual({ title: 'Local only was not switched', body: expect.stringMatching(/^Switchyard could not save the change: attempt to write a readonly database/) });
  });

  it('is rebuilt when a provider goes down, with a notification only on the change', async () => {
    const { shell, desktop } = await startDesktop();
    await desktop.refresh();
    await desktop.gateway?.applyConfig({ ...desktop.gateway.config(), providers: desktop.gateway.config().providers.map((p) => (p.name === 'local' ? { ...p, baseUrl: 'http://127.0.0.1:9' } : p)) }, 'test');
    await fetch(`${desktop.origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'x' }] }) });
    await desktop.refresh();
    await desktop.refresh();
    expect(shell.item(/^local:/).label).toBe('local: down');
    expect(shell.tooltip).toContain('local down');
    expect(shell.notices.map((n) => n.title)).toEqual(['local is down', 'Switchyard is falling back']);
  });

  it('posts the same notices to the webhook its environment names, and says a URL it cannot use', async () => {
    const hook = await startFakeServer((_request, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
    onCleanup(() => hook.stop());
    const { shell, desktop } = await startDesktop({ env: { SWITCHYARD_WEBHOOK_URL: `${hook.url}/services/T1/B2/secret` } });
    await desktop.refresh();
    await desktop.gateway?.applyConfig({ ...desktop.gateway.config(), providers: desktop.gateway.config().providers.map((p) => (p.name === 'local' ? { ...p, baseUrl: 'http://127.0.0.1:9' } : p)) }, 'test');
    await fetch(`${desktop.origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'x' }] }) });
    await desktop.refresh();
    expect(shell.notices.map((n) => n.title)).toEqual(['local is down', 'Switchyard is falling back']);
    await expect.poll(() => hook.requests.length).toBe(2);
    expect(hook.requests.map((r) => [r.path, (r.body as { title: string }).title])).toEqual([['/services/T1/B2/secret', 'local is down'], ['/services/T1/B2/secret', 'Switchyard is falling back']]);
    // Settings says both places, the webhook by its host alone.
    const cookie = `${sessionCookieName(Number(new URL(desktop.origin as string).port))}=${desktop.gateway?.sessions.createSession()}`;
    const settings = await (await fetch(`${desktop.origin}/admin/api/settings`, { headers: { cookie } })).json();
    expect(settings.server.notices).toEqual({ desktop: true, webhookHost: new URL(hook.url).host, webhookFrom: 'environment', webhookProblem: null, webhookWarning: null });
    // Its "Send a test notice" goes through the app's own sender.
    const tried = await (await fetch(`${desktop.origin}/admin/api/notices/test`, { method: 'POST', headers: { cookie } })).json();
    expect(tried).toEqual({ delivered: true, message: `Posted a test notice to the webhook at ${new URL(hook.url).host}` });
    expect(hook.requests.at(-1)?.body).toMatchObject({ title: 'a test notice' });

    const bad = await startDesktop({ env: { SWITCHYARD_WEBHOOK_URL: 'https://user:pw@hooks.example.com/x' } });
    expect(bad.desktop.gateway).toBeDefined();
    expect(bad.shell.notices[0]?.title).toBe('Notices are not posted to the webhook');
    expect(bad.shell.notices[0]?.body).not.toContain('pw');
  });

  it('posts the notices to a webhook pasted in its Settings, kept in its encrypted key store, from the next notice on', async () => {
    const hook = await startFakeServer((_request, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
    onCleanup(() => hook.stop());
    const dir = tempDir();
    onCleanup(() => dir.remove());
    const file = join(dir.path, 'secrets.json');
    const cipher = { available: async () => true, backend: () => 'keychain', encrypt: async (text: string) => Buffer.from(text, 'utf8').map((b) => b ^ 0x5a) as Buffer, decrypt: async (data: Buffer) => Buffer.from(data.map((b) => b ^ 0x5a)).toString('utf8') };
    const { shell, desktop } = await startDesktop({ secrets: await createEncryptedSecrets({ cipher, file, env: { TEST_KEY: 'sk-test-1234' } }) });
    await desktop.refresh();
    const cookie = `${sessionCookieName(Number(new URL(desktop.origin as string).port))}=${desktop.gateway?.sessions.createSession()}`;
    const pasted = await fetch(`${desktop.origin}/admin/api/notices/webhook`, { method: 'PUT', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ url: `${hook.url}/services/T1/B2/secret` }) });
    expect(pasted.status).toBe(200);
    // On disk encrypted, not as the URL.
    expect(readFileSync(file, 'utf8')).not.toContain('/services/T1');
    await desktop.gateway?.applyConfig({ ...desktop.gateway.config(), providers: desktop.gateway.config().providers.map((p) => (p.name === 'local' ? { ...p, baseUrl: 'http://127.0.0.1:9' } : p)) }, 'test');
    await fetch(`${desktop.origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'x' }] }) });
    await desktop.refresh();
    expect(shell.notices.map((n) => n.title)).toEqual(['local is down', 'Switchyard is falling back']);
    await expect.poll(() => hook.requests.map((r) => [r.path, (r.body as { title: string }).title])).toEqual([['/services/T1/B2/secret', 'local is down'], ['/services/T1/B2/secret', 'Switchyard is falling back']]);
  });

  it('says when a model pull the page started has ended, though its window was closed', async () => {
    // Each progress line a quarter second after the last: the pull is seen under way.
    const { shell, desktop } = await startDesktop({ pullStepMs: 250 });
    const gateway = desktop.gateway!;
    const qwen = { name: 'qwen', provider: 'local', model: 'qwen3:8b' };
    gateway.applyConfig({ ...gateway.config(), deployments: [...gateway.config().deployments, qwen] }, 'test');
    gateway.pulls.start(qwen);
    await desktop.refresh();
    expect(shell.notices).toEqual([]);
    await expect.poll(() => gateway.pulls.list()[0]?.state, { timeout: 10_000 }).toBe('done');
    await desktop.refresh();
    await desktop.refresh();
    expect(shell.notices).toEqual([{ title: 'qwen3:8b is pulled', body: 'local has it: its deployments can answer now.' }]);
  });
});
