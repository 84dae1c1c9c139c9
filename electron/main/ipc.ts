/**
 * The desktop actions the preload exposes, as IPC handlers. Each checks that the calling frame is
 * the gateway's own origin: a page that somehow got into a frame must not reach them.
 */
import { isExternalLink, isOwnOrigin } from './window';

export const DESKTOP_CHANNELS = {
  copyText: 'switchyard:copy-text',
  openExternal: 'switchyard:open-external',
  appInfo: 'switchyard:app-info',
  pickFile: 'switchyard:pick-file',
} as const;

export interface IpcDeps {
  origin: () => string | null;
  copyText(text: string): void;
  openExternal(url: string): Promise<void>;
  appInfo(): { version: string; platform: string; port: number | null; secretsProtected: boolean };
  pickFile(mode: 'open' | 'save', defaultName?: string): Promise<string | null>;
}

export type Handler = (senderUrl: string, ...args: unknown[]) => unknown;

export function desktopHandlers(deps: IpcDeps): Record<string, Handler> {
  const guard =
    (handler: (...args: unknown[]) => unknown): Handler =>
    (senderUrl, ...args) => {
      const origin = deps.origin();
      if (!origin || !isOwnOrigin(senderUrl, origin)) throw new Error(`refused: ${senderUrl} is not the Switchyard window`);
      return handler(...args);
    };
  return {
    [DESKTOP_CHANNELS.copyText]: guard((text) => deps.copyText(String(text))),
    [DESKTOP_CHANNELS.openExternal]: guard((url) => {
      if (!isExternalLink(String(url))) throw new Error('only http and https links open in the browser');
      return deps.openExternal(String(url));
    }),
    [DESKTOP_CHANNELS.appInfo]: guard(() => deps.appInfo()),
    [DESKTOP_CHANNELS.pickFile]: guard((mode, name) => deps.pickFile(mode === 'save' ? 'save' : 'open', typeof name === 'string' ? name : undefined)),
  };
}
