/** Circuit breakers by hand: read every deployment's state, or close one after fixing it. */
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors';

export function registerBreakerRoutes(app: FastifyInstance): void {
  app.get('/admin/api/breakers', async () => {
    const { catalog, breakers } = app.switchyard;
    return {
      breakers: catalog().config.deployments.map((d) => ({ deployment: d.name, ...breakers.snapshot(d.name) })),
      transitions: breakers.transitions(),
    };
  });

  app.post<{ Params: { deployment: string } }>('/admin/api/breakers/:deployment/reset', async (request) => {
    const { breakers } = app.switchyard;
    if (!breakers.reset(request.params.deployment)) {
      throw new GatewayError('not_found', `No deployment is named "${request.params.deployment}"`, { param: 'deployment' });
    }
    return { deployment: request.params.deployment, ...breakers.snapshot(request.params.deployment) };
  });
}
