/** The one set of options every Switchyard window is made with: locked down, whatever the templates say. */
import type { WindowOptions } from './shell';

export function secureWindowOptions(preload: string): WindowOptions {
  return {
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
      preload,
    },
  };
}

/** Only the gateway's own origin may be shown in the window. */
export function isOwnOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

/** Links the user may open in the system browser: http(s) only (no file:, javascript:, custom schemes). */
export function isExternalLink(url: string): boolean {
  try {
    const protocol = new URL(url).protocol;
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
