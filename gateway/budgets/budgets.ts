/**
 * Budgets: what each has spent in its current period, and what that allows. Spend starts from the
 * usage log's rollups (at most an hour's rows) when a budget or its period begins, and each row the
 * gateway writes adds its cost at once, so a budget holds on the very request that crosses it. A
 * request sent to a paid deployment holds its prompt's price at the full input rate while it is in
 * flight (an answer's tokens are unknown until it ends): agents send requests in parallel, and ten
 * sent at once under a nearly spent budget would otherwise all go to the cloud. A budget that only
 * what is held would spend sends paid deployments last, not away: a hold overstates a prompt read
 * from a provider's cache tenfold, so it may steer but never refuse. A spent `skip-paid` budget (the
 * default) keeps its requests on free and local deployments, the fallbacks included; a spent
 * `refuse` budget answers 429 until its period ends.
 */
import type { BudgetConfig, Config, DeploymentConfig, ProviderConfig } from '../config/schema';
import type { BudgetedRequest, BudgetVerdict } from '../routing/state';
import type { UsageRow } from '../store/usage-types';
import { cost, priceOf } from '../usage/pricing';
import type { NameSpan, RenamedKind } from '../store/scope-names';
import { periodAt, type Period } from './periods';
import { isToolOf } from '../config/tool-names';

/** What one scope has cost since an instant, from the rollups. */
export type SpentSince = (since: number, scope: { route?: string; clientKey?: string; provider?: string; tool?: string }) => number;

export interface BudgetStatus {
  name: string;
  scope: BudgetConfig['scope'];
  period: BudgetConfig['period'];
  limitUsd: number;
  spentUsd: number;
  /** What requests in flight to paid deployments hold of it: their prompts at the input price. */
  inFlightUsd: number;
  remainingUsd: number;
  /** Spent as a share of the limit (1 = reached). */
  fraction: number;
  exceeded: boolean;
  onExceeded: 'skip-paid' | 'refuse';
  periodStart: number;
  resetsAt: number;
  timeZone: string;
}

export interface Budgets {
  verdict(request: BudgetedRequest): BudgetVerdict | undefined;
  /** Adds a written row's cost to the budgets it counts for. */
  record(row: UsageRow): void;
  status(): BudgetStatus[];
}

interface Tracked {
  config: BudgetConfig;
  timeZone: string;
  period: Period;
  spent: number;
  /** What requests in flight hold of it; one cell, carried to the budget an edit makes of it, which their releases then reach. */
  inFlight: InFlight;
}

interface InFlight {
  /** Held by requests in flight: while spent and held together reach the limit, paid deployments go last. */
  held: number;
  /** How many holds are out: none left is exactly nothing held, whatever sums of floats left over. */
  holds: number;
}

/** The names a route or provider had since an instant, each with when (store/scope-names.ts). */
export type NamesSince = (kind: RenamedKind, name: string, since: number) => NameSpan[];

export function createBudgets(deps: { config: () => Config; defaultTimeZone: () => string; spentSince: SpentSince; now: () => number; names?: NamesSince }): Budgets {
  let source: Config['budgets'];
  let tracked: Tracked[] = [];
  // Verdicts change only when spend does, a period ends or the budgets change: kept until then.
  const verdicts = new Map<string, BudgetVerdict | undefined>();
  let verdictsUntil = 0;

  /** What the budget's scope spent since the period began: a route or provider under each name it had in it (usage rows keep theirs). */
  const spentIn = (b: BudgetConfig, period: Period): number => {
    const scope = b.scope;
    // Keys and tools are never renamed: the rows of one name are all of its spend.
    if (scope === 'global' || 'clientKey' in scope || 'tool' in scope) return deps.spentSince(period.start, scope === 'global' ? {} : scope);
    const [kind, name]: [RenamedKind, string] = 'route' in scope ? ['route', scope.route] : ['provider', scope.provider];
    const spans = deps.names?.(kind, name, period.start) ?? [{ name, from: period.start, until: undefined }];
    const spent = (spanName: string, since: number) => deps.spentSince(since, { [kind]: spanName });
    return spans.reduce((sum, s) => sum + spent(s.name, s.from) - (s.until === undefined ? 0 : spent(s.name, s.until)), 0);
  };
  const start = (config: BudgetConfig, now: number, inFlight: InFlight = { held: 0, holds: 0 }): Tracked => {
    const timeZone = config.timeZone ?? deps.defaultTimeZone();
    const period = periodAt(config.period, timeZone, now);
    return { config, timeZone, period, spent: spentIn(config, period), inFlight };
  };
  /** The budgets of the current config, each in its current period. */
  const current = (): Tracked[] => {
    const config = deps.config();
    const budgets = config.budgets;
    const now = deps.now();
    if (budgets !== source) {
      // A config change: budgets kept as they were keep their spend (and holds); changed ones (a limit
      // raised, a route or provider renamed) start from the rollups of each name they had, and keep
      // what requests in flight hold of them (those requests are still under way); so does a budget
      // renamed, where one name left and one came; new ones hold nothing.
      const before = new Map(tracked.map((t) => [JSON.stringify(t.config), t]));
      const named = new Map(tracked.map((t) => [t.config.name, t]));
      const names = new Set((budgets ?? []).map((b) => b.name));
      const gone = tracked.filter((t) => !names.has(t.config.name));
      const came = (budgets ?? []).filter((b) => !named.has(b.name));
      const renamed = gone.length === 1 && came.length === 1 ? { to: came[0], from: gone[0] } : undefined;
      const held = (b: BudgetConfig) => named.get(b.name)?.inFlight ?? (b === renamed?.to ? renamed.from?.inFlight : undefined);
      tracked = (budgets ?? []).map((b) => before.get(JSON.stringify(b)) ?? start(b, now, held(b)));
      source = budgets;
      verdicts.clear();
      verdictsUntil = 0;
    }
    if (now >= verdictsUntil) {
      for (let i = 0; i < tracked.length; i++) if (now >= (tracked[i] as Tracked).period.end) tracked[i] = start((tracked[i] as Tracked).config, now);
      verdicts.clear();
      verdictsUntil = Math.min(...tracked.map((t) => t.period.end));
    }
    return tracked;
  };
  const counts = (t: Tracked, row: { route: string | null; clientKey: string; provider: string | null; tool: string | null }) => {
    const scope = t.config.scope;
    if (scope === 'global') return true;
    if ('route' in scope) return scope.route === row.route;
    if ('clientKey' in scope) return scope.clientKey === row.clientKey;
    if ('tool' in scope) return isToolOf(row.tool, scope.tool);
    return scope.provider === row.provider;
  };
  const exceeded = (t: Tracked) => t.spent >= t.config.limitUsd;
  /** Whether what is in flight would spend it: its paid deployments go last. */
  const full = (t: Tracked) => t.spent + t.inFlight.held >= t.config.limitUsd;
  /** Holds `usd` on each budget until the release runs (once; a budget restarted for a new period has no holds to release). */
  const hold = (on: Tracked[], usd: number) => {
    if (on.length === 0 || !(usd > 0)) return undefined;
    const cells = on.map((t) => t.inFlight);
    for (const cell of cells) {
      cell.held += usd;
      cell.holds++;
    }
    verdicts.clear();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const cell of cells) {
        cell.holds = Math.max(0, cell.holds - 1);
        cell.held = cell.holds === 0 ? 0 : Math.max(0, cell.held - usd);
      }
      verdicts.clear();
    };
  };

  return {
    verdict(request) {
      if (!deps.config().budgets?.length) return undefined;
      const all = current();
      const key = `${request.route}\u0000${request.clientKey ?? ''}\u0000${request.tool ?? ''}`;
      if (verdicts.has(key)) return verdicts.get(key);
      if (verdicts.size >= 1_000) verdicts.clear();
      const applied: BudgetVerdict['applied'] = [];
      const heldPaid = new Set<string>();
      // The spent budgets that skip a provider's paid deployments (or all, '*'): the first one's name, and when the last of them resets.
      const spent = new Map<string, { name: string; resetsAt: number }>();
      // The budgets a paid attempt of this request counts for: its own, and its deployment's provider's.
      const own: Tracked[] = [];
      const byProvider = new Map<string, Tracked[]>();
      let refuse: BudgetVerdict['refuse'];
      for (const t of all) {
        const scope = t.config.scope;
        const provider = typeof scope === 'object' && 'provider' in scope ? scope.provider : undefined;
        if (provider === undefined && !counts(t, { route: request.route, clientKey: request.clientKey ?? 'anonymous', provider: null, tool: request.tool ?? null })) continue;
        if (provider === undefined) {
          applied.push({ name: t.config.name, remainingUsd: t.config.limitUsd - t.spent });
          own.push(t);
        } else byProvider.set(provider, [...(byProvider.get(provider) ?? []), t]);
        if (!full(t)) continue;
        if (provider === undefined && t.config.onExceeded === 'refuse' && exceeded(t)) {
          refuse ??= { name: t.config.name, resetsAt: t.period.end };
          continue;
        }
        const key = provider ?? '*';
        if (!exceeded(t)) {
          heldPaid.add(key);
          continue;
        }
        const was = spent.get(key);
        spent.set(key, { name: was?.name ?? t.config.name, resetsAt: Math.max(was?.resetsAt ?? 0, t.period.end) });
      }
      const holdFor = (deployment: DeploymentConfig, provider: ProviderConfig | undefined, promptTokens: () => number) => {
        const price = priceOf(deployment, provider);
        // A free deployment (a local one, or one with no known price) holds nothing: its prompt is not even counted.
        if (!(cost(price, { input: 1, output: 0 }) > 0)) return undefined;
        const on = [...own, ...(byProvider.get(deployment.provider) ?? [])];
        return on.length === 0 ? undefined : hold(on, cost(price, { input: promptTokens(), output: 0 }));
      };
      const verdict =
        applied.length === 0 && spent.size === 0 && heldPaid.size === 0 && !refuse && byProvider.size === 0 ? undefined : { applied, refuse, skipPaid: new Set(spent.keys()), heldPaid, spentFor: (p: string) => spentOn(spent, p), hold: holdFor };
      verdicts.set(key, verdict);
      return verdict;
    },

    record(row) {
      if (row.cost <= 0 || !deps.config().budgets?.length) return;
      for (const t of current()) if (row.at >= t.period.start && counts(t, row)) t.spent += row.cost;
      verdicts.clear();
    },

    status() {
      return current().map((t) => ({
        name: t.config.name,
        scope: t.config.scope,
        period: t.config.period,
        limitUsd: t.config.limitUsd,
        spentUsd: t.spent,
        inFlightUsd: t.inFlight.held,
        remainingUsd: Math.max(0, t.config.limitUsd - t.spent),
        fraction: t.config.limitUsd > 0 ? t.spent / t.config.limitUsd : t.spent > 0 ? 1 : 0,
        exceeded: exceeded(t),
        onExceeded: t.config.onExceeded ?? 'skip-paid',
        periodStart: t.period.start,
        resetsAt: t.period.end,
        timeZone: t.timeZone,
      }));
    },
  };
}

/** A budget's status as the APIs and the CLI show it: its scope in one word, its instants in ISO 8601. */
export function budgetView(b: BudgetStatus) {
  const scope = b.scope === 'global' ? 'global' : 'route' in b.scope ? `route:${b.scope.route}` : 'clientKey' in b.scope ? `clientKey:${b.scope.clientKey}` : 'tool' in b.scope ? `tool:${b.scope.tool}` : `provider:${b.scope.provider}`;
  return { ...b, scope, periodStart: new Date(b.periodStart).toISOString(), resetsAt: new Date(b.resetsAt).toISOString() };
}

/** What skips a provider's paid deployments: its own spent budget's name (else a global one's), and when every spent budget over it has reset. */
function spentOn(spent: ReadonlyMap<string, { name: string; resetsAt: number }>, provider: string): { name: string; resetsAt: number } | undefined {
  const own = spent.get(provider);
  const all = spent.get('*');
  const first = own ?? all;
  return first && { name: first.name, resetsAt: Math.max(own?.resetsAt ?? 0, all?.resetsAt ?? 0) };
}
