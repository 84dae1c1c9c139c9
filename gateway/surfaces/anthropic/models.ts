/**
 * `GET /v1/models` as Anthropic's API answers it (for clients that send `anthropic-version`, such
 * as Claude Code's model discovery): routes, chat deployments and aliases without wildcards as
 * `{type: "model", id, display_name, created_at}`, paged with `limit`, `after_id` and `before_id`.
 */
import type { Catalog } from '../../routing/catalog';
import { listedModels } from '../../routing/listing';

export interface ModelPage {
  limit?: number | undefined;
  afterId?: string | undefined;
  beforeId?: string | undefined;
}

export function anthropicModels(catalog: Catalog, createdAt: number, page: ModelPage) {
  const created = new Date(createdAt).toISOString();
  const listed = listedModels(catalog);
  const all = [
    ...listed.routes.map((r) => ({ type: 'model' as const, id: r.name, display_name: `${r.name} (Switchyard route)`, created_at: created })),
    ...listed.deployments.filter((d) => (d.type ?? 'chat') === 'chat').map((d) => ({ type: 'model' as const, id: d.name, display_name: `${d.name} (${d.model} on ${d.provider})`, created_at: created })),
    // Claude Code's discovery keeps only ids starting "claude": a `claude-*` alias makes a route show there.
    ...listed.aliases.map((alias) => ({ type: 'model' as const, id: alias, display_name: `${alias} (alias of ${catalog.config.aliases?.[alias]})`, created_at: created })),
  ];
  const limit = Math.min(1000, Math.max(1, page.limit ?? 20));
  let start = 0;
  let end = all.length;
  if (page.afterId) start = all.findIndex((m) => m.id === page.afterId) + 1;
  if (page.beforeId) end = Math.max(0, all.findIndex((m) => m.id === page.beforeId));
  const data = page.beforeId ? all.slice(Math.max(start, end - limit), end) : all.slice(start, start + limit);
  const lastShown = data.at(-1) ? all.indexOf(data.at(-1) as (typeof all)[number]) : -1;
  return { data, has_more: page.beforeId ? all.indexOf(data[0] as (typeof all)[number]) > 0 : lastShown >= 0 && lastShown < all.length - 1, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}
