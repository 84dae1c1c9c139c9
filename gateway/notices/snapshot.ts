/**
 * What the notifier is fed: the gateway's whole health report (read in process: `/health` gives a
 * gateway listening beyond loopback only its status without a client key), the requests that fell
 * back since it started (its metrics' counter: a sum over the config's routes, not a query of the
 * usage history), the model pulls under way or just ended, and for each provider the routes it
 * would leave with nothing to try (so "is down" says whether requests fall back or fail).
 */
import type { Config } from '../config/schema';
import type { Gateway } from '../gateway-types';
import type { HealthSnapshot } from './notifier';

export function readHealthSnapshot(gateway: Pick<Gateway, 'healthReport' | 'metrics' | 'pulls' | 'config'>): HealthSnapshot {
  const report = gateway.healthReport();
  const stranded = routesLeftBy(gateway.config(), report);
  return {
    providers: report.providers.map((p) => ({ name: p.name, status: p.status, ...stranded.get(p.name) })),
    fallbacks: gateway.metrics.snapshot().fallbacks.reduce((n, series) => n + series.value, 0),
    budgets: report.budgets,
    storeError: report.storeError,
    pulls: gateway.pulls.list(),
  };
}

type Report = ReturnType<Gateway['healthReport']>;

/**
 * Per provider, the routes it serves: `stranded`, those with no deployment it could fall back to
 * (none enabled on another provider, or, local only, none local), and whether any other has one.
 */
function routesLeftBy(config: Config, report: Report): Map<string, { stranded: string[]; othersFallBack: boolean }> {
  const usable = new Map(report.deployments.filter((d) => d.enabled && (!report.localOnly || d.local)).map((d) => [d.name, d.provider]));
  const out = new Map<string, { stranded: string[]; othersFallBack: boolean }>();
  for (const route of config.routes) {
    const providers = new Set(route.deployments.flatMap((name) => usable.get(name) ?? []));
    for (const provider of providers) {
      const entry = out.get(provider) ?? { stranded: [], othersFallBack: false };
      if (providers.size === 1) entry.stranded.push(route.name);
      else entry.othersFallBack = true;
      out.set(provider, entry);
    }
  }
  return out;
}
