/**
 * The small interface the desktop logic uses instead of Electron itself, so the logic (lifecycle,
 * tray, close-to-tray, secrets, notifications, navigation guards, IPC checks) is unit-tested with a
 * fake. electron-shell.ts implements it with the real Electron.
 */

export interface MenuItem {
  label?: string;
  type?: 'normal' | 'separator' | 'checkbox';
  checked?: boolean;
  enabled?: boolean;
  click?: () => void;
}

export interface WindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  title: string;
  backgroundColor: string;
  webPreferences: {
    contextIsolation: true;
    sandbox: true;
    nodeIntegration: false;
    nodeIntegrationInWorker: false;
    webSecurity: true;
    allowRunningInsecureContent: false;
    experimentalFeatures: false;
    webviewTag: false;
    spellcheck: boolean;
    preload: string;
  };
}

export interface DesktopWindow {
  load(url: string): Promise<void>;
  show(): void;
  focus(): void;
  hide(): void;
  isVisible(): boolean;
  /** Called on close; `prevent()` keeps the window (close-to-tray). */
  onClose(listener: (event: { prevent(): void }) => void): void;
  /** In-page navigation; `prevent()` stops it. */
  onNavigate(listener: (url: string, event: { prevent(): void }) => void): void;
  /** window.open and target=_blank: answer whether to allow a new window. */
  setOpenHandler(handler: (url: string) => 'deny'): void;
  /** Closes the window, its page asked first (unsaved edits: leave-guard.ts): whether it closed (false: the user stayed). */
  leave(): Promise<boolean>;
  /** The page's renderer ended: Electron's `render-process-gone` reason ('crashed', 'oom', 'killed', 'clean-exit', ...). */
  onGone(listener: (reason: string) => void): void;
  /** Loads the page again. */
  reload(): void;
  /** The page stops answering (true) or answers again (false): Electron's `unresponsive` and `responsive`. */
  onHang(listener: (hung: boolean) => void): void;
  /** Ends a page that does not answer (its renderer gone: onGone). */
  endPage(): void;
  /**
   * Asks over the window, shown first, never blocking the main process: true for the first button.
   * An aborted `signal` takes the question back (answered as the second button).
   */
  ask(question: Question, signal?: AbortSignal): Promise<boolean>;
}

export interface Question {
  message: string;
  detail: string;
  /** The first does it; the second, the default, does nothing. */
  buttons: [string, string];
}

export interface Shell {
  /** False when another instance holds the lock (that one is told to focus its window). */
  requestSingleInstance(onSecondInstance: () => void): boolean;
  userDataDir(): string;
  appVersion(): string;
  platform: NodeJS.Platform;
  createWindow(options: WindowOptions): DesktopWindow;
  setSessionCookie(url: string, name: string, value: string): Promise<void>;
  setTrayMenu(items: MenuItem[], tooltip: string): void;
  notify(title: string, body: string): void;
  copyText(text: string): void;
  openExternal(url: string): Promise<void>;
  /** Says an error in a dialog that never blocks the main process, where the gateway serves every tool. */
  showError(title: string, message: string): void;
  setLoginItem(enabled: boolean): void;
  loginItemEnabled(): boolean;
  onBeforeQuit(listener: () => Promise<void> | void): void;
  onActivate(listener: () => void): void;
  /** The system's proxy for a URL, as a PAC answer ("PROXY host:port; DIRECT", "DIRECT"). */
  systemProxy(url: string): Promise<string>;
  quit(): void;
  exit(code: number): void;
}
