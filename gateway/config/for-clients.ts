/**
 * What a config tells a client tool: which model names to ask for, and whether it must send a
 * client key. One answer for the CLI's banner, `connect` and the admin API (the dashboard reads it there).
 */
import type { Config, DeploymentConfig, Settings } from './schema';

/** Routes that reach a chat deployment, then chat deployments: the order to suggest them in. */
export const chatModelNames = (config: Pick<Config, 'routes' | 'deployments'> | undefined): string[] => modelNames(config, (d) => d.type !== 'embedding');

/** Routes of embedding deployments, then embedding deployments: the order to suggest them in. */
export const embeddingModelNames = (config: Pick<Config, 'routes' | 'deployments'> | undefined): string[] => modelNames(config, (d) => d.type === 'embedding');

function modelNames(config: Pick<Config, 'routes' | 'deployments'> | undefined, wanted: (deployment: DeploymentConfig) => boolean): string[] {
  if (!config) return [];
  const names = config.deployments.filter(wanted).map((d) => d.name);
  const isWanted = new Set(names);
  return [...config.routes.filter((r) => r.deployments.some((d) => isWanted.has(d))).map((r) => r.name), ...names];
}

/** Keys are required when the settings say so, and always on a gateway reachable beyond loopback. */
export function clientKeysRequired(exposed: boolean, settings: Settings | undefined): boolean {
  return exposed || settings?.clientKeys?.required === true;
}
