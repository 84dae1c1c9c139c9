/**
 * One applied config, indexed for the hot path: routes, deployments and provider adapters by
 * name, and each deployment's time-window state memoized until it can next change. A config
 * change builds a new catalog and swaps it in whole; requests in flight keep the one they began with.
 */
import { hash } from 'node:crypto';
import type { Config, DeploymentConfig, RouteConfig } from '../config/schema';
import type { ProviderAdapter } from '../providers/types';
import { createAliasResolver, type AliasMatch } from './aliases';
import { windowClock, type WindowState } from './time-windows';

export interface Catalog {
  readonly config: Config;
  readonly routes: ReadonlyMap<string, RouteConfig>;
  readonly deployments: ReadonlyMap<string, DeploymentConfig>;
  readonly providers: ReadonlyMap<string, ProviderAdapter>;
  readonly defaultTimeZone: string;
  timeZoneOf(deployment: DeploymentConfig): string;
  windowStateOf(deployment: DeploymentConfig, now: number): WindowState;
  /** What a route would do, as a short hash: its deployments in order, with their models and providers. */
  fingerprintOf(route: RouteConfig): string;
  /** The route a deployment named directly stands for (itself alone). */
  directRoute(deployment: string): RouteConfig;
  /** The route or deployment an alias stands for, if `name` matches one. */
  alias(name: string): AliasMatch | undefined;
}

/** The route or deployment a model name stands for: itself when it names one, else the alias it matches. */
export function targetOf(catalog: Catalog, model: string): string | undefined {
  return catalog.routes.has(model) || catalog.deployments.has(model) ? model : catalog.alias(model)?.target;
}

/** Whether a name means embedding deployments: a route of them, one of them, or an alias of either. */
export function namesEmbeddings(catalog: Catalog, name: string): boolean {
  const target = targetOf(catalog, name);
  if (target === undefined) return false;
  return catalog.deployments.get(catalog.routes.get(target)?.deployments[0] ?? target)?.type === 'embedding';
}

export function createCatalog(config: Config, providers: ReadonlyMap<string, ProviderAdapter>, defaultTimeZone: string): Catalog {
  const memo = new Map<string, WindowState>();
  const clocks = new Map<string, (now: number) => WindowState>();
  // Route configs are stable for a catalog's life (a config change builds a new catalog): they key the memo.
  const fingerprints = new WeakMap<RouteConfig, string>();
  const timeZoneOf = (deployment: DeploymentConfig) => deployment.timeZone ?? defaultTimeZone;
  const direct = new Map(config.deployments.map((d) => [d.name, { name: d.name, deployments: [d.name] } as RouteConfig]));
  const alias = createAliasResolver(config.aliases);
  return {
    config,
    routes: new Map(config.routes.map((r) => [r.name, r])),
    deployments: new Map(config.deployments.map((d) => [d.name, d])),
    providers,
    defaultTimeZone,
    timeZoneOf,
    directRoute: (name) => direct.get(name) ?? { name, deployments: [name] },
    alias,
    fingerprintOf(route) {
      let fingerprint = fingerprints.get(route);
      if (fingerprint === undefined) {
        const parts = route.deployments.map((name) => {
          const deployment = config.deployments.find((d) => d.name === name);
          const provider = config.providers.find((p) => p.name === deployment?.provider);
          return { deployment, provider: provider && { kind: provider.kind, baseUrl: provider.baseUrl } };
        });
        fingerprint = hash('sha256', JSON.stringify(parts), 'hex').slice(0, 16);
        fingerprints.set(route, fingerprint);
      }
      return fingerprint;
    },
    windowStateOf(deployment, now) {
      const cached = memo.get(deployment.name);
      if (cached && now < cached.validUntil && (cached.until === null || now < cached.until)) return cached;
      let clock = clocks.get(deployment.name);
      if (!clock) clocks.set(deployment.name, (clock = windowClock(deployment.timeWindows, timeZoneOf(deployment))));
      const state = clock(now);
      memo.set(deployment.name, state);
      return state;
    },
  };
}
