/**
 * What a config tells a client tool: which model names to ask for, and whether it must send a
 * client key. One answer for the CLI's banner, `connect` and the admin API (the dashboard reads it there).
 */
import type { Config, Settings } from './schema';

/** Routes that reach a chat deployment, then chat deployments: the order to suggest them in. */
export function chatModelNames(config: Pick<Config, 'routes' | 'deployments'> | undefined): string[] {
  if (!config) return [];
  const chat = config.deployments.filter((d) => d.type !== 'embedding').map((d) => d.name);
  const isChat = new Set(chat);
  return [...config.routes.filter((r) => r.deployments.some((d) => isChat.has(d))).map((r) => r.name), ...chat];
}

/** Keys are required when the settings say so, and always on a gateway reachable beyond loopback. */
export function clientKeysRequired(exposed: boolean, settings: Settings | undefined): boolean {
  return exposed || settings?.clientKeys?.required === true;
}
