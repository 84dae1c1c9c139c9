/**
 * The desktop shell's logic under test: a fake of the Shell interface (windows, tray, cookies,
 * notifications, single instance, quit) that records what the app asked of it, and `startDesktop`,
 * which runs the desktop app on it with a real gateway and the wire-format fakes behind it.
 * Call `useDesktopCleanups()` once in a test file that starts desktops.
 */
import { afterEach } from 'vitest';
import { createGateway } from '../../gateway/server';
import { envSecrets, type Secrets } from '../../gateway/config/secrets';
import { runDesktop, type DesktopApp } from '../../electron/main/desktop';
import { createLeaveGuard, type LeaveGuard } from '../../electron/main/leave-guard';
import type { DesktopWindow, MenuItem, Question, Shell, WindowOptions } from '../../electron/main/shell';
import { startFakeOllama } from './fake-ollama';
import { startFakeOpenAI } from './fake-openai';
import { freePort } from './cli';
import { tempDir, twoTierConfig } from './harness';

export class FakeWindow implements DesktopWindow {
  loaded: string[] = [];
  visible = false;
  closed = false;
  /** The page's beforeunload cancels an unload (it holds unsaved edits). */
  atStake = false;
  /** The user's answer to a question over the window (its first button: true); 'later': the test gives it with `answerNow`. */
  answer: boolean | 'later' = true;
  /** What the window asked (each question's message). */
  asked: string[] = [];
  get questions() {
    return this.asked.length;
  }
  private pendingAnswer: ((first: boolean) => void) | undefined;
  /** The page answers nothing (a hung renderer). */
  hung = false;
  reloads = 0;
  closeListeners: ((e: { prevent(): void }) => void)[] = [];
  navigateListeners: ((url: string, e: { prevent(): void }) => void)[] = [];
  openHandler: ((url: string) => 'deny') | undefined;
  readonly guard: LeaveGuard;
  constructor(readonly options: WindowOptions, unansweredMs?: number) {
    this.guard = createLeaveGuard(
      {
        ask: () => this.ask({ message: 'Leave this page?', detail: '', buttons: ['Leave', 'Stay'] }),
        close: () => void this.close(),
        reload: () => this.reload(),
        destroy: () => this.end(),
      },
      unansweredMs,
    );
  }
  /** Makes loads fail as Electron's loadURL does (ERR_CONNECTION_REFUSED and the like). */
  failLoad: Error | undefined;
  async load(url: string) {
    if (this.failLoad) throw this.failLoad;
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
  leave() {
    return this.guard.leave();
  }
  answerNow(first: boolean) {
    this.pendingAnswer?.(first);
  }
  ask(question: Question, signal?: AbortSignal) {
    this.visible = true;
    this.asked.push(question.message);
    if (this.answer !== 'later') return Promise.resolve(this.answer);
    return new Promise<boolean>((resolve) => {
      this.pendingAnswer = resolve;
      // Taken back: Electron closes the box, answered as its cancel (second) button.
      signal?.addEventListener('abort', () => resolve(false));
    });
  }
  hangListeners: ((hung: boolean) => void)[] = [];
  onHang(l: (hung: boolean) => void) {
    this.hangListeners.push(l);
  }
  /** The page stops answering (true) or answers again (false), as Electron's unresponsive and responsive say. */
  hang(hung: boolean) {
    for (const l of this.hangListeners) l(hung);
  }
  endPage() {
    this.crash('killed');
  }
  /** The page's beforeunload, as Electron runs it: true when the unload goes on. */
  private unloads(): boolean {
    return !this.atStake || this.guard.unloadStopped();
  }
  private end() {
    this.closed = true;
    this.visible = false;
    this.guard.closed();
  }
  /** Closes the window as Electron does (the user's close, or the app's): its close listeners, then its page; returns whether it was kept. */
  close(): boolean {
    if (this.closed) return false;
    let prevented = false;
    for (const l of this.closeListeners) l({ prevent: () => (prevented = true) });
    if (prevented || this.hung || !this.unloads()) return true;
    this.end();
    return false;
  }
  /** Electron's reload (Ctrl+R, or the app's): the page's beforeunload first, unless its renderer is gone. */
  reload() {
    if (!this.gone && !this.unloads()) return;
    this.gone = false;
    this.guard.loading();
    this.reloads += 1;
  }
  gone = false;
  goneListeners: ((reason: string) => void)[] = [];
  onGone(l: (reason: string) => void) {
    this.goneListeners.push(l);
  }
  /** The page's renderer ends ('crashed', 'oom', ...), as Electron's render-process-gone says. */
  crash(reason = 'crashed') {
    this.gone = true;
    for (const l of this.goneListeners) l(reason);
  }
  navigate(url: string): boolean {
    let prevented = false;
    for (const l of this.navigateListeners) l(url, { prevent: () => (prevented = true) });
    return prevented;
  }
}

export class FakeShell implements Shell {
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
  /** Windows made from now on fail to load with this. */
  failLoad: Error | undefined;
  /** How long a window's page may leave a close unanswered (leave-guard.ts's default when unset). */
  unansweredMs: number | undefined;
  createWindow(options: WindowOptions) {
    const window = new FakeWindow(options, this.unansweredMs);
    window.failLoad = this.failLoad;
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
  /** What setting the login item throws, when a test makes it fail (an unwritable autostart folder). */
  loginItemRefusal: Error | undefined;
  setLoginItem(enabled: boolean) {
    if (this.loginItemRefusal) throw this.loginItemRefusal;
    this.loginItem = enabled;
  }
  loginItemEnabled() {
    return this.loginItem;
  }
  onBeforeQuit(l: () => Promise<void> | void) {
    this.beforeQuit = l;
  }
  onActivate() {}
  /** What the system's proxy settings answer, and the URLs they were asked for. */
  systemProxyAnswer = 'DIRECT';
  proxyAskedFor: string[] = [];
  async systemProxy(url: string) {
    this.proxyAskedFor.push(url);
    return this.systemProxyAnswer;
  }
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
export function useDesktopCleanups(): void {
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
}

export function onCleanup(cleanup: () => Promise<void> | void): void {
  cleanups.push(cleanup);
}

/** The fake cloud listens on loopback like everything here; mark it remote as a real cloud is. */
function cloudIsRemote(config: ReturnType<typeof twoTierConfig>) {
  return { ...config, providers: config.providers.map((p) => (p.name === 'cloud' ? { ...p, local: false } : p)) };
}

export async function startDesktop(options: { port?: number; lockTaken?: boolean; hidden?: boolean; cloudKey?: string; pullStepMs?: number; env?: Record<string, string>; secrets?: Secrets } = {}): Promise<{ shell: FakeShell; desktop: DesktopApp }> {
  const keys = options.cloudKey === '' ? {} : { TEST_KEY: options.cloudKey ?? 'sk-test-1234' };
  const dir = tempDir('switchyard-desktop-');
  const ollama = await startFakeOllama(options.pullStepMs ? { pullStepMs: options.pullStepMs } : {});
  const openai = await startFakeOpenAI();
  const shell = new FakeShell(dir.path, options.lockTaken);
  const desktop = (await runDesktop(shell, {
    // The app's environment (its webhook, a proxy) with the fake cloud's key; its key store when the test brings one.
    createGateway: (o) => createGateway({ ...o, config: cloudIsRemote(twoTierConfig({ ollama: ollama.url, openai: openai.url })), discoverOllama: false, healthChecks: false, env: { ...o.env, ...keys }, secrets: options.secrets ?? envSecrets(keys) }),
    env: options.env ?? {},
    secrets: options.secrets ?? envSecrets({}),
    preloadPath: '/app/out/preload/index.cjs',
    port: options.port ?? (await freePort()),
    hidden: options.hidden ?? false,
    refreshMs: 60_000,
  })) as DesktopApp;
  cleanups.push(async () => {
    // A page a test left holding edits is not asked about: the test is done with it.
    for (const window of shell.windows) window.atStake = false;
    if (shell.exited === null) await desktop?.quit();
    await Promise.all([ollama.stop(), openai.stop()]);
    dir.remove();
  });
  return { shell, desktop };
}
