/**
 * What the model lists (`/v1/models` in both APIs, `/api/tags`) name, and what retrieving one model
 * finds: every route, deployment and alias without wildcards that a request could reach. With local
 * only on, that leaves out the cloud; for a client key limited to some routes, everything else. So a
 * tool's model picker offers no model that would answer 503 or 403.
 */
import type { DeploymentConfig, RouteConfig } from '../config/schema';
import { concreteAliases } from './aliases';
import type { Catalog } from './catalog';
import { isLocalDeployment } from '../providers/locality';

export interface Listed {
  routes: RouteConfig[];
  deployments: DeploymentConfig[];
  aliases: string[];
}

/** One model a list shows, or that a name matching an alias pattern stands for. */
export type ListedModel = { kind: 'route'; route: RouteConfig } | { kind: 'deployment'; deployment: DeploymentConfig } | { kind: 'alias'; name: string; target: string };

/** `allowed`: the routes and deployments a client key is limited to, if it is. */
export function listedModels(catalog: Catalog, allowed?: readonly string[] | null): Listed {
  const { config } = catalog;
  const localOnly = config.settings?.localOnly === true;
  const usable = new Set(
    config.deployments
      .filter((d) => {
        const provider = catalog.providers.get(d.provider)?.config;
        return !localOnly || isLocalDeployment(d, provider);
      })
      .map((d) => d.name),
  );
  // A route or deployment a request could reach: a deployment that is usable, a route with one.
  const reaches = (target: string) => catalog.routes.get(target)?.deployments.some((name) => usable.has(name)) ?? usable.has(target);
  const shown = (name: string) => !allowed || allowed.includes(name);
  return {
    routes: config.routes.filter((r) => shown(r.name) && reaches(r.name)),
    deployments: config.deployments.filter((d) => shown(d.name) && usable.has(d.name)),
    // A key may name an alias itself, or the route it stands for.
    aliases: concreteAliases(config.aliases).filter((alias) => {
      const target = config.aliases?.[alias] ?? '';
      return (shown(alias) || shown(target)) && reaches(target);
    }),
  };
}

/** Every model the lists show, in their order: routes, deployments, aliases. */
export function listedEntries(catalog: Catalog, allowed?: readonly string[] | null): ListedModel[] {
  const listed = listedModels(catalog, allowed);
  return [
    ...listed.routes.map((route) => ({ kind: 'route' as const, route })),
    ...listed.deployments.map((deployment) => ({ kind: 'deployment' as const, deployment })),
    ...listed.aliases.map((name) => ({ kind: 'alias' as const, name, target: catalog.config.aliases?.[name] ?? '' })),
  ];
}

/** The names the lists show, for "did you mean": only what the asking key may list, so it learns no others. */
export function listedNames(catalog: Catalog, allowed?: readonly string[] | null): string[] {
  const listed = listedModels(catalog, allowed);
  return [...listed.routes.map((r) => r.name), ...listed.deployments.map((d) => d.name), ...listed.aliases];
}

/** The listed model a name stands for, as a request naming it would be routed: exact names, then aliases (patterns too). */
export function listedModel(catalog: Catalog, name: string, allowed?: readonly string[] | null): ListedModel | undefined {
  const listed = listedModels(catalog, allowed);
  const route = listed.routes.find((r) => r.name === name);
  if (route) return { kind: 'route', route };
  const deployment = listed.deployments.find((d) => d.name === name);
  if (deployment) return { kind: 'deployment', deployment };
  if (catalog.routes.has(name) || catalog.deployments.has(name)) return undefined;
  if (listed.aliases.includes(name)) return { kind: 'alias', name, target: catalog.config.aliases?.[name] ?? '' };
  const target = catalog.alias(name)?.target;
  if (target === undefined || !(listed.routes.some((r) => r.name === target) || listed.deployments.some((d) => d.name === target))) return undefined;
  return { kind: 'alias', name, target };
}
