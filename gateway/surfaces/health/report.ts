/**
 * The health report: the gateway, its store, and each provider and deployment, from both the
 * periodic probes and live traffic (whichever spoke last), with each deployment's breaker and time
 * window. Served by `/health` and by the admin API.
 */
import type { DeploymentConfig } from '../../config/schema';
import { probeIntervalOf, type HealthMonitor, type ProbeRecord } from '../../health/monitor';
import { withoutProviderName } from '../../health/provider-words';
import type { TrafficRecord, TrafficStats } from '../../health/traffic';
import type { BreakerBoard } from '../../routing/breaker-board';
import type { Catalog } from '../../routing/catalog';
import type { BreakerSnapshot } from '../../routing/circuit-breaker';
import type { HealthReport } from './schema';
import { budgetView, type Budgets } from '../../budgets/budgets';
import type { RoutingState } from '../../routing/state';
import { isPaid } from '../../routing/strategies';
import { isLocalDeployment } from '../../providers/locality';
import { listsModel, modelMeant } from '../../models/listed';
import { misfiledEmbedding } from '../../models/facts';

export interface HealthSources {
  catalog: () => Catalog;
  /** The router's live state (windows, capabilities) and the budgets. */
  routing?: RoutingState;
  budgets?: Pick<Budgets, 'status'>;
  traffic: TrafficStats;
  breakers: BreakerBoard;
  health: HealthMonitor;
  /** Why the store cannot be written (a full disk), or undefined while it works. */
  storeProblem: () => string | undefined;
  version: string;
  startedAt: number;
  now: () => number;
}

type Status = 'up' | 'down' | 'unknown';

export function healthReport(sources: HealthSources): HealthReport {
  const { catalog: getCatalog, traffic, breakers, health, storeProblem, version, startedAt, now } = sources;
  const catalog = getCatalog();
  const at = now();
  const budgets = (sources.budgets?.status() ?? []).map(budgetView);
  const spentEverywhere = budgets.some((b) => b.exceeded && b.onExceeded === 'skip-paid' && b.scope === 'global');
  const localOnly = catalog.config.settings?.localOnly === true;
  const spentProviders = new Set(budgets.filter((b) => b.exceeded && b.scope.startsWith('provider:')).map((b) => b.scope.slice('provider:'.length)));
  const providers = catalog.config.providers.map((p) => {
    const adapter = catalog.providers.get(p.name);
    const probe = health.latest(p.name);
    const stats = traffic.provider(p.name);
    return {
      name: p.name,
      kind: p.kind,
      baseUrl: p.baseUrl,
      status: adapter?.unavailableReason ? 'unavailable' : statusFrom(stats, probe),
      reason: adapter?.unavailableReason ?? null,
      probe: probe ? probeView(probe, p.name) : null,
      probeIntervalMs: probeIntervalOf(p),
      inFlight: adapter?.limiter.inFlight ?? 0,
      queued: adapter?.limiter.waiting ?? 0,
      ...trafficView(stats),
      lastError: withoutProviderName(p.name, stats.lastError),
    };
  });
  // What a server that stopped answering holds in memory is not known: one that went down lost it.
  const down = new Set(providers.filter((p) => p.status === 'down').map((p) => p.name));
  const deployments = catalog.config.deployments.map((d) => {
    const window = catalog.windowStateOf(d, at);
    const stats = traffic.deployment(d.name);
    const breaker = breakers.snapshot(d.name);
    const probe = health.latest(d.provider);
    const facts = sources.routing?.facts(d);
    const provider = catalog.providers.get(d.provider)?.config;
    const paid = isPaid(d, provider);
    const local = isLocalDeployment(d, provider) && sources.routing?.runsRemotely(d) !== true;
    return {
      name: d.name,
      provider: d.provider,
      model: d.model,
      type: d.type ?? 'chat',
      enabled: d.enabled !== false,
      status: deploymentStatus(d, !window.usable, breaker, statusFrom(stats, probe), at),
      ...modelInList(d, probe),
      inTimeWindow: !window.usable,
      windowChangesAt: iso(window.until),
      breaker: {
        state: breaker.state,
        openUntil: iso(breaker.openUntil),
        coolingUntil: iso(breaker.coolingUntil),
        consecutiveFailures: breaker.consecutiveFailures,
        blockedBy: breaker.blockedBy,
        blockedMessage: breaker.blockedMessage,
      },
      contextWindow: facts?.window ?? null,
      raiseTo: facts?.raiseTo === undefined || !Number.isFinite(facts.raiseTo) ? null : facts.raiseTo,
      capabilities: facts?.capabilities ? [...facts.capabilities] : null,
      misfiled: misfiledEmbedding(d.type, facts?.capabilities),
      maxOutput: facts?.maxOutput ?? null,
      overBudget: paid && (spentEverywhere || spentProviders.has(d.provider)),
      local,
      skippedLocalOnly: localOnly && !local,
      loaded: probe?.result?.loaded && !down.has(d.provider) ? listsModel(probe.result.loaded, d.model) : null,
      ...trafficView(stats),
    };
  });
  const problem = storeProblem();
  return {
    status: problem ? 'error' : providers.some((p) => p.status === 'down' || p.status === 'unavailable') || deployments.some((d) => d.breaker.state !== 'closed') ? 'degraded' : 'ok',
    version,
    uptimeSeconds: Math.round((at - startedAt) / 1000),
    store: problem ? 'error' : 'ok',
    storeError: problem ?? null,
    memory: { rssBytes: process.memoryUsage.rss() },
    localOnly,
    providers,
    deployments,
    budgets,
  };
}

/** Whichever spoke last, the probe or real traffic, says whether the provider is up. */
function statusFrom(stats: TrafficRecord, probe: ProbeRecord | undefined): Status {
  const events: { at: number; ok: boolean }[] = [];
  if (stats.said) events.push({ at: stats.said.at, ok: stats.said.up });
  if (probe) events.push({ at: probe.at, ok: probe.ok });
  if (events.length === 0) return 'unknown';
  return events.reduce((a, b) => (b.at >= a.at ? b : a)).ok ? 'up' : 'down';
}

function deploymentStatus(d: DeploymentConfig, blocked: boolean, breaker: BreakerSnapshot, provider: Status, at: number): string {
  if (d.enabled === false) return 'disabled';
  if (blocked) return 'blocked';
  if (breaker.state === 'open' && breaker.openUntil !== null && at < breaker.openUntil) return 'open';
  if (breaker.state !== 'closed') return 'probing';
  if (breaker.coolingUntil !== null) return 'cooling';
  return provider;
}

/** From the latest probe: is the deployment's model among the provider's models, and if not, which one was meant? */
function modelInList(d: DeploymentConfig, probe: ProbeRecord | undefined): { modelAvailable: boolean | null; modelMeant: string | null } {
  const models = probe?.result?.models;
  if (!models) return { modelAvailable: null, modelMeant: null };
  if (listsModel(models, d.model)) return { modelAvailable: true, modelMeant: null };
  return { modelAvailable: false, modelMeant: modelMeant(models, d.model) ?? null };
}

/** A provider's latest probe, its error said on the provider's own row (without its name again). */
function probeView(probe: ProbeRecord, provider: string) {
  return {
    at: new Date(probe.at).toISOString(),
    ok: probe.ok,
    latencyMs: Math.round(probe.latencyMs * 10) / 10,
    error: withoutProviderName(provider, probe.error),
    version: probe.result?.version ?? null,
    models: probe.result?.models ?? null,
    loaded: probe.result?.loaded ?? null,
  };
}

function trafficView(stats: TrafficRecord) {
  return {
    lastOkAt: iso(stats.lastOkAt),
    lastFailureAt: iso(stats.lastFailureAt),
    lastError: stats.lastError,
    lastLatencyMs: stats.lastLatencyMs,
  };
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
