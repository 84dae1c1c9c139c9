/**
 * `GET /health`: the gateway, its store, and each provider and deployment as traffic sees them
 * (usable now, time-window state, last success and failure).
 */
import type { FastifyInstance } from 'fastify';
import type { TrafficRecord } from '../health/traffic';

export function registerHealthRoute(app: FastifyInstance): void {
  app.get('/health', async () => {
    const { catalog: getCatalog, traffic, storeOk, version, startedAt, now } = app.switchyard;
    const catalog = getCatalog();
    const at = now();
    const providers = catalog.config.providers.map((p) => {
      const adapter = catalog.providers.get(p.name);
      const stats = traffic.provider(p.name);
      return {
        name: p.name,
        kind: p.kind,
        baseUrl: p.baseUrl,
        status: adapter?.unavailableReason ? 'unavailable' : statusFrom(stats),
        reason: adapter?.unavailableReason ?? null,
        ...timesOf(stats),
      };
    });
    const deployments = catalog.config.deployments.map((d) => {
      const window = catalog.windowStateOf(d, at);
      const stats = traffic.deployment(d.name);
      return {
        name: d.name,
        provider: d.provider,
        model: d.model,
        type: d.type ?? 'chat',
        enabled: d.enabled !== false,
        inTimeWindow: !window.usable,
        windowChangesAt: window.until === null ? null : new Date(window.until).toISOString(),
        status: d.enabled === false ? 'disabled' : !window.usable ? 'blocked' : statusFrom(stats),
        ...timesOf(stats),
      };
    });
    const store = storeOk();
    return {
      status: store ? (providers.some((p) => p.status === 'down') ? 'degraded' : 'ok') : 'error',
      version,
      uptimeSeconds: Math.round((at - startedAt) / 1000),
      store: store ? 'ok' : 'error',
      providers,
      deployments,
    };
  });
}

function statusFrom(stats: TrafficRecord): 'unknown' | 'up' | 'down' {
  if (stats.requests === 0) return 'unknown';
  return stats.consecutiveFailures > 0 && (stats.lastOkAt === null || (stats.lastFailureAt ?? 0) > stats.lastOkAt) ? 'down' : 'up';
}

function timesOf(stats: TrafficRecord) {
  return {
    lastOkAt: stats.lastOkAt === null ? null : new Date(stats.lastOkAt).toISOString(),
    lastFailureAt: stats.lastFailureAt === null ? null : new Date(stats.lastFailureAt).toISOString(),
    lastError: stats.lastError,
    lastLatencyMs: stats.lastLatencyMs,
  };
}
