/** The Shell over the real Electron APIs. Thin by design: all decisions live in desktop.ts. */
import { app, BrowserWindow, clipboard, dialog, ipcMain, Menu, nativeImage, Notification, session, shell as electronShell, Tray } from 'electron';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { autostartEntry, autostartPath } from './autostart';
import { desktopHandlers, type IpcDeps } from './ipc';
import { createLeaveGuard } from './leave-guard';
import type { DesktopWindow, MenuItem, Shell } from './shell';

export function createElectronShell(iconPath: string): Shell {
  let tray: Tray | undefined;
  const linuxAutostart = autostartPath(homedir(), process.env.XDG_CONFIG_HOME);
  return {
    platform: process.platform,
    requestSingleInstance(onSecondInstance) {
      if (!app.requestSingleInstanceLock()) return false;
      app.on('second-instance', onSecondInstance);
      return true;
    },
    userDataDir: () => app.getPath('userData'),
    appVersion: () => app.getVersion(),
    createWindow(options) {
      // The security flags are spelled out here as well, so static checks (electronegativity) see them.
      const window = new BrowserWindow({
        ...options,
        webPreferences: { ...options.webPreferences, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true },
      });
      window.webContents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
      window.once('ready-to-show', () => window.show());
      const ask: DesktopWindow['ask'] = async ({ message, detail, buttons }, signal) => {
        window.show();
        const { response } = await dialog.showMessageBox(window, { type: 'question', message, detail, buttons, defaultId: 1, cancelId: 1, ...(signal ? { signal } : {}) });
        return response === 0;
      };
      const guard = createLeaveGuard({
        ask: () => ask({ message: 'Leave this page?', detail: 'Edits not saved, or a new client key not copied, will be lost.', buttons: ['Leave', 'Stay'] }),
        close: () => window.close(),
        reload: () => window.webContents.reload(),
        destroy: () => window.destroy(),
      });
      window.webContents.on('will-prevent-unload', (event) => {
        if (guard.unloadStopped()) event.preventDefault();
      });
      window.webContents.on('did-start-loading', () => guard.loading());
      window.once('closed', () => guard.closed());
      const wrapped: DesktopWindow = {
        load: (url) => window.loadURL(url),
        show: () => window.show(),
        focus: () => window.focus(),
        hide: () => window.hide(),
        isVisible: () => window.isVisible(),
        onClose: (listener) => window.on('close', (event) => listener({ prevent: () => event.preventDefault() })),
        onNavigate: (listener) => {
          window.webContents.on('will-navigate', (event, url) => listener(url, { prevent: () => event.preventDefault() }));
          window.webContents.on('will-redirect', (event, url) => listener(url, { prevent: () => event.preventDefault() }));
        },
        setOpenHandler: (handler) => window.webContents.setWindowOpenHandler(({ url }) => ({ action: handler(url) })),
        leave: () => guard.leave(),
        onGone: (listener) => window.webContents.on('render-process-gone', (_event, details) => listener(details.reason)),
        reload: () => window.webContents.reload(),
        onHang: (listener) => {
          window.on('unresponsive', () => listener(true));
          window.on('responsive', () => listener(false));
        },
        endPage: () => window.webContents.forcefullyCrashRenderer(),
        ask,
      };
      return wrapped;
    },
    setSessionCookie: (url, name, value) => session.defaultSession.cookies.set({ url, name, value, httpOnly: true, sameSite: 'strict', path: '/' }),
    setTrayMenu(items, tooltip) {
      tray ??= new Tray(nativeImage.createFromPath(iconPath));
      tray.setToolTip(tooltip);
      tray.setContextMenu(Menu.buildFromTemplate(items as MenuItem[] as Electron.MenuItemConstructorOptions[]));
    },
    notify: (title, body) => {
      if (Notification.isSupported()) new Notification({ title, body }).show();
    },
    copyText: (text) => clipboard.writeText(text),
    openExternal: (url) => electronShell.openExternal(url),
    // Not showErrorBox: it blocks until dismissed, and every tool's request with it.
    showError: (title, message) => void dialog.showMessageBox({ type: 'error', title: 'Switchyard', message: title, detail: message, buttons: ['OK'] }),
    setLoginItem(enabled) {
      if (process.platform === 'linux') {
        if (enabled) {
          mkdirSync(dirname(linuxAutostart), { recursive: true });
          writeFileSync(linuxAutostart, autostartEntry(process.execPath));
        } else rmSync(linuxAutostart, { force: true });
        return;
      }
      app.setLoginItemSettings({ openAtLogin: enabled, args: ['--hidden'] });
    },
    loginItemEnabled: () => (process.platform === 'linux' ? existsSync(linuxAutostart) : app.getLoginItemSettings().openAtLogin),
    onBeforeQuit: (listener) =>
      app.on('before-quit', (event) => {
        event.preventDefault();
        void listener();
      }),
    systemProxy: (url) => session.defaultSession.resolveProxy(url),
    onActivate: (listener) => app.on('activate', listener),
    quit: () => app.quit(),
    exit: (code) => app.exit(code),
  };
}

/** Registers the preload's named actions; every call is checked against the sender frame's origin. */
export function registerIpc(deps: IpcDeps): void {
  for (const [channel, handler] of Object.entries(desktopHandlers(deps))) {
    ipcMain.handle(channel, (event, ...args) => handler(event.senderFrame?.url ?? '', ...args));
  }
}

export async function pickFile(mode: 'open' | 'save', defaultName?: string): Promise<string | null> {
  const filters = [{ name: 'JSON', extensions: ['json'] }];
  if (mode === 'save') {
    const result = await dialog.showSaveDialog({ defaultPath: join(app.getPath('documents'), defaultName ?? 'switchyard-config.json'), filters });
    return result.canceled ? null : (result.filePath ?? null);
  }
  const result = await dialog.showOpenDialog({ properties: ['openFile'], filters });
  return result.canceled ? null : (result.filePaths[0] ?? null);
}
