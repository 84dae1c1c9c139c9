/**
 * The desktop shell's logic on a fake of the Shell interface, with a real gateway behind it. The
 * Electron binary cannot run on this machine; what it would add (real windows, tray, dialogs) is
 * the thin adapter in electron/main/electron-shell.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { createGateway } from '../../gateway/server';
import { envSecrets } from '../../gateway/config/secrets';
import { autostartEntry, autostartPath } from '../../electron/main/autostart';
import { runDesktop, type DesktopApp } from '../../electron/main/desktop';
import { DESKTOP_CHANNELS, desktopHandlers } from '../../electron/main/ipc';
import { createNotifier } from '../../electron/main/notifications';
import { createEncryptedSecrets, type Cipher } from '../../electron/main/secrets';
import type { DesktopWindow, MenuItem, Shell, WindowOptions } from '../../electron/main/shell';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, tempDir, twoTierConfig } from '../support/harness';

class FakeWindow implements DesktopWindow {
  loaded: string[] = [];
  visible = false;
  destroyed = false;
  closeListeners: ((e: { prevent(): void }) => void)[] = [];
  navigateListeners: ((url: string, e: { prevent(): void }) => void)[] = [];
  openHandler: ((url: string) => 'deny') | undefined;
  constructor(readonly options: WindowOptions) {}
  async load(url: string) {
    this.loaded.push(url);
  }
  show() {
    this.visible = true;
  }
  focus() {}
  hide() {
    this.visible = false;
  }
  isVisible() {
    return this.visible;
  }
  onClose(l: (e: { prevent(): void }) => void) {
    this.closeListeners.push(l);
  }
  onNavigate(l: (url: string, e: { prevent(): void }) => void) {
    this.navigateListeners.push(l);
  }
  setOpenHandler(h: (url: string) => 'deny') {
    this.openHandler = h;
  }
  destroy() {
    this.destroyed = true;
  }
  /** Simulates the user closing the window; returns whether it was kept. */
  close(): boolean {
    let prevented = false;
    for (const l of this.closeListeners) l({ prevent: () => (prevented = true) });
    return prevented;
  }
  navigate(url: string): boolean {
    let prevented = false;
    for (const l of this.navigateListeners) l(url, { prevent: () => (prevented = true) });
    return prevented;
  }
}

class FakeShell implements Shell {
  platform: NodeJS.Platform = 'linux';
  windows: FakeWindow[] = [];
  cookies: { url: string; name: string; value: string }[] = [];
  menu: MenuItem[] = [];
  tooltip = '';
  notices: { title: string; body: string }[] = [];
  copied: string[] = [];
  opened: string[] = [];
  errors: string[] = [];
  loginItem = false;
  exited: number | null = null;
  quitCalled = false;
  secondInstance: (() => void) | undefined;
  beforeQuit: (() => Promise<void> | void) | undefined;
  constructor(readonly dataDir: string, readonly lockTaken = false) {}
  requestSingleInstance(onSecond: () => void) {
    if (this.lockTaken) return false;
    this.secondInstance = onSecond;
    return true;
  }
  userDataDir() {
    return this.dataDir;
  }
  appVersion() {
    return '0.1.0';
  }
  createWindow(options: WindowOptions) {
    const window = new FakeWindow(options);
    this.windows.push(window);
    return window;
  }
  async setSessionCookie(url: string, name: string, value: string) {
    this.cookies.push({ url, name, value });
  }
  setTrayMenu(items: MenuItem[], tooltip: string) {
    this.menu = items;
    this.tooltip = tooltip;
  }
  notify(title: string, body: string) {
    this.notices.push({ title, body });
  }
  copyText(text: string) {
    this.copied.push(text);
  }
  async openExternal(url: string) {
    this.opened.push(url);
  }
  showError(title: string, message: string) {
    this.errors.push(`${title}: ${message}`);
  }
  setLoginItem(enabled: boolean) {
    this.loginItem = enabled;
  }
  loginItemEnabled() {
    return this.loginItem;
  }
  onBeforeQuit(l: () => Promise<void> | void) {
    this.beforeQuit = l;
  }
  onActivate() {}
  quit() {
    this.quitCalled = true;
  }
  exit(code: number) {
    this.exited = code;
  }
  item(label: RegExp): MenuItem {
    const found = this.menu.find((i) => i.label && label.test(i.label));
    if (!found) throw new Error(`no menu item ${label}: ${this.menu.map((i) => i.label).join(' | ')}`);
    return found;
  }
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The fake cloud listens on loopback like everything here; mark it remote as a real cloud is. */
function cloudIsRemote(config: ReturnType<typeof twoTierConfig>) {
  return { ...config, providers: config.providers.map((p) => (p.name === 'cloud' ? { ...p, local: false } : p)) };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function start(options: { port?: number; lockTaken?: boolean; hidden?: boolean; cloudKey?: string } = {}): Promise<{ shell: FakeShell; desktop: DesktopApp }> {
  const keys = options.cloudKey === '' ? {} : { TEST_KEY: options.cloudKey ?? 'sk-test-1234' };
  const dir = tempDir('switchyard-desktop-');
  const ollama = await startFakeOllama();
  const openai = await startFakeOpenAI();
  const shell = new FakeShell(dir.path, options.lockTaken);
  const desktop = (await runDesktop(shell, {
    createGateway: (o) => createGateway({ ...o, config: cloudIsRemote(twoTierConfig({ ollama: ollama.url, openai: openai.url })), discoverOllama: false, healthChecks: false, env: keys, secrets: envSecrets(keys) }),
    secrets: envSecrets({}),
    preloadPath: '/app/out/preload/index.cjs',
    port: options.port ?? (await freePort()),
    hidden: options.hidden ?? false,
    refreshMs: 60_000,
  })) as DesktopApp;
  cleanups.push(async () => {
    if (shell.exited === null) await desktop?.quit();
    await Promise.all([ollama.stop(), openai.stop()]);
    dir.remove();
  });
  return { shell, desktop };
}

describe('desktop lifecycle', () => {
  it('starts the gateway in-process under userData and loads the UI from its origin with the cookie set by main', async () => {
    const { shell, desktop } = await start();
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
  });

  it('makes every window with exactly the locked-down options', async () => {
    const { shell } = await start();
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
    const { shell, desktop } = await start();
    const window = shell.windows[0] as FakeWindow;
    expect(window.close()).toBe(true);
    expect(window.visible).toBe(false);
    expect((await fetch(`${desktop.origin}/v1/models`)).status).toBe(200);
    shell.item(/^Quit/).click?.();
    await expect.poll(() => shell.exited).toBe(0);
    await expect(fetch(`${desktop.origin}/health`)).rejects.toThrow();
    expect(window.close()).toBe(false);
  });

  it('refuses a second instance and focuses the first one instead', async () => {
    const { shell } = await start({ hidden: true });
    expect(shell.windows).toHaveLength(0);
    shell.secondInstance?.();
    expect(shell.windows[0]?.visible).toBe(true);
    const second = new FakeShell(shell.dataDir, true);
    const result = await runDesktop(second, { createGateway, secrets: envSecrets({}), preloadPath: 'x' });
    expect(result).toBeUndefined();
    expect(second.quitCalled).toBe(true);
  });

  it('explains a port conflict and listens on a free port instead of crashing', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => blocker.close(() => r())));
    const taken = (blocker.address() as { port: number }).port;
    const { shell, desktop } = await start({ port: taken });
    const actual = Number(new URL(desktop.origin!).port);
    expect(actual).not.toBe(taken);
    expect(shell.notices[0]?.title).toBe(`Port ${taken} is in use`);
    expect(shell.notices[0]?.body).toContain(`http://127.0.0.1:${actual}/v1`);
    expect(shell.item(/^Running on port/).label).toBe(`Running on port ${actual}`);
  });

  it('shows what the gateway noticed at start as a notification (headless serve prints it)', async () => {
    const { shell } = await start({ cloudKey: '' });
    expect(shell.notices).toEqual([{ title: 'Switchyard', body: 'Provider cloud cannot be used: its API key TEST_KEY is not set, so requests skip its deployments.' }]);
    const quiet = await start();
    expect(quiet.shell.notices).toEqual([]);
  });

  it('keeps the window on its own origin: other pages open in the browser, window.open is denied', async () => {
    const { shell, desktop } = await start();
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
    const { shell, desktop } = await start();
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

    shell.item(/^Start at login/).click?.();
    expect(shell.loginItem).toBe(true);
    expect(shell.item(/^Start at login/).checked).toBe(true);
  });

  it('is rebuilt when a provider goes down, with a notification only on the change', async () => {
    const { shell, desktop } = await start();
    await desktop.refresh();
    await desktop.gateway?.applyConfig({ ...desktop.gateway.config(), providers: desktop.gateway.config().providers.map((p) => (p.name === 'local' ? { ...p, baseUrl: 'http://127.0.0.1:9' } : p)) }, 'test');
    await fetch(`${desktop.origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'x' }] }) });
    await desktop.refresh();
    await desktop.refresh();
    expect(shell.item(/^local:/).label).toBe('local: down');
    expect(shell.tooltip).toContain('local down');
    expect(shell.notices.map((n) => n.title)).toEqual(['local is down', 'Switchyard is falling back']);
  });
});

describe('notifications', () => {
  it('fire on changes only: down, falling back, recovered', () => {
    const notify = createNotifier();
    expect(notify({ providers: [{ name: 'local', status: 'up' }], fallbacks: 0 })).toEqual([]);
    expect(notify({ providers: [{ name: 'local', status: 'up' }], fallbacks: 0 })).toEqual([]);
    expect(notify({ providers: [{ name: 'local', status: 'down' }], fallbacks: 2 }).map((n) => n.title)).toEqual(['local is down', 'Switchyard is falling back']);
    expect(notify({ providers: [{ name: 'local', status: 'down' }], fallbacks: 5 })).toEqual([]);
    expect(notify({ providers: [{ name: 'local', status: 'up' }], fallbacks: 5 }).map((n) => n.title)).toEqual(['local recovered']);
  });

  it('fire once when a budget reaches 80% and once at 100%, and again in its next period', () => {
    const notify = createNotifier();
    const at = (fraction: number, resetsAt = '2026-12-01T05:00:00.000Z') => notify({ providers: [], fallbacks: 0, budgets: [{ name: 'daily', fraction, limitUsd: 5, onExceeded: 'skip-paid', resetsAt }] }).map((n) => n.title);
    expect(at(0.5)).toEqual([]);
    expect(at(0.82)).toEqual(['Budget "daily" is at 82%']);
    expect(at(0.9)).toEqual([]);
    expect(at(1.01)).toEqual(['Budget "daily" is spent']);
    expect(at(1.2)).toEqual([]);
    expect(at(0.85, '2026-12-02T05:00:00.000Z')).toEqual(['Budget "daily" is at 85%']);
  });
});

describe('secrets', () => {
  const cipher = (backend: string, available = true): Cipher => ({
    available: async () => available,
    backend: () => backend,
    encrypt: async (text) => Buffer.from(text.split('').reverse().join(''), 'utf8').map((b) => b ^ 0x5a) as Buffer,
    decrypt: async (data) => Buffer.from(data.map((b) => b ^ 0x5a)).toString('utf8').split('').reverse().join(''),
  });

  it('stores keys encrypted at rest and resolves them after a restart', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const file = join(dir.path, 'secrets.json');
    const secrets = await createEncryptedSecrets({ cipher: cipher('gnome_libsecret'), file, env: { OPENAI_API_KEY: 'sk-env' } });
    expect(secrets.store?.('cloud', 'sk-live-secret-9876')).toBe('secret:cloud');
    expect(secrets.resolve('secret:cloud')).toBe('sk-live-secret-9876');
    expect(secrets.resolve('env:OPENAI_API_KEY')).toBe('sk-env');
    await secrets.flushed();
    expect(readFileSync(file, 'utf8')).not.toContain('sk-live-secret-9876');
    const again = await createEncryptedSecrets({ cipher: cipher('gnome_libsecret'), file, env: {} });
    expect(again.resolve('secret:cloud')).toBe('sk-live-secret-9876');
    expect(again.describe?.()).toEqual({ backend: 'gnome_libsecret', protected: true, canStore: true });
  });

  it('says plainly when keys are not protected (basic_text) and refuses to store without encryption', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const plain = await createEncryptedSecrets({ cipher: cipher('basic_text'), file: join(dir.path, 's.json'), env: {} });
    expect(plain.describe?.()).toEqual({ backend: 'basic_text', protected: false, canStore: true });
    const none = await createEncryptedSecrets({ cipher: cipher('basic_text', false), file: join(dir.path, 't.json'), env: {} });
    expect(() => none.store?.('x', 'y')).toThrow(/env:NAME/);
  });

  it('takes a key pasted in the admin API as a secret: reference the config accepts, and sends it upstream', async () => {
    const dir = tempDir();
    const upstream = await startFakeOpenAI();
    const secrets = await createEncryptedSecrets({ cipher: cipher('gnome_libsecret'), file: join(dir.path, 'secrets.json'), env: {} });
    const h = await startGateway({ version: 1, providers: [], deployments: [], routes: [] }, { secrets });
    cleanups.push(async () => {
      await h.stop();
      await upstream.stop();
      dir.remove();
    });
    const saved = await h.admin('/admin/api/providers', { method: 'POST', body: JSON.stringify({ name: 'cloud', kind: 'openai', baseUrl: `${upstream.url}/v1`, apiKeyValue: 'sk-pasted-in-the-ui-4321' }) });
    expect(saved.status).toBe(201);
    expect((await saved.json()).apiKey).toEqual({ reference: 'secret:cloud', set: true, last4: '4321' });
    expect(h.gateway.config().providers[0]?.apiKey).toBe('secret:cloud');
    await h.admin('/admin/api/deployments', { method: 'POST', body: JSON.stringify({ name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' }) });
    await h.openai.chat.completions.create({ model: 'mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(upstream.requests.at(-1)?.headers.authorization).toBe('Bearer sk-pasted-in-the-ui-4321');
  });

  it('keeps every other key when one stored key cannot be decrypted, and names that one', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const file = join(dir.path, 'secrets.json');
    const first = await createEncryptedSecrets({ cipher: cipher('gnome_libsecret'), file, env: {} });
    first.store?.('good', 'sk-good-1111');
    first.store?.('bad', 'sk-bad-2222');
    await first.flushed();
    const failing: Cipher = { ...cipher('gnome_libsecret'), decrypt: async (data) => {
      const text = await cipher('gnome_libsecret').decrypt(data);
      if (text === 'sk-bad-2222') throw new Error('the keyring lost this one');
      return text;
    } };
    const again = await createEncryptedSecrets({ cipher: failing, file, env: {} });
    expect(again.resolve('secret:good')).toBe('sk-good-1111');
    expect(again.resolve('secret:bad')).toBeUndefined();
    expect(again.describe?.().unreadable).toEqual(['bad']);
  });
});

describe('IPC and autostart', () => {
  it('answers only the window on the gateway origin, and opens only http(s) links', async () => {
    const opened: string[] = [];
    const handlers = desktopHandlers({
      origin: () => 'http://127.0.0.1:7788',
      copyText: () => {},
      openExternal: async (url) => void opened.push(url),
      appInfo: () => ({ version: '0.1.0', platform: 'linux', port: 7788, secretsProtected: true }),
      pickFile: async () => null,
    });
    expect(Object.keys(handlers).sort()).toEqual(Object.values(DESKTOP_CHANNELS).sort());
    expect(handlers[DESKTOP_CHANNELS.appInfo]!('http://127.0.0.1:7788/settings')).toMatchObject({ version: '0.1.0' });
    expect(() => handlers[DESKTOP_CHANNELS.appInfo]!('https://evil.example/')).toThrow(/refused/);
    expect(() => handlers[DESKTOP_CHANNELS.copyText]!('http://127.0.0.1:9999/', 'x')).toThrow(/refused/);
    expect(() => handlers[DESKTOP_CHANNELS.openExternal]!('http://127.0.0.1:7788/', 'file:///etc/passwd')).toThrow(/http and https/);
    await handlers[DESKTOP_CHANNELS.openExternal]!('http://127.0.0.1:7788/', 'https://ollama.com/download');
    expect(opened).toEqual(['https://ollama.com/download']);
  });

  it('writes an XDG autostart entry on Linux', () => {
    expect(autostartPath('/home/ada', undefined)).toBe('/home/ada/.config/autostart/switchyard.desktop');
    expect(autostartPath('/home/ada', '/xdg')).toBe('/xdg/autostart/switchyard.desktop');
    const entry = autostartEntry('/opt/Switchyard/switchyard');
    expect(entry).toContain('[Desktop Entry]');
    expect(entry).toContain('Exec=/opt/Switchyard/switchyard --hidden');
  });
});

describe('the built preload', () => {
  it('exposes exactly the named desktop actions, and nothing of ipcRenderer', () => {
    const built = join(import.meta.dirname, '..', '..', 'out', 'preload', 'index.cjs');
    expect(existsSync(built), 'run "npm run build" first (npm test does)').toBe(true);
    const exposed: Record<string, unknown> = {};
    const invoked: unknown[][] = [];
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
      ipcRenderer: { invoke: (...args: unknown[]) => (invoked.push(args), Promise.resolve()) },
    };
    const sandbox = { require: (name: string) => (name === 'electron' ? electron : undefined), module: { exports: {} }, exports: {} };
    runInContext(readFileSync(built, 'utf8'), createContext(sandbox));
    expect(Object.keys(exposed)).toEqual(['switchyardDesktop']);
    const api = exposed.switchyardDesktop as Record<string, (...a: unknown[]) => unknown>;
    expect(Object.keys(api).sort()).toEqual(['appInfo', 'copyText', 'openExternal', 'pickFile']);
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.values(api).every((f) => typeof f === 'function')).toBe(true);
    void api.copyText?.('hello');
    expect(invoked).toEqual([['switchyard:copy-text', 'hello']]);
  });
});
