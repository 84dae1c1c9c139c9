/**
 * Every filter the dashboard offers is read through an index of its own: a page of a big, healthy
 * log's failures (the Overview asks for them every 10 s) or of a quiet route's rows found by reading
 * those rows, not every row newer than them. Checked on SQLite's own plan for the query a page runs,
 * on a database made by the migrations.
 */
import { describe, expect, it } from 'vitest';
import { pageQuery } from '../../gateway/store/usage-filters';
import type { UsageFilter } from '../../gateway/store/usage-types';
import { useUsageLog } from '../support/usage-log';

const { db } = useUsageLog();

const FILTERS: [string, UsageFilter][] = [
  ['failed', { status: 'error' }],
  ['failed, of a deployment', { status: 'error', deployment: 'llama' }],
  ['failed, of a route, since a day', { status: 'error', route: 'coder', since: 1 }],
  ['cached', { cached: true }],
  ['cached, of a route', { cached: true, route: 'coder' }],
  ['a route', { route: 'embed' }],
  ['a provider', { provider: 'cloud' }],
  ['a deployment', { deployment: 'llama' }],
  ['a client key', { clientKey: 'editor' }],
  ['a session', { session: 'claude-1' }],
  ['a tool', { tool: 'Codex' }],
  ['a tool and a route', { tool: 'Codex', route: 'coder' }],
  ['a route and a key', { route: 'embed', clientKey: 'editor' }],
  ['everything', {}],
];

describe('usage filters', () => {
  for (const [name, filter] of FILTERS) {
    it(`reads ${name} through an index, in the page's order`, () => {
      for (const before of [undefined, { at: 1_800_000_000_000, rowid: 500 }]) {
        const { sql, params } = pageQuery(filter, before, 51);
        const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((step) => step.detail);
        expect(plan, sql).toHaveLength(1);
        expect(plan[0], sql).toMatch(/^(SEARCH|SCAN) usage USING INDEX usage_\w+/);
        // The failed and cached rows through their own few index entries, whatever else is asked.
        if (filter.status === 'error') expect(plan[0]).toContain('usage_failed_at');
        if (filter.cached) expect(plan[0]).toContain('usage_cached_at');
        if (filter.route && !filter.status && !filter.cached && !filter.tool) expect(plan[0]).toMatch(/usage_(route|client_key)_at/);
        if (filter.tool) expect(plan[0]).toMatch(/usage_(tool|route)_at/);
      }
    });
  }
});
