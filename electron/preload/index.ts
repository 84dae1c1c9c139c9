/**
 * The preload: named desktop actions only (no ipcRenderer, no generic invoke), bundled to one CJS
 * file. The UI works without it in a browser; in the desktop window it copies through main, opens
 * links in the system browser, tells the app version, and picks files for import and export.
 */
import { contextBridge, ipcRenderer } from 'electron';

const channels = {
  copyText: 'switchyard:copy-text',
  openExternal: 'switchyard:open-external',
  appInfo: 'switchyard:app-info',
  pickFile: 'switchyard:pick-file',
} as const;

contextBridge.exposeInMainWorld(
  'switchyardDesktop',
  Object.freeze({
    copyText: (text: string): Promise<void> => ipcRenderer.invoke(channels.copyText, String(text)),
    openExternal: (url: string): Promise<void> => ipcRenderer.invoke(channels.openExternal, String(url)),
    appInfo: (): Promise<{ version: string; platform: string; port: number | null; secretsProtected: boolean }> => ipcRenderer.invoke(channels.appInfo),
    pickFile: (mode: 'open' | 'save', defaultName?: string): Promise<string | null> => ipcRenderer.invoke(channels.pickFile, mode, defaultName),
  }),
);
