/**
 * One applied config, indexed for the hot path: routes, deployments and provider adapters by
 * name, and each deployment's time-window state memoized until it can next change. A config
 * change builds a new catalog and swaps it in whole; requests in flight keep the one they began with.
 */
import type { Config, DeploymentConfig, RouteConfig } from '../config/schema';
import type { ProviderAdapter } from '../providers/types';
import { windowState, type WindowState } from './time-windows';

export interface Catalog {
  readonly config: Config;
  readonly routes: ReadonlyMap<string, RouteConfig>;
  readonly deployments: ReadonlyMap<string, DeploymentConfig>;
  readonly providers: ReadonlyMap<string, ProviderAdapter>;
  readonly defaultTimeZone: string;
  timeZoneOf(deployment: DeploymentConfig): string;
  windowStateOf(deployment: DeploymentConfig, now: number): WindowState;
}

export function createCatalog(config: Config, providers: ReadonlyMap<string, ProviderAdapter>, defaultTimeZone: string): Catalog {
  const memo = new Map<string, WindowState>();
  const timeZoneOf = (deployment: DeploymentConfig) => deployment.timeZone ?? defaultTimeZone;
  return {
    config,
    routes: new Map(config.routes.map((r) => [r.name, r])),
    deployments: new Map(config.deployments.map((d) => [d.name, d])),
    providers,
    defaultTimeZone,
    timeZoneOf,
    windowStateOf(deployment, now) {
      const cached = memo.get(deployment.name);
      if (cached && now < cached.validUntil && (cached.until === null || now < cached.until)) return cached;
      const state = windowState(deployment.timeWindows, timeZoneOf(deployment), now);
      memo.set(deployment.name, state);
      return state;
    },
  };
}
