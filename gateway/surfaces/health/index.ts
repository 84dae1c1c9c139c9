/**
 * `GET /health` for monitors and scripts: public (it shows no secret and no usage), and answered
 * without touching any upstream.
 */
import type { FastifyInstance } from 'fastify';
import { requestIdPlugin } from '../../http/request-id';
import { healthReport, type HealthSources } from './report';
import { HealthReportSchema } from './schema';

export async function healthSurface(app: FastifyInstance, sources: HealthSources): Promise<void> {
  await app.register(requestIdPlugin);
  app.get('/health', { schema: { response: { 200: HealthReportSchema } } }, async () => healthReport(sources));
}
