/**
 * What the model lists (`/v1/models` in both APIs, `/api/tags`) name: every route, deployment and
 * alias without wildcards; with local only on, only what a request could still reach, so a tool's
 * model picker offers no cloud model that would answer 503.
 */
import type { DeploymentConfig, RouteConfig } from '../config/schema';
import { concreteAliases } from './aliases';
import type { Catalog } from './catalog';
import { isLocalProvider } from './locality';

export interface Listed {
  routes: RouteConfig[];
  deployments: DeploymentConfig[];
  aliases: string[];
}

export function listedModels(catalog: Catalog): Listed {
  const { config } = catalog;
  const aliases = concreteAliases(config.aliases);
  if (config.settings?.localOnly !== true) return { routes: config.routes, deployments: config.deployments, aliases };
  const deployments = config.deployments.filter((d) => {
    const provider = catalog.providers.get(d.provider)?.config;
    return provider !== undefined && isLocalProvider(provider);
  });
  const reachable = new Set(deployments.map((d) => d.name));
  const routes = config.routes.filter((r) => r.deployments.some((name) => reachable.has(name)));
  for (const r of routes) reachable.add(r.name);
  return { routes, deployments, aliases: aliases.filter((alias) => reachable.has(config.aliases?.[alias] ?? '')) };
}
