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
import { DeploymentParams, PullListSchema, PullViewSchema, type PullList, type PullView } from './schemas';

export function modelPulls(app: FastifyInstance, { catalog, pulls }: { catalog: () => Catalog; pulls: Pulls }): void {
  const ollamaDeployment = (name: string) => {
    const deployment = catalog().deployments.get(name);
    if (!deployment) throw new GatewayError('not_found', `No deployment is named "${name}"`, { param: 'deployment' });
    const adapter = catalog().providers.get(deployment.provider);
    if (!adapter?.pull) throw new GatewayError('invalid_request', `${name} is not on an Ollama: only an Ollama pulls models (a cloud provider has its models already)`, { param: 'deployment' });
    if (adapter.unavailableReason) throw new GatewayError('invalid_request', `Provider ${deployment.provider} cannot be used: ${adapter.unavailableReason}`, { param: 'deployment' });
    return deployment;
  };

  app.post<{ Params: { deployment: string } }>('/deployments/:deployment/pull', { schema: { params: DeploymentParams, response: { 202: PullViewSchema } } }, async (request, reply) => {
    const view: PullView = pulls.start(ollamaDeployment(request.params.deployment));
    return reply.code(202).send(view);
  });

  app.delete<{ Params: { deployment: string } }>('/deployments/:deployment/pull', { schema: { params: DeploymentParams, response: { 200: PullViewSchema } } }, async (request) => {
    const deployment = ollamaDeployment(request.params.deployment);
    if (!pulls.cancel(deployment.provider, deployment.model)) throw new GatewayError('not_found', `No pull of ${deployment.model} is under way on ${deployment.provider}`, { param: 'deployment' });
    const view = pulls.list().find((p) => p.provider === deployment.provider && p.model === deployment.model);
    return view as PullView;
  });

  app.get('/pulls', { schema: { response: { 200: PullListSchema } } }, async (): Promise<PullList> => ({ pulls: pulls.list() }));
}
