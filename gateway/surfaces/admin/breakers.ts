/**
 * Circuit breakers: every deployment's state and the last day's transitions (from the store, so a
 * restart keeps them: why requests went elsewhere yesterday afternoon), or close one by hand.
 */
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors';
import type { BreakerBoard } from '../../routing/breaker-board';
import type { Catalog } from '../../routing/catalog';
import type { HealthHistory } from '../../store/health-history';
import { BreakersSchema, BreakerViewSchema, DeploymentParams } from './schemas';

/** The transitions shown: a day's, at most this many (a flapping breaker makes three a cooldown). */
const SHOWN_TRANSITIONS = 200;
const DAY_MS = 86_400_000;

export function breakerRoutes(app: FastifyInstance, { catalog, breakers, history, now }: { catalog: () => Catalog; breakers: BreakerBoard; history: HealthHistory; now: () => number }): void {
  app.get('/breakers', { schema: { response: { 200: BreakersSchema } } }, async () => {
    return {
      breakers: catalog().config.deployments.map((d) => ({ deployment: d.name, ...breakers.snapshot(d.name) })),
      // Newest first from the store (the latest when there are more), listed oldest first.
      transitions: history.transitions(now() - DAY_MS, SHOWN_TRANSITIONS).reverse(),
    };
  });

  app.post<{ Params: { deployment: string } }>('/breakers/:deployment/reset', { schema: { params: DeploymentParams, response: { 200: BreakerViewSchema } } }, async (request) => {
    if (!breakers.reset(request.params.deployment)) {
      throw new GatewayError('not_found', `No deployment is named "${request.params.deployment}"`, { param: 'deployment' });
    }
    return { deployment: request.params.deployment, ...breakers.snapshot(request.params.deployment) };
  });
}
