/**
 * The desktop app's logic, on a Shell (the real Electron or a test fake): one instance, the
 * gateway in-process on its loopback port (a taken port is explained, not a crash), a locked-down
 * window on the gateway's own origin with the admin cookie set by the main process, close-to-tray,
 * a tray menu rebuilt as health changes, notifications on changes (and, with SWITCHYARD_WEBHOOK_URL
 * in its environment, the same posted to a chat as `serve` posts them), and a clean quit.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { toolsPointedAt } from '../../gateway/connect/connections';
import type { Gateway, GatewayOptions } from '../../gateway/server';
import { sessionCookieName } from '../../gateway/surfaces/admin/session';
import { DEFAULT_PORT } from '../../gateway/paths';
import type { Secrets } from '../../gateway/config/secrets';
import { createNotifier } from '../../gateway/notices/notifier';
import { readHealthSnapshot } from '../../gateway/notices/snapshot';
import type { WebhookState } from '../../gateway/notices/webhook-channel';
import { recoverPage, type PageRecovery } from './page-recovery';
import type { DesktopWindow, Shell } from './shell';
import { namesProxy, proxyVariables } from './system-proxy';
import { trayMenu, trayTooltip, type TrayState } from './tray';
import { isExternalLink, isOwnOrigin, secureWindowOptions } from './window';

export interface DesktopDeps {
  createGateway(options: GatewayOptions): Promise<Gateway>;
  secrets: Secrets;
  preloadPath: string;
  /** The built UI the gateway serves (out/renderer beside out/main in the app). */
  uiDir?: string;
  port?: number;
  /** Start hidden in the tray (start at login). */
  hidden?: boolean;
  /** How often the tray and notifications look at health (ms). */
  refreshMs?: number;
  /** The app's environment (this process's): a proxy it names wins over the system's. */
  env?: Record<string, string | undefined>;
}

export interface DesktopApp {
  gateway: Gateway | undefined;
  window: DesktopWindow | undefined;
  origin: string | null;
  trayState(): TrayState;
  refresh(): Promise<void>;
  quit(): Promise<void>;
}

export async function runDesktop(shell: Shell, deps: DesktopDeps): Promise<DesktopApp | undefined> {
  let window: DesktopWindow | undefined;
  if (!shell.requestSingleInstance(() => showWindow())) {
    shell.quit();
    return undefined;
  }

  const state: TrayState = { port: null, error: null, providers: [], localOnly: false, startAtLogin: shell.loginItemEnabled() };
  const wanted = deps.port ?? DEFAULT_PORT;
  let gateway: Gateway | undefined;
  let origin: string | null = null;
  try {
    const env = await withSystemProxy(shell, deps.env ?? process.env);
    const notices = { desktop: true, undelivered: (problem: string) => console.error(`Notice not delivered: ${problem}`) };
    gateway = await deps.createGateway({ dataDir: join(shell.userDataDir(), 'data'), port: wanted, secrets: deps.secrets, env, notices, ...(deps.uiDir ? { uiDir: deps.uiDir } : {}) });
    sayWebhookProblems(gateway.webhook.state(), shell);
    origin = (await startOnFreePort(gateway, wanted, shell, env)).url;
    state.port = Number(new URL(origin).port);
    state.localOnly = gateway.localOnly();
    // What headless serve prints at start (a provider without its key, a guessed local model): here nothing else would show it.
    for (const notice of gateway.notices) shell.notify('Switchyard', `${notice.charAt(0).toUpperCase()}${notice.slice(1)}.`);
  } catch (error) {
    state.error = (error as Error).message;
    shell.showError('Switchyard could not start its gateway', state.error);
  }

  let quitting = false;
  const notifier = createNotifier();
  const baseUrl = () => (origin ? `${origin}/v1` : '');

  let recovery: PageRecovery | undefined;
  function showWindow(): void {
    if (!origin) return;
    if (!window) window = openWindow(origin);
    else recovery?.retry();
    window.show();
    window.focus();
  }

  function openWindow(at: string): DesktopWindow {
    const created = shell.createWindow(secureWindowOptions(deps.preloadPath));
    created.onClose((event) => {
      if (quitting) return;
      // Close to tray: the gateway keeps serving every tool.
      event.prevent();
      created.hide();
    });
    created.onNavigate((url, event) => {
      if (isOwnOrigin(url, at)) return;
      event.prevent();
      if (isExternalLink(url)) void shell.openExternal(url);
    });
    created.setOpenHandler((url) => {
      if (isExternalLink(url)) void shell.openExternal(url);
      return 'deny';
    });
    recovery = recoverPage(created, (title, message) => shell.showError(title, message));
    void (async () => {
      await signIn(at);
      await created.load(`${at}/`);
    })().catch((error: unknown) => {
      // A session the store cannot write (a full disk), a page that did not load: said, not left blank.
      shell.showError('Switchyard could not open its dashboard', `${error instanceof Error ? error.message : String(error)}. Tools can still use ${at}/v1.`);
    });
    return created;
  }

  /** The window's session, set by main (no token in the renderer). */
  let sessionId: string | undefined;
  async function signIn(at: string): Promise<void> {
    sessionId = gateway?.sessions.createSession();
    if (sessionId) await shell.setSessionCookie(at, sessionCookieName(Number(new URL(at).port)), sessionId);
  }

  const actions = {
    copyBaseUrl: () => shell.copyText(baseUrl()),
    openDashboard: () => showWindow(),
    toggleLocalOnly: () => {
      if (!gateway) return;
      try {
        gateway.setLocalOnly(!gateway.localOnly());
      } catch (error) {
        // Kept like any config change, so a full disk refuses it: said, not thrown from a menu click.
        shell.notify('Local only was not switched', `Switchyard could not save the change: ${error instanceof Error ? error.message : String(error)}`);
      }
      state.localOnly = gateway.localOnly();
      renderTray();
    },
    toggleStartAtLogin: () => {
      try {
        shell.setLoginItem(!state.startAtLogin);
        state.startAtLogin = !state.startAtLogin;
      } catch (error) {
        // Linux's entry is a file in ~/.config/autostart, which may not be writable.
        shell.notify('Start at login was not switched', error instanceof Error ? error.message : String(error));
      }
      renderTray();
    },
    quit: () => void quit(),
  };

  function renderTray(): void {
    shell.setTrayMenu(trayMenu(state, actions), trayTooltip(state));
  }

  async function refresh(): Promise<void> {
    if (!gateway) return renderTray();
    // An app in the tray outlives its window's 30-day session: signed in again, the open page picks up by itself (features/session).
    if (window && origin && sessionId && !gateway.sessions.valid(sessionId)) await signIn(origin).catch(() => undefined);
    const snapshot = readHealthSnapshot(gateway);
    const providers = snapshot.providers;
    // Local only is a setting the dashboard changes too: the tray's tick follows it.
    const changed = JSON.stringify(providers) !== JSON.stringify(state.providers) || state.localOnly !== gateway.localOnly();
    state.providers = providers;
    state.localOnly = gateway.localOnly();
    for (const notice of notifier(snapshot)) {
      shell.notify(notice.title, notice.body);
      gateway.webhook.send(notice);
    }
    if (changed) renderTray();
  }

  async function quit(): Promise<void> {
    if (quitting) return;
    quitting = true;
    // As a browser asks when its tab closes: the dashboard's unsaved edits are asked about first, and "Stay" keeps the app running.
    if (window && !(await window.leave())) {
      quitting = false;
      return;
    }
    clearInterval(timer);
    // In-flight requests are cut with a clear error by the server's close; the database is closed.
    // Its webhook's posts under way too (one waiting to be tried again is given up).
    await gateway?.stop().catch(() => undefined);
    shell.exit(0);
  }

  shell.onBeforeQuit(() => quit());
  shell.onActivate(() => showWindow());
  renderTray();
  await refresh().catch(() => undefined);
  const timer = setInterval(() => void refresh().catch(() => undefined), deps.refreshMs ?? 5_000);
  timer.unref?.();
  if (!deps.hidden) showWindow();

  return {
    gateway,
    get window() {
      return window;
    },
    origin,
    trayState: () => ({ ...state }),
    refresh,
    quit,
  };
}

/**
 * Notices are posted to a chat's webhook too when one is set (pasted in Settings, or
 * SWITCHYARD_WEBHOOK_URL in the app's environment: an app started from a terminal, or given it by
 * launchctl or a desktop file). One that cannot be posted to is said once, at start.
 */
function sayWebhookProblems(webhook: WebhookState, shell: Shell): void {
  if (webhook.problem) shell.notify('Notices are not posted to the webhook', `${webhook.problem.charAt(0).toUpperCase()}${webhook.problem.slice(1)}: give the incoming webhook's URL (Slack, Discord, Mattermost...) in Settings.`);
  if (webhook.warning) shell.notify('The webhook is reached in clear', `${webhook.warning}.`);
}

/** The environment, with the system's proxy for cloud APIs when it names none (an app from the Dock has no shell's). */
async function withSystemProxy(shell: Shell, env: Record<string, string | undefined>): Promise<Record<string, string | undefined>> {
  if (namesProxy(env)) return env;
  try {
    const variables = proxyVariables(await shell.systemProxy('https://api.openai.com/'));
    return variables ? { ...env, ...variables } : env;
  } catch {
    return env;
  }
}

/** The configured port, or (when another program holds it) any free one, saying so plainly. */
async function startOnFreePort(gateway: Gateway, wanted: number, shell: Shell, env: NodeJS.ProcessEnv): Promise<{ url: string }> {
  try {
    return await gateway.start();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    const fallback = await gateway.startOn(0);
    // Tools connected here before still name the taken port: their prompts now go to the program that holds it.
    const stranded = toolsPointedAt({ home: env.HOME || homedir(), env }, `http://127.0.0.1:${wanted}`);
    const tools = stranded.length === 0 ? '' : ` ${stranded.join(', ')} still ${stranded.length === 1 ? 'points' : 'point'} at port ${wanted}, so ${stranded.length === 1 ? 'its' : 'their'} requests go to that program: connect ${stranded.length === 1 ? 'it' : 'them'} again (Connect a tool) or free the port.`;
    shell.notify(`Port ${wanted} is in use`, `Another program uses port ${wanted}, so Switchyard listens on ${new URL(fallback.url).port}. Point tools at ${fallback.url}/v1, or free port ${wanted} and restart.${tools}`);
    return fallback;
  }
}
