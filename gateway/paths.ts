/**
 * Where a headless gateway keeps its data when no --data-dir is given: `SWITCHYARD_HOME`, else the
 * platform's per-user data folder (XDG on Linux).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(env: Record<string, string | undefined> = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.SWITCHYARD_HOME) return env.SWITCHYARD_HOME;
  const home = env.HOME || homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Switchyard');
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'Switchyard');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'switchyard');
}

/** Not used by Ollama 11434, LM Studio 1234, Jan 1337, LiteLLM 4000, Portkey 8787, Vite 5173, 8000 or 8080. */
export const DEFAULT_PORT = 7788;
export const DEFAULT_HOST = '127.0.0.1';

/** The URL tools on this machine reach a gateway bound to `host` by: a wildcard listener on loopback. */
export function localUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${reachable}:${port}`;
}

/** Whether `text` is a port number as the CLI and SWITCHYARD_PORT take it: digits only, 0 to 65535. */
export function isPort(text: string): boolean {
  const port = Number(text);
  return /^[0-9]{1,5}$/.test(text) && port <= 65535;
}
