/** Circuit breakers by hand: read every deployment's state, or close one after fixing it. */
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors';
import type { BreakerBoard } from '../../routing/breaker-board';
import type { Catalog } from '../../routing/catalog';
import { BreakersSchema, BreakerViewSchema, DeploymentParams } from './schemas';

export function breakerRoutes(app: FastifyInstance, { catalog, breakers }: { catalog: () => Catalog; breakers: BreakerBoard }): void {
  app.get('/breakers', { schema: { response: { 200: BreakersSchema } } }, async () => {
    return {
      breakers: catalog().config.deployments.map((d) => ({ deployment: d.name, ...breakers.snapshot(d.name) })),
      transitions: breakers.transitions(),
    };
  });

  app.post<{ Params: { deployment: string } }>('/breakers/:deployment/reset', { schema: { params: DeploymentParams, response: { 200: BreakerViewSchema } } }, async (request) => {
    if (!breakers.reset(request.params.deployment)) {
      throw new GatewayError('not_found', `No deployment is named "${request.params.deployment}"`, { param: 'deployment' });
    }
    return { deployment: request.params.deployment, ...breakers.snapshot(request.params.deployment) };
  });
}
