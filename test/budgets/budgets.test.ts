/** Budgets on a fixed clock: periods in their zone, spend added per row, verdicts kept only while true. */
import { describe, expect, it } from 'vitest';
import { createBudgets } from '../../gateway/budgets/budgets';
import { periodAt } from '../../gateway/budgets/periods';
import type { Config } from '../../gateway/config/schema';
import type { UsageRow } from '../../gateway/store/usage-types';

const row = (at: number, cost: number, fields: Partial<UsageRow> = {}) => ({ at, cost, route: 'default', clientKey: 'anonymous', provider: 'cloud', ...fields }) as UsageRow;

describe('budget periods', () => {
  it('start at midnight, on Monday or on the 1st in the budget\'s zone, across a DST change', () => {
    const at = Date.parse('2026-11-04T12:00:00Z'); // a Wednesday
    expect(periodAt('day', 'Asia/Kolkata', at)).toEqual({ start: Date.parse('2026-11-03T18:30:00Z'), end: Date.parse('2026-11-04T18:30:00Z') });
    expect(periodAt('week', 'UTC', at)).toEqual({ start: Date.parse('2026-11-02T00:00:00Z'), end: Date.parse('2026-11-09T00:00:00Z') });
    // New York leaves daylight time on 1 November: that day has 25 hours.
    expect(periodAt('day', 'America/New_York', Date.parse('2026-11-01T12:00:00Z'))).toEqual({ start: Date.parse('2026-11-01T04:00:00Z'), end: Date.parse('2026-11-02T05:00:00Z') });
    expect(periodAt('month', 'Europe/Paris', at)).toEqual({ start: Date.parse('2026-10-31T23:00:00Z'), end: Date.parse('2026-11-30T23:00:00Z') });
  });
});

describe('budgets', () => {
  it('start from the rollups, add each row, skip paid deployments once spent, and roll over at the period end', () => {
    let now = Date.parse('2026-11-04T12:00:00Z');
    let config = { version: 1, providers: [], deployments: [], routes: [] } as unknown as Config;
    const asked: number[] = [];
    const budgets = createBudgets({ config: () => config, defaultTimeZone: () => 'UTC', now: () => now, spentSince: (since) => (asked.push(since), 0.5) });
    // Read before any budget exists: a budget added later must still roll over.
    expect(budgets.status()).toEqual([]);
    config = { ...config, budgets: [{ name: 'daily', scope: 'global', period: 'day', limitUsd: 1 }, { name: 'cloud', scope: { provider: 'cloud' }, period: 'day', limitUsd: 10 }] };
    expect(budgets.verdict({ route: 'default', clientKey: undefined })).toMatchObject({ applied: [{ name: 'daily', remainingUsd: 0.5 }], skipPaid: new Set() });
    expect(asked).toEqual([Date.parse('2026-11-04T00:00:00Z'), Date.parse('2026-11-04T00:00:00Z')]);
    budgets.record(row(now, 0.6));
    const spent = budgets.verdict({ route: 'default', clientKey: undefined });
    expect(spent?.skipPaid).toEqual(new Set(['*']));
    expect(spent?.spentFor('cloud')).toEqual({ name: 'daily', resetsAt: Date.parse('2026-11-05T00:00:00Z') });
    expect(budgets.status().find((b) => b.name === 'cloud')?.spentUsd).toBeCloseTo(1.1);
    now = Date.parse('2026-11-05T00:00:00Z');
    expect(budgets.verdict({ route: 'default', clientKey: undefined })?.skipPaid).toEqual(new Set());
    expect(budgets.status()[0]).toMatchObject({ spentUsd: 0.5, periodStart: now });
  });

  it("name the spent budget that skips a provider's paid deployments, and when the last spent over them resets; one only nearly spent is no reason", () => {
    const now = Date.parse('2026-11-04T12:00:00Z'); // a Wednesday
    const budgets = createBudgets({ config: () => config, defaultTimeZone: () => 'UTC', now: () => now, spentSince: () => 0 });
    const config = {
      version: 1, providers: [], deployments: [], routes: [],
      budgets: [
        // Nearly spent by what a request in flight holds: cloud's paid deployments go last, not skipped.
        { name: 'cloud-held', scope: { provider: 'cloud' }, period: 'day', limitUsd: 1 },
        { name: 'cloud-weekly', scope: { provider: 'cloud' }, period: 'week', limitUsd: 0.5 },
        { name: 'daily', scope: 'global', period: 'day', limitUsd: 0.5 },
      ],
    } as unknown as Config;
    budgets.record(row(now, 0.6, { provider: 'other' }));
    budgets.record(row(now, 0.6));
    const release = budgets.verdict({ route: 'default', clientKey: undefined })?.hold?.({ name: 'x', provider: 'cloud', model: 'm', pricing: { inputPerMTok: 1_000_000, outputPerMTok: 0 } } as never, { name: 'cloud', kind: 'openai', baseUrl: 'http://x' } as never, () => 1);
    expect(release).toBeTypeOf('function');
    const verdict = budgets.verdict({ route: 'default', clientKey: undefined });
    expect(verdict).toMatchObject({ heldPaid: new Set(['cloud']), skipPaid: new Set(['cloud', '*']) });
    expect(verdict?.spentFor('cloud')).toEqual({ name: 'cloud-weekly', resetsAt: Date.parse('2026-11-09T00:00:00Z') });
    expect(verdict?.spentFor('other')).toEqual({ name: 'daily', resetsAt: Date.parse('2026-11-05T00:00:00Z') });
  });

  it('refuse when a refusing budget of the request\'s client key is spent, and leave other keys alone', () => {
    const now = Date.parse('2026-11-04T12:00:00Z');
    const config = { version: 1, providers: [], deployments: [], routes: [], budgets: [{ name: 'batch', scope: { clientKey: 'batch' }, period: 'month', limitUsd: 2, onExceeded: 'refuse' }] } as unknown as Config;
    const budgets = createBudgets({ config: () => config, defaultTimeZone: () => 'UTC', now: () => now, spentSince: () => 0 });
    budgets.record(row(now, 2, { clientKey: 'batch' }));
    expect(budgets.verdict({ route: 'default', clientKey: 'batch' })?.refuse).toEqual({ name: 'batch', resetsAt: Date.parse('2026-12-01T00:00:00Z') });
    expect(budgets.verdict({ route: 'default', clientKey: 'editor' })).toBeUndefined();
  });

  it("count a tool's budget from its own rows and requests only, as their headers name the tool", () => {
    const now = Date.parse('2026-11-04T12:00:00Z');
    const config = { version: 1, providers: [], deployments: [], routes: [], budgets: [{ name: 'agent', scope: { tool: 'Claude Code' }, period: 'day', limitUsd: 1, onExceeded: 'refuse' }] } as unknown as Config;
    const asked: unknown[] = [];
    const budgets = createBudgets({ config: () => config, defaultTimeZone: () => 'UTC', now: () => now, spentSince: (_since, scope) => (asked.push(scope), 0.25) });
    expect(budgets.verdict({ route: 'default', clientKey: undefined, tool: 'Claude Code' })).toMatchObject({ applied: [{ name: 'agent', remainingUsd: 0.75 }] });
    expect(asked).toEqual([{ tool: 'Claude Code' }]);
    budgets.record(row(now, 5, { tool: 'Codex' }));
    budgets.record(row(now, 5, { tool: null }));
    budgets.record(row(now, 5, { tool: 'Claude Codex' }));
    expect(budgets.status()[0]?.spentUsd).toBe(0.25);
    // A subagent's requests are its tool's: "Claude Code (explore)" would be Claude Code's.
    budgets.record(row(now, 0.25, { tool: 'Claude Code (explore)' }));
    expect(budgets.status()[0]?.spentUsd).toBe(0.5);
    budgets.record(row(now, 0.5, { tool: 'Claude Code' }));
    expect(budgets.verdict({ route: 'default', clientKey: undefined, tool: 'Claude Code' })?.refuse).toEqual({ name: 'agent', resetsAt: Date.parse('2026-11-05T00:00:00Z') });
    // Another tool's, or a request naming none, is not this budget's.
    expect(budgets.verdict({ route: 'default', clientKey: undefined, tool: 'Claude Code (explore)' })?.refuse?.name).toBe('agent');
    expect(budgets.verdict({ route: 'default', clientKey: undefined, tool: 'Codex' })).toBeUndefined();
    expect(budgets.verdict({ route: 'default', clientKey: undefined })).toBeUndefined();
  });

  it('hold what a paid attempt in flight may cost, on its own budgets and its provider\'s, until released once, and send paid deployments last while that would spend one', () => {
    let now = Date.parse('2026-11-04T12:00:00Z');
    const config = {
      version: 1,
      providers: [],
      deployments: [],
      routes: [],
      budgets: [{ name: 'daily', scope: 'global', period: 'day', limitUsd: 1 }, { name: 'cloud', scope: { provider: 'cloud' }, period: 'day', limitUsd: 10 }, { name: 'other', scope: { route: 'other' }, period: 'day', limitUsd: 1 }],
    } as unknown as Config;
    const budgets = createBudgets({ config: () => config, defaultTimeZone: () => 'UTC', now: () => now, spentSince: () => 0 });
    const paid = { name: 'mini', provider: 'cloud', model: 'm', pricing: { inputPerMTok: 2, outputPerMTok: 8 } };
    const verdict = budgets.verdict({ route: 'default', clientKey: undefined });
    // 300,000 prompt tokens at $2 per million: $0.60, the answer's tokens unknown.
    const release = verdict?.hold?.(paid, undefined, () => 300_000);
    const held = () => Object.fromEntries(budgets.status().map((b) => [b.name, b.inFlightUsd]));
    expect(held()).toEqual({ daily: 0.6, cloud: 0.6, other: 0 });
    expect(budgets.verdict({ route: 'default', clientKey: undefined })?.heldPaid).toEqual(new Set());
    const second = budgets.verdict({ route: 'default', clientKey: undefined })?.hold?.(paid, undefined, () => 300_000);
    // $1.20 held of $1: the next request tries paid deployments last, and skips none: nothing is spent yet.
    expect(budgets.verdict({ route: 'default', clientKey: undefined })).toMatchObject({ skipPaid: new Set(), heldPaid: new Set(['*']) });
    expect(budgets.status()[0]).toMatchObject({ spentUsd: 0, exceeded: false });
    release?.();
    release?.();
    expect(held().daily).toBeCloseTo(0.6);
    expect(budgets.verdict({ route: 'default', clientKey: undefined })?.heldPaid).toEqual(new Set());
    // Free deployments hold nothing.
    expect(verdict?.hold?.({ name: 'llama', provider: 'local', model: 'l', pricing: { inputPerMTok: 0, outputPerMTok: 0 } }, undefined, () => 300_000)).toBeUndefined();
    // A new period starts with nothing held; the old period's release changes nothing in it.
    now = Date.parse('2026-11-05T00:00:00Z');
    expect(held().daily).toBe(0);
    second?.();
    expect(held()).toEqual({ daily: 0, cloud: 0, other: 0 });
  });
});

describe('a budget whose scope is renamed', () => {
  it('counts each name its route had in the period, each for its own time; one moved to another route counts that route', () => {
    const now = Date.parse('2026-11-04T12:00:00Z');
    const renamedAt = Date.parse('2026-11-03T09:00:00Z');
    const routes = (...names: string[]) => names.map((name) => ({ name, deployments: ['mini'] }));
    const budget = (route: string, limitUsd = 5) => ({ name: 'team', scope: { route }, period: 'month' as const, limitUsd });
    let config = { version: 1, providers: [], deployments: [], routes: routes('main', 'batch'), budgets: [budget('main')] } as unknown as Config;
    // Rows as the usage log keeps them, under the names they were written under: "default" was renamed "main".
    const rows = [row(Date.parse('2026-10-30T10:00:00Z'), 7), row(Date.parse('2026-11-02T10:00:00Z'), 2), row(renamedAt + 3_600_000, 0.5, { route: 'main' }), row(now - 1, 0.25, { route: 'batch' })];
    const spentSince = (since: number, scope: { route?: string }) => rows.filter((r) => r.at >= since && r.route === scope.route).reduce((sum, r) => sum + r.cost, 0);
    const asked: [string, string, number][] = [];
    const names = (kind: 'route' | 'provider', name: string, since: number) => {
      asked.push([kind, name, since]);
      return name === 'main' ? [{ name: 'main', from: renamedAt, until: undefined }, { name: 'default', from: since, until: renamedAt + 60_000 }] : [{ name, from: since, until: undefined }];
    };
    const budgets = createBudgets({ config: () => config, defaultTimeZone: () => 'UTC', now: () => now, spentSince, names });
    // October's 7 is another period's; "default" from the 1st to the rename, "main" since.
    expect(budgets.status()[0]).toMatchObject({ scope: { route: 'main' }, spentUsd: 2.5 });
    expect(asked).toEqual([['route', 'main', Date.parse('2026-11-01T00:00:00Z')]]);
    budgets.record(row(now, 1, { route: 'main' }));
    expect(budgets.status()[0]?.spentUsd).toBe(3.5);

    // Its limit changed: a changed budget starts again, from the rollups of each name (the row just recorded is in them now).
    rows.push(row(now, 1, { route: 'main' }));
    config = { ...config, budgets: [budget('main', 3)] };
    expect(budgets.status()[0]).toMatchObject({ spentUsd: 3.5, exceeded: true });

    config = { ...config, budgets: [budget('batch')] };
    expect(budgets.status()[0]).toMatchObject({ scope: { route: 'batch' }, spentUsd: 0.25 });
  });
});
