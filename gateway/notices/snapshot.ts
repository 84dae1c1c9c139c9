/**
 * What the notifier is fed: the gateway's whole health report (read in process: `/health` gives a
 * gateway listening beyond loopback only its status without a client key), the requests that fell
 * back since it started (its metrics' counter: a sum over the config's routes, not a query of the
 * usage history), and the model pulls under way or just ended.
 */
import type { Gateway } from '../gateway-types';
import type { HealthSnapshot } from './notifier';

export function readHealthSnapshot(gateway: Pick<Gateway, 'healthReport' | 'metrics' | 'pulls'>): HealthSnapshot {
  const report = gateway.healthReport();
  return {
    providers: report.providers.map((p) => ({ name: p.name, status: p.status })),
    fallbacks: gateway.metrics.snapshot().fallbacks.reduce((n, series) => n + series.value, 0),
    budgets: report.budgets,
    storeError: report.storeError,
    pulls: gateway.pulls.list(),
  };
}
