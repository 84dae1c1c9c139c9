/**
 * Edits to a config, pure: each returns a new config (never mutating the old one) or throws an
 * EditError naming the field. Whatever an edit returns still goes through validateConfig before it
 * is applied, so an edit only has to get references right (renames carry over, removals that would
 * leave dangling references are refused).
 */
import { mergePatch } from './merge-patch';
import { renamesOf } from './renames';
import type { BudgetConfig, Config, DeploymentConfig, ProviderConfig, RouteConfig, Settings } from './schema';

export class EditError extends Error {
  constructor(
    message: string,
    readonly path: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export type Entity = 'providers' | 'deployments' | 'routes' | 'budgets';
type Item = ProviderConfig | DeploymentConfig | RouteConfig | BudgetConfig;

/** A config's list, made when it is optional and missing (budgets). */
const listOf = (config: Config, list: Entity): { name: string }[] => (config[list] ??= []);

function indexOf(config: Config, list: Entity, name: string): number {
  const index = listOf(config, list).findIndex((item) => item.name === name);
  if (index < 0) throw new EditError(`There is no ${list.slice(0, -1)} named "${name}"`, 'name', 404);
  return index;
}

function clone(config: Config): Config {
  return structuredClone(config);
}

export function addItem(config: Config, list: Entity, item: Item): Config {
  const next = clone(config);
  if (listOf(next, list).some((existing) => existing.name === item.name)) {
    throw new EditError(`A ${list.slice(0, -1)} named "${item.name}" exists already`, 'name', 409);
  }
  listOf(next, list).push(item);
  return next;
}

/** Replaces an item; a rename updates every reference to it. */
export function replaceItem(config: Config, list: Entity, name: string, item: Item): Config {
  const next = clone(config);
  const index = indexOf(next, list, name);
  if (item.name !== name && listOf(next, list).some((existing) => existing.name === item.name)) {
    throw new EditError(`A ${list.slice(0, -1)} named "${item.name}" exists already`, 'name', 409);
  }
  listOf(next, list)[index] = item;
  if (item.name !== name) {
    // Renamed to a name that was an alias of it (a rename undone): the name itself now, no alias.
    if (next.aliases?.[item.name] === name) delete next.aliases[item.name];
    renameReferences(next, list, name, item.name);
  }
  return next;
}

/** A route under a new name (every reference follows), its old name kept as an alias of it when asked, so tools that ask for it still reach it. */
export function renameRoute(config: Config, from: string, to: string, keepAlias: boolean): Config {
  const route = config.routes.find((r) => r.name === from);
  if (!route) throw new EditError(`There is no route named "${from}"`, 'name', 404);
  const next = replaceItem(config, 'routes', from, { ...route, name: to });
  return keepAlias ? keepingOldName(next, from, to) : next;
}

/** A renamed route or deployment's old name kept as an alias of its new one (in `renamed`, an edit's own copy). */
export function keepingOldName(renamed: Config, from: string, to: string): Config {
  if (to !== from) renamed.aliases = { ...renamed.aliases, [from]: to };
  return renamed;
}

/**
 * Every place a config names a provider, deployment or route: deployments name their provider,
 * routes their deployments (and weights), rules the route they use, aliases a route or deployment,
 * budgets the route or provider they count.
 */
function renameReferences(config: Config, list: Entity, from: string, to: string): void {
  const rename = (value: string) => (value === from ? to : value);
  if (list === 'providers') for (const d of config.deployments) d.provider = rename(d.provider);
  if (list === 'deployments') {
    for (const r of config.routes) {
      r.deployments = r.deployments.map(rename);
      if (r.weights && Object.hasOwn(r.weights, from)) r.weights = Object.fromEntries(Object.entries(r.weights).map(([name, weight]) => [rename(name), weight]));
    }
  }
  if (list === 'routes') for (const r of config.routes) for (const rule of r.rules ?? []) rule.use = rename(rule.use);
  // Names are unique across routes and deployments, so an alias's target is one or the other.
  if (list !== 'providers' && config.aliases) {
    for (const [alias, target] of Object.entries(config.aliases)) config.aliases[alias] = rename(target);
  }
  for (const budget of config.budgets ?? []) {
    const scope = budget.scope;
    if (scope === 'global') continue;
    if (list === 'routes' && 'route' in scope) scope.route = rename(scope.route);
    if (list === 'providers' && 'provider' in scope) scope.provider = rename(scope.provider);
  }
}

export function removeItem(config: Config, list: Entity, name: string): Config {
  const next = clone(config);
  const index = indexOf(next, list, name);
  if (list === 'providers') {
    const users = next.deployments.filter((d) => d.provider === name).map((d) => d.name);
    if (users.length > 0) throw new EditError(`Provider "${name}" is used by ${users.join(', ')}: remove or move those deployments first`, 'name', 409);
  }
  if (list === 'deployments') {
    const routes = next.routes.filter((r) => r.deployments.includes(name));
    const only = routes.filter((r) => r.deployments.length === 1).map((r) => r.name);
    if (only.length > 0) throw new EditError(`"${name}" is the only deployment of ${only.join(', ')}: remove that route first`, 'name', 409);
    for (const route of routes) {
      route.deployments = route.deployments.filter((d) => d !== name);
      if (route.weights) delete route.weights[name];
    }
  }
  if (list === 'routes') {
    const ruled = next.routes.filter((r) => r.name !== name && r.rules?.some((rule) => rule.use === name)).map((r) => r.name);
    if (ruled.length > 0) throw new EditError(`Route "${name}" is used by the rules of ${ruled.join(', ')}: change those rules first`, 'name', 409);
    const counting = (next.budgets ?? []).filter((b) => typeof b.scope === 'object' && 'route' in b.scope && b.scope.route === name).map((b) => b.name);
    if (counting.length > 0) throw new EditError(`Route "${name}" is what budget ${counting.join(', ')} counts: delete or change ${counting.length > 1 ? 'those budgets' : 'that budget'} first`, 'name', 409);
  }
  // Its aliases are other names of it, and go with it.
  if (list !== 'providers' && next.aliases) for (const [alias, target] of Object.entries(next.aliases)) if (target === name) delete next.aliases[alias];
  listOf(next, list).splice(index, 1);
  return next;
}

/** Sets what an alias stands for: a new one is tried after the others (patterns match in order), a changed one keeps its place. */
export function setAlias(config: Config, alias: string, target: string): Config {
  const next = clone(config);
  next.aliases = { ...next.aliases, [alias]: target };
  return next;
}

export function removeAlias(config: Config, alias: string): Config {
  const next = clone(config);
  if (!next.aliases || !Object.hasOwn(next.aliases, alias)) throw new EditError(`There is no alias "${alias}"`, 'alias', 404);
  delete next.aliases[alias];
  return next;
}

/** A route's fallback order; the list must hold exactly the route's deployments. */
export function reorderRoute(config: Config, name: string, order: string[]): Config {
  const next = clone(config);
  const route = next.routes[indexOf(next, 'routes', name)] as RouteConfig;
  const same = order.length === route.deployments.length && [...order].sort().join('\u0000') === [...route.deployments].sort().join('\u0000');
  if (!same) throw new EditError(`The new order must list exactly the deployments of "${name}": ${route.deployments.join(', ')}`, 'deployments');
  route.deployments = order;
  return next;
}

export function replaceSettings(config: Config, settings: Settings): Config {
  return withSettings(clone(config), settings);
}

/** A merge patch (merge-patch.ts) of a route's fields other than its name (a rename replaces the route). */
export function patchRoute(config: Config, name: string, patch: Record<string, unknown>): Config {
  const next = clone(config);
  const index = indexOf(next, 'routes', name);
  next.routes[index] = mergePatch(next.routes[index], patch) as RouteConfig;
  return next;
}

/** A deployment or budget with a merge patch applied: what `replaceItem` then puts in its place (a deployment's new name renames it everywhere). */
export function patchedItem<L extends 'deployments' | 'budgets'>(config: Config, list: L, name: string, patch: Record<string, unknown>): NonNullable<Config[L]>[number] {
  // Read, not made: the config read here is the one being served.
  const item = (config[list] ?? []).find((candidate) => candidate.name === name);
  if (!item) throw new EditError(`There is no ${list.slice(0, -1)} named "${name}"`, 'name', 404);
  return mergePatch(item, patch) as NonNullable<Config[L]>[number];
}

export function patchSettings(config: Config, patch: Record<string, unknown>): Config {
  return withSettings(clone(config), mergePatch(config.settings ?? {}, patch) as Settings);
}

/** No settings are written as none: `settings: {}` beside a config without any would be a revision that changes nothing. */
function withSettings(config: Config, settings: Settings): Config {
  const { settings: _was, ...rest } = config;
  return Object.keys(settings).length === 0 ? rest : { ...rest, settings };
}

export interface ConfigChange {
  change: 'added' | 'removed' | 'changed' | 'renamed';
  kind: 'provider' | 'deployment' | 'route' | 'settings';
  name: string;
  /** A renamed item's name before (config/renames.ts: what counts by name follows it). */
  from?: string;
}

/** What applying `next` over `current` would change, item by item (for the import preview). */
export function diffConfigs(current: Config, next: Config): ConfigChange[] {
  const renames = renamesOf(current, next);
  const changes: ConfigChange[] = renames.map((r) => ({ change: 'renamed', kind: r.kind, name: r.to, from: r.from }));
  const came = new Set(renames.map((r) => `${r.kind}\u0000${r.to}`));
  const left = new Set(renames.map((r) => `${r.kind}\u0000${r.from}`));
  for (const [list, kind] of [
    ['providers', 'provider'],
    ['deployments', 'deployment'],
    ['routes', 'route'],
  ] as const) {
    const before = new Map((current[list] as { name: string }[]).map((item) => [item.name, JSON.stringify(item)]));
    const after = new Map((next[list] as { name: string }[]).map((item) => [item.name, JSON.stringify(item)]));
    for (const [name, json] of after) {
      if (!before.has(name)) {
        if (!came.has(`${kind}\u0000${name}`)) changes.push({ change: 'added', kind, name });
      } else if (before.get(name) !== json) changes.push({ change: 'changed', kind, name });
    }
    for (const name of before.keys()) if (!after.has(name) && !left.has(`${kind}\u0000${name}`)) changes.push({ change: 'removed', kind, name });
  }
  if (JSON.stringify(current.settings ?? {}) !== JSON.stringify(next.settings ?? {})) changes.push({ change: 'changed', kind: 'settings', name: 'settings' });
  return changes;
}
