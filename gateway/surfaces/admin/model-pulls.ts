/**
 * Pulling a deployment's model to its Ollama from the dashboard (`POST .../deployments/NAME/pull`),
 * the pulls under way and just ended with their progress (`GET /pulls`), and cancelling one
 * (`DELETE .../deployments/NAME/pull`). The pull itself runs in the background (models/pulls.ts): a
 * download of many gigabytes outlives the request that asked for it.
 */
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors';
import type { Pulls } from '../../models/pulls';
import type { Catalog } from '../../routing/catalog';
import { localModelTarget } from './local-model-target';
import { DeploymentParams, PullListSchema, PullViewSchema, type PullList, type PullView } from './schemas';

export function modelPulls(app: FastifyInstance, { catalog, pulls }: { catalog: () => Catalog; pulls: Pulls }): void {
  const ollamaDeployment = (name: string) =>
    localModelTarget(catalog(), name, (d, adapter) => (adapter?.pull ? undefined : `${d.name} is not on an Ollama: only an Ollama pulls models (a cloud provider has its models already)`)).deployment;

  app.post<{ Params: { deployment: string } }>('/deployments/:deployment/pull', { schema: { params: DeploymentParams, response: { 202: PullViewSchema } } }, async (request, reply) => {
    const view: PullView = pulls.start(ollamaDeployment(request.params.deployment));
    return reply.code(202).send(view);
  });

  app.delete<{ Params: { deployment: string } }>('/deployments/:deployment/pull', { schema: { params: DeploymentParams, response: { 200: PullViewSchema } } }, async (request) => {
    const deployment = ollamaDeployment(request.params.deployment);
    const cancelled: PullView | undefined = pulls.cancel(deployment.provider, deployment.model);
    if (!cancelled) throw new GatewayError('not_found', `No pull of ${deployment.model} is under way on ${deployment.provider}`, { param: 'deployment' });
    return cancelled;
  });

  app.get('/pulls', { schema: { response: { 200: PullListSchema } } }, async (): Promise<PullList> => ({ pulls: pulls.list() }));
}
