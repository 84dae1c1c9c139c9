/**
 * `GET /health` for monitors and scripts, answered without touching any upstream. On loopback it is
 * public (it shows no secret and no usage rows). Beyond loopback only whether the gateway is up is
 * public: the whole report (providers' hosts, deployments, budgets and their spend) needs a client key.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestIdPlugin } from '../../http/request-id';
import { healthReport, type HealthSources } from './report';
import { HealthAnswerSchema } from './schema';

export interface HealthSurfaceOptions {
  sources: HealthSources;
  /** Whether this request may read the whole report. */
  mayReadAll(request: FastifyRequest): boolean;
}

export async function healthSurface(app: FastifyInstance, { sources, mayReadAll }: HealthSurfaceOptions): Promise<void> {
  await app.register(requestIdPlugin);
  app.get('/health', { schema: { response: { 200: HealthAnswerSchema } } }, async (request) => {
    const report = healthReport(sources);
    if (mayReadAll(request)) return report;
    const { status, version, uptimeSeconds, store } = report;
    return { status, version, uptimeSeconds, store };
  });
}
