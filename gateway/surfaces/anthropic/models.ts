/**
 * Models as Anthropic's API describes them (for clients that send `anthropic-version`, such as
 * Claude Code's model discovery): the routes, deployments and aliases that answer chat, each with
 * every field of the SDK's `ModelInfo` (its window and answer limit where known, null where not),
 * the list paged with `limit`, `after_id` and `before_id`, and filtered by `lifecycle`.
 */
import type { ModelInfo } from '@anthropic-ai/sdk/resources/models';
import { modelWindows, type WindowOf } from '../../connect/context-window';
import type { DeploymentConfig } from '../../config/schema';
import { GatewayError } from '../../errors';
import type { Catalog } from '../../routing/catalog';
import { listedEntries, type ListedModel } from '../../routing/listing';

/** What the gateway knows of a deployment's limits: its window (as a tool should plan for it) and its longest answer. */
export interface ModelLimits {
  window: WindowOf;
  maxOutput(deployment: DeploymentConfig): number | undefined;
}

export interface ModelPage {
  limit?: number | undefined;
  afterId?: string | undefined;
  beforeId?: string | undefined;
  /** The lifecycle stages asked for: every model here is active (the default list is active and deprecated ones). */
  lifecycle?: readonly string[] | undefined;
}

export function anthropicModels(catalog: Catalog, createdAt: number, limits: ModelLimits, page: ModelPage, allowed?: readonly string[] | null) {
  // Claude Code's discovery keeps only ids starting "claude": a `claude-*` alias makes a route show there.
  const all = page.lifecycle && !page.lifecycle.includes('active') ? [] : listedEntries(catalog, allowed).flatMap((model) => anthropicModel(catalog, model, createdAt, limits) ?? []);
  const limit = Math.min(1000, Math.max(1, page.limit ?? 20));
  // A cursor no longer listed (its route renamed or removed between pages) is said: read as the
  // start, it handed a pager the first page again; read as the end, an empty page with no more.
  const at = (id: string, param: string) => {
    const index = all.findIndex((m) => m.id === id);
    if (index < 0) throw new GatewayError('invalid_request', `${param} "${id}" is not a model in this list (the models changed since the page that gave it?): list again from the first page`, { param });
    return index;
  };
  const start = page.afterId ? at(page.afterId, 'after_id') + 1 : 0;
  const end = page.beforeId ? at(page.beforeId, 'before_id') : all.length;
  const data = page.beforeId ? all.slice(Math.max(start, end - limit), end) : all.slice(start, start + limit);
  const lastShown = data.at(-1) ? all.indexOf(data.at(-1) as (typeof all)[number]) : -1;
  return { data, has_more: page.beforeId ? all.indexOf(data[0] as (typeof all)[number]) > 0 : lastShown >= 0 && lastShown < all.length - 1, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}

/**
 * One model in Anthropic's shape; none for embeddings (the Messages API cannot use them): an
 * embedding deployment, a route of them (a route's deployments share one type) or an alias of either.
 * Its window is the largest its deployments take, as `connect` tells a tool; its answer limit the
 * largest any of them writes (a request asking more of one is sent that one's).
 */
export function anthropicModel(catalog: Catalog, model: ListedModel, createdAt: number, limits: ModelLimits): ModelInfo | undefined {
  const target = model.kind === 'route' ? model.route.name : model.kind === 'alias' ? model.target : model.deployment.name;
  const first = catalog.routes.get(target)?.deployments[0] ?? target;
  if ((catalog.deployments.get(first)?.type ?? 'chat') !== 'chat') return undefined;
  const id = model.kind === 'route' ? model.route.name : model.kind === 'alias' ? model.name : model.deployment.name;
  const display_name =
    model.kind === 'route' ? `${id} (Switchyard route)` : model.kind === 'alias' ? `${id} (alias of ${model.target})` : `${id} (${model.deployment.model} on ${model.deployment.provider})`;
  const outputs = (catalog.routes.get(target)?.deployments ?? [target]).map((name) => {
    const deployment = catalog.deployments.get(name);
    return deployment ? limits.maxOutput(deployment) : undefined;
  });
  const known = outputs.filter((n): n is number => n !== undefined);
  return {
    type: 'model',
    id,
    display_name,
    created_at: new Date(createdAt).toISOString(),
    capabilities: null,
    deprecated_at: null,
    lifecycle: 'active',
    line: null,
    max_input_tokens: modelWindows(catalog.config, [target], limits.window).get(target) ?? null,
    max_tokens: known.length > 0 ? Math.max(...known) : null,
    retires_at: null,
  };
}
