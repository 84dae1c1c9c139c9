/**
 * Names a config change renamed. A deployment that left and one that came in reaching the same
 * model on the same server are one deployment under a new name, whichever way the change was made
 * (the dashboard's rename, an edited file, an import, a restore): what is known of it (its breaker,
 * its latency, the sessions it answers) is the server's and model's, and goes on under the new name.
 * A route that left and one that came with nothing else of it changed are one route, and a provider
 * for the same server with the same key one provider (another key is another account: its spend is
 * not this one's). Only a pairing that is certain counts: two that left alike, or two that came,
 * carry nothing.
 */
import type { Config, DeploymentConfig, ProviderConfig, RouteConfig } from './schema';

/** The model and server a deployment's requests go to (not its provider's name: a provider renamed is the same server). */
export function reachOf(deployment: DeploymentConfig, config: Config): string {
  const provider = config.providers.find((p) => p.name === deployment.provider);
  return JSON.stringify([provider?.kind, provider?.baseUrl, deployment.model]);
}

/** Old name to new, for each deployment the change renamed. */
export function renamedDeployments(before: Config, after: Config): ReadonlyMap<string, string> {
  return renamedAmong(before.deployments, after.deployments, (d) => reachOf(d, before), (d) => reachOf(d, after));
}

/** Old name to new, for each deployment or route the change renamed, with `known` (renames the change's maker was sure of: the dashboard's) over what is found. */
function renamedNames(before: Config, after: Config, known: ReadonlyMap<string, string> = new Map()): ReadonlyMap<string, string> {
  const deployments = renamedDeployments(before, after);
  // A route's deployments renamed in the same change are still its deployments.
  const was = (route: RouteConfig) => body({ ...route, deployments: route.deployments.map((d) => deployments.get(d) ?? d), weights: route.weights && Object.fromEntries(Object.entries(route.weights).map(([d, w]) => [deployments.get(d) ?? d, w])) });
  return new Map([...deployments, ...renamedAmong(before.routes, after.routes, was, body), ...known]);
}

/** A route but for its name. */
const body = (route: RouteConfig) => JSON.stringify({ ...route, name: '' });

/** Old name to new, for each provider the change renamed: one that left and one that came for the same server, with the same key. */
function renamedProviders(before: Config, after: Config): ReadonlyMap<string, string> {
  const account = (p: ProviderConfig) => JSON.stringify([p.kind, p.baseUrl, p.apiKey]);
  return renamedAmong(before.providers, after.providers, account, account);
}

export interface Rename {
  kind: 'provider' | 'deployment' | 'route';
  from: string;
  to: string;
}

/** Each provider, deployment and route the change renamed, with `known` (deployment and route renames its maker was sure of) over what is found. */
export function renamesOf(before: Config, after: Config, known?: ReadonlyMap<string, string>): Rename[] {
  const routes = new Set(before.routes.map((r) => r.name));
  const providers = [...renamedProviders(before, after)].map(([from, to]): Rename => ({ kind: 'provider', from, to }));
  return [...providers, ...[...renamedNames(before, after, known)].map(([from, to]): Rename => ({ kind: routes.has(from) ? 'route' : 'deployment', from, to }))];
}

/** What `switchyard import`, `restore` and `serve --config` say of the renames they saved, if any. */
export function renamesSaid(before: Config | undefined, after: Config): string | undefined {
  const renames = before ? renamesOf(before, after) : [];
  if (renames.length === 0) return undefined;
  const [them, their, names] = renames.length === 1 ? ['it', 'its', 'name'] : ['them', 'their', 'names'];
  return `Renamed ${renames.map((r) => `${r.kind} ${r.from} to ${r.to}`).join(', ')}: client keys limited to ${them}, ${their} budgets and ${their} probe history go on under the new ${names}`;
}

/** What a config change did to names: the deployments it renamed (old to new) and replaced, and the providers it renamed. */
export function nameChanges(before: Config, after: Config): { renamed: ReadonlyMap<string, string>; replaced: string[]; providers: ReadonlyMap<string, string> } {
  const renamed = renamedDeployments(before, after);
  return { renamed, replaced: replacedDeployments(before, after, renamed), providers: renamedProviders(before, after) };
}

/**
 * Deployments whose name now stands for another model or server, or for nothing: gone without a
 * rename, or pointed elsewhere. What was known of them under that name was the old target's.
 */
function replacedDeployments(before: Config, after: Config, renamed: ReadonlyMap<string, string>): string[] {
  const now = new Map(after.deployments.map((d) => [d.name, reachOf(d, after)]));
  return before.deployments.filter((d) => !renamed.has(d.name) && now.get(d.name) !== reachOf(d, before)).map((d) => d.name);
}

/** Old name to new where exactly one item left and one came in known by the same thing (`was` before the change, `is` after). */
function renamedAmong<T extends { name: string }>(before: readonly T[], after: readonly T[], was: (item: T) => string, is: (item: T) => string): Map<string, string> {
  const kept = new Set(after.map((item) => item.name));
  const existed = new Set(before.map((item) => item.name));
  const came = grouped(after.filter((item) => !existed.has(item.name)), is);
  const renamed = new Map<string, string>();
  for (const [key, from] of grouped(before.filter((item) => !kept.has(item.name)), was)) {
    const to = came.get(key);
    if (from.length === 1 && to?.length === 1) renamed.set(from[0] as string, to[0] as string);
  }
  return renamed;
}

/** Names by what they are known by. */
function grouped<T extends { name: string }>(items: readonly T[], what: (item: T) => string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const item of items) {
    const key = what(item);
    const names = out.get(key);
    if (names) names.push(item.name);
    else out.set(key, [item.name]);
  }
  return out;
}
