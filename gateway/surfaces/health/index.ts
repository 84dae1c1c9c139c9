/**
 * `GET /health` for monitors and scripts, answered without touching any upstream, and `GET /metrics`
 * for Prometheus and the like. On loopback both are public (they show no secret and no usage rows).
 * Beyond loopback only whether the gateway is up is public: the whole report (providers' hosts,
 * deployments, budgets and their spend) and the metrics need a client key.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatewayError } from '../../errors';
import { requestIdPlugin } from '../../http/request-id';
import { METRICS_CONTENT_TYPE, renderMetrics } from '../../metrics/exposition';
import { createProcessMeter } from '../../metrics/process';
import type { MetricsTally } from '../../metrics/tally';
import { healthReport, type HealthSources } from './report';
import { HealthAnswerSchema } from './schema';

export interface HealthSurfaceOptions {
  sources: HealthSources;
  metrics: MetricsTally;
  /** Whether this request may read the whole report. */
  mayReadAll(request: FastifyRequest): boolean;
}

export async function healthSurface(app: FastifyInstance, { sources, metrics, mayReadAll }: HealthSurfaceOptions): Promise<void> {
  await app.register(requestIdPlugin);
  const processMeter = createProcessMeter();
  app.addHook('onClose', async () => processMeter.close());
  app.get('/health', { schema: { response: { 200: HealthAnswerSchema } } }, async (request) => {
    const report = healthReport(sources);
    if (mayReadAll(request)) return report;
    const { status, version, uptimeSeconds, store } = report;
    return { status, version, uptimeSeconds, store };
  });
  app.get('/metrics', async (request, reply) => {
    if (!mayReadAll(request)) throw new GatewayError('invalid_api_key', 'The metrics of a gateway listening beyond this machine need a client key: send it as "Authorization: Bearer <key>"');
    reply.type(METRICS_CONTENT_TYPE);
    return renderMetrics(metrics.snapshot(), healthReport(sources), sources.startedAt, processMeter.read());
  });
}
