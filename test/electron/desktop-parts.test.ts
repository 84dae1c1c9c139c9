/**
 * The desktop app's parts that need no window: notifications on changes, encrypted secrets, the IPC
 * handlers and autostart entry, and the built preload script.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { autostartEntry, autostartPath } from '../../electron/main/autostart';
import { DESKTOP_CHANNELS, desktopHandlers } from '../../electron/main/ipc';
import { createNotifier } from '../../gateway/notices/notifier';
import { createEncryptedSecrets, type Cipher } from '../../electron/main/secrets';
import { namesProxy, proxyVariables } from '../../electron/main/system-proxy';
import { onCleanup, useDesktopCleanups } from '../support/desktop';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, tempDir } from '../support/harness';

useDesktopCleanups();

describe('notifications', () => {
  it('fire on changes only: down, falling back, recovered once up for a minute', () => {
    let clock = 0;
    const notify = createNotifier(() => clock);
    const at = (ms: number, status: string, fallbacks = 0) => ((clock = ms), notify({ providers: [{ name: 'local', status }], fallbacks }).map((n) => n.title));
    expect(at(0, 'up')).toEqual([]);
    expect(at(2_000, 'up')).toEqual([]);
    expect(at(4_000, 'down', 2)).toEqual(['local is down', 'Switchyard is falling back']);
    expect(at(6_000, 'down', 5)).toEqual([]);
    expect(at(8_000, 'up', 5)).toEqual([]);
    expect(at(67_999, 'up', 5)).toEqual([]);
    expect(at(68_000, 'up', 5)).toEqual(['local recovered']);
    expect(at(70_000, 'up', 5)).toEqual([]);
  });

  it('say a provider that comes and goes is down once, and recovered once it stays up', () => {
    let clock = 0;
    const notify = createNotifier(() => clock);
    const at = (ms: number, status: string) => ((clock = ms), notify({ providers: [{ name: 'local', status }, { name: 'cloud', status: 'up' }], fallbacks: 0 }).map((n) => n.title));
    expect(at(0, 'up')).toEqual([]);
    expect(at(2_000, 'down')).toEqual(['local is down']);
    // Up and down every few seconds for ten minutes (a model that crashes on long prompts): nothing more.
    for (let ms = 4_000; ms < 600_000; ms += 2_000) expect(at(ms, ms % 10_000 < 6_000 ? 'up' : 'down'), `at ${ms} ms`).toEqual([]);
    expect(at(600_000, 'up')).toEqual([]);
    expect(at(660_000, 'up')).toEqual(['local recovered']);
    // Down again after it had recovered: said at once.
    expect(at(662_000, 'down')).toEqual(['local is down']);
  });

  it('say falling back once an episode: again only after 10 quiet minutes', () => {
    let clock = 0;
    const notify = createNotifier(() => clock);
    const fellBack = (fallbacks: number, at: number) => ((clock = at), notify({ providers: [], fallbacks }).map((n) => n.title));
    expect(fellBack(0, 0)).toEqual([]);
    expect(fellBack(1, 2_000)).toEqual(['Switchyard is falling back']);
    // A request falls back every few ticks: still the same episode.
    expect(fellBack(1, 4_000)).toEqual([]);
    expect(fellBack(2, 6_000)).toEqual([]);
    expect(fellBack(2, 8_000)).toEqual([]);
    expect(fellBack(3, 9 * 60_000)).toEqual([]);
    expect(fellBack(3, 18 * 60_000)).toEqual([]);
    expect(fellBack(4, 19 * 60_000 + 1)).toEqual(['Switchyard is falling back']);
  });

  it('fire when the store cannot be written (a full disk), and once when it can again', () => {
    const notify = createNotifier();
    const store = (storeError: string | null) => notify({ providers: [], fallbacks: 0, storeError });
    expect(store(null)).toEqual([]);
    expect(store('a usage row: 3 failed since 2026-12-01T10:00:00.000Z (database or disk is full)')).toEqual([
      { title: 'Switchyard cannot write its data', body: 'Requests are still answered: a usage row: 3 failed since 2026-12-01T10:00:00.000Z (database or disk is full)' },
    ]);
    expect(store('a usage row: 9 failed since 2026-12-01T10:00:00.000Z (database or disk is full)')).toEqual([]);
    expect(store(null).map((n) => n.title)).toEqual(['Switchyard writes its data again']);
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

describe('notifications of pulls', () => {
  it('fire once when a pull seen under way ends done or failed, never for a cancelled one', () => {
    const notify = createNotifier();
    const pull = (model: string, state: string, error: string | null = null, outcome: string | null = null) => ({ provider: 'local', model, state, error, startedAt: 1, outcome });
    const at = (...pulls: ReturnType<typeof pull>[]) => notify({ providers: [], fallbacks: 0, pulls });
    expect(at(pull('a', 'pulling'), pull('b', 'pulling'), pull('c', 'pulling'))).toEqual([]);
    expect(at(pull('a', 'done'), pull('b', 'failed', 'pull model manifest: file does not exist'), pull('c', 'cancelled'))).toEqual([
      { title: 'a is pulled', body: 'local has it: its deployments can answer now.' },
      { title: 'local did not pull b', body: 'pull model manifest: file does not exist' },
    ]);
    expect(at(pull('a', 'done'), pull('b', 'failed'))).toEqual([]);
    // One that began and ended between two looks was watched on the page: no notice.
    expect(at(pull('d', 'done'))).toEqual([]);
    // An installed model pulled again: updated, or nothing newer.
    expect(at(pull('e', 'pulling'), pull('f', 'pulling'))).toEqual([]);
    expect(at(pull('e', 'done', null, 'updated'), pull('f', 'done', null, 'up to date'))).toEqual([
      { title: 'e is updated', body: 'local has its newer version now.' },
      { title: 'f is up to date', body: "local's registry had nothing newer." },
    ]);
  });
});

describe('secrets', () => {
  const cipher = (backend: string, available = true): Cipher => ({
    available: async () => available,
    backend: () => backend,
    encrypt: async (text) => Buffer.from(text.split('').reverse().join(''), 'utf8').map((b) => b ^ 0x5a) as Buffer,
    decrypt: async (data) => Buffer.from(data.map((b) => b ^ 0x5a)).toString('utf8').split('').reverse().join(''),
  });

  /** A key store's file in a directory of its own, removed after the test. */
  const secretsFile = () => {
    const dir = tempDir();
    onCleanup(() => dir.remove());
    return join(dir.path, 'secrets.json');
  };

  it('stores keys encrypted at rest and resolves them after a restart', async () => {
    const file = secretsFile();
    const secrets = await createEncryptedSecrets({ cipher: cipher('gnome_libsecret'), file, env: { OPENAI_API_KEY: 'sk-env' } });
    expect(await secrets.store?.('cloud', 'sk-live-secret-9876')).toBe('secret:cloud');
    expect(secrets.resolve('secret:cloud')).toBe('sk-live-secret-9876');
    expect(secrets.resolve('env:OPENAI_API_KEY')).toBe('sk-env');
    await secrets.flushed();
    expect(readFileSync(file, 'utf8')).not.toContain('sk-live-secret-9876');
    const again = await createEncryptedSecrets({ cipher: cipher('gnome_libsecret'), file, env: {} });
    expect(again.resolve('secret:cloud')).toBe('sk-live-secret-9876');
    expect(again.describe?.()).toEqual({ backend: 'gnome_libsecret', protected: true, canStore: true });
  });

  it('forgets a value for good: gone from memory and from the file, the others kept', async () => {
    const file = secretsFile();
    const secrets = await createEncryptedSecrets({ cipher: cipher('gnome_libsecret'), file, env: {} });
    await secrets.store?.('cloud', 'sk-kept-1234');
    await secrets.store?.('#webhook', 'https://hooks.slack.com/services/T1/B2/secret');
    await secrets.forget?.('#webhook');
    await secrets.forget?.('never-stored');
    expect(secrets.resolve('secret:#webhook')).toBeUndefined();
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')))).toEqual(['cloud']);
    const again = await createEncryptedSecrets({ cipher: cipher('gnome_libsecret'), file, env: {} });
    expect([again.resolve('secret:cloud'), again.resolve('secret:#webhook')]).toEqual(['sk-kept-1234', undefined]);
  });

  it('says plainly when keys are not protected (basic_text) and refuses to store without encryption', async () => {
    const dir = tempDir();
    onCleanup(() => dir.remove());
    const plain = await createEncryptedSecrets({ cipher: cipher('basic_text'), file: join(dir.path, 's.json'), env: {} });
    expect(plain.describe?.()).toEqual({ backend: 'basic_text', protected: false, canStore: true });
    const none = await createEncryptedSecrets({ cipher: cipher('basic_text', false), file: join(dir.path, 't.json'), env: {} });
    await expect(none.store?.('x', 'y')).rejects.toThrow(/env:NAME/);
  });

  it('takes a key pasted in the admin API as a secret: reference the config accepts, and sends it upstream', async () => {
    const dir = tempDir();
    const upstream = await startFakeOpenAI();
    const secrets = await createEncryptedSecrets({ cipher: cipher('gnome_libsecret'), file: join(dir.path, 'secrets.json'), env: {} });
    const h = await startGateway({ version: 1, providers: [], deployments: [], routes: [] }, { secrets });
    onCleanup(async () => {
      await h.stop();
      await upstream.stop();
      dir.remove();
    });
    const saved = await h.admin('/admin/api/providers', { method: 'POST', body: JSON.stringify({ name: 'cloud', kind: 'openai', baseUrl: `${upstream.url}/v1`, apiKeyValue: 'sk-pasted-in-the-ui-4321' }) });
    expect(saved.status).toBe(201);
    expect((await saved.json()).apiKey).toEqual({ reference: 'secret:cloud', set: true, last4: '4321', problem: null });
    expect(h.gateway.config().providers[0]?.apiKey).toBe('secret:cloud');
    await h.admin('/admin/api/deployments', { method: 'POST', body: JSON.stringify({ name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' }) });
    await h.openai.chat.completions.create({ model: 'mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(upstream.requests.at(-1)?.headers.authorization).toBe('Bearer sk-pasted-in-the-ui-4321');
  });

  it('says when a key could not be kept, changing nothing, and keeps the next one', async () => {
    const dir = tempDir();
    const upstream = await startFakeOpenAI();
    let failNext = false;
    const flaky: Cipher = { ...cipher('gnome_libsecret'), encrypt: async (text) => {
      if (failNext) throw new Error('the keyring is locked');
      return cipher('gnome_libsecret').encrypt(text);
    } };
    const file = join(dir.path, 'secrets.json');
    const secrets = await createEncryptedSecrets({ cipher: flaky, file, env: {} });
    const h = await startGateway({ version: 1, providers: [], deployments: [], routes: [] }, { secrets });
    onCleanup(async () => {
      await h.stop();
      await upstream.stop();
      dir.remove();
    });
    const provider = (key: string, extra = {}) => JSON.stringify({ name: 'cloud', kind: 'openai', baseUrl: `${upstream.url}/v1`, apiKeyValue: key, ...extra });
    failNext = true;
    const failed = await h.admin('/admin/api/providers', { method: 'POST', body: provider('sk-first-1111') });
    expect(failed.status).toBe(500);
    expect((await failed.json()).error).toMatchObject({ message: 'The key could not be saved, and nothing was changed: the keyring is locked', param: 'apiKeyValue' });
    expect(h.gateway.config().providers).toEqual([]);
    expect(secrets.resolve('secret:cloud')).toBeUndefined();
    failNext = false;
    expect((await h.admin('/admin/api/providers', { method: 'POST', body: provider('sk-second-2222') })).status).toBe(201);
    // A change refused for another field leaves the provider the key it had, on disk too.
    const refused = await h.admin('/admin/api/providers/cloud', { method: 'PUT', body: provider('sk-third-3333', { baseUrl: 'not a url' }) });
    expect(refused.status).toBe(400);
    expect(secrets.resolve('secret:cloud')).toBe('sk-second-2222');
    const restarted = await createEncryptedSecrets({ cipher: flaky, file, env: {} });
    expect(restarted.resolve('secret:cloud')).toBe('sk-second-2222');
  });

  it('keeps every other key when one stored key cannot be decrypted, and names that one', async () => {
    const file = secretsFile();
    const first = await createEncryptedSecrets({ cipher: cipher('gnome_libsecret'), file, env: {} });
    await first.store?.('good', 'sk-good-1111');
    await first.store?.('bad', 'sk-bad-2222');
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

describe("the system's proxy", () => {
  it("is read from Electron's PAC answer: its first proxy, of any kind, or none", () => {
    expect(proxyVariables('PROXY proxy.corp:3128; DIRECT')).toEqual({ HTTPS_PROXY: 'http://proxy.corp:3128', HTTP_PROXY: 'http://proxy.corp:3128' });
    expect(proxyVariables('HTTPS secure.corp:443')?.HTTPS_PROXY).toBe('https://secure.corp:443');
    expect(proxyVariables('SOCKS5 127.0.0.1:1080')?.HTTPS_PROXY).toBe('socks5://127.0.0.1:1080');
    expect(proxyVariables('DIRECT')).toBeUndefined();
    expect(proxyVariables('PROXY')).toBeUndefined();
    expect(namesProxy({ http_proxy: 'http://x:1' })).toBe(true);
    expect(namesProxy({ HTTPS_PROXY: ' ' })).toBe(false);
  });
});
