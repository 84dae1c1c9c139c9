/**
 * What the notifier is fed: the gateway's own `/health` report (asked in process, never over the
 * network), the requests that fell back since it started (its metrics' counter: a sum over the
 * config's routes, not a query of the usage history), and the model pulls under way or just ended.
 */
import type { Gateway } from '../gateway-types';
import type { HealthReport } from '../surfaces/health/schema';
import type { HealthSnapshot } from './notifier';

export async function readHealthSnapshot(gateway: Pick<Gateway, 'app' | 'metrics' | 'pulls'>, port: number): Promise<HealthSnapshot> {
  const report = (await gateway.app.inject({ method: 'GET', url: '/health', headers: { host: `127.0.0.1:${port}` } })).json() as HealthReport;
  const fallbacks = gateway.metrics.snapshot().fallbacks.reduce((n, series) => n + series.value, 0);
  return {
    providers: report.providers.map((p) => ({ name: p.name, status: p.status })),
    fallbacks,
    budgets: report.budgets,
    storeError: report.storeError,
    pulls: gateway.pulls.list(),
  };
}
