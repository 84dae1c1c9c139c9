/**
 * "Load now": an Ollama deployment's model put in memory before a request needs it. A large local
 * model takes many seconds to load, and the first request after it was unloaded (Ollama's keep-alive
 * ran out, the machine restarted) waits that long; a user about to start an agent loads it first.
 */
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors';
import type { HealthMonitor } from '../../health/monitor';
import { notLoadable } from '../../health/warm-up';
import { clientAbortSignal } from '../../http/client-abort';
import type { Catalog } from '../../routing/catalog';
import { DeploymentParams, ModelLoadedSchema } from './schemas';

export function modelLoading(app: FastifyInstance, { catalog, health }: { catalog: () => Catalog; health: Pick<HealthMonitor, 'probe'> }): void {
  app.post<{ Params: { deployment: string } }>('/deployments/:deployment/load', { schema: { params: DeploymentParams, response: { 200: ModelLoadedSchema } } }, async (request, reply) => {
    const name = request.params.deployment;
    const deployment = catalog().deployments.get(name);
    if (!deployment) throw new GatewayError('not_found', `No deployment is named "${name}"`, { param: 'deployment' });
    const adapter = catalog().providers.get(deployment.provider);
    const refused = notLoadable(deployment, adapter?.config);
    if (refused || !adapter?.load) throw new GatewayError('invalid_request', refused ?? `${deployment.provider} loads no models`, { param: 'deployment' });
    if (adapter.unavailableReason) throw new GatewayError('invalid_request', `Provider ${deployment.provider} cannot be used: ${adapter.unavailableReason}`, { param: 'deployment' });
    const started = performance.now();
    try {
      // Within the provider's timeouts, and given up if the page that asked goes away.
      await adapter.load(deployment, clientAbortSignal(reply));
    } catch (error) {
      throw new GatewayError('upstream_error', `${deployment.provider} did not load ${deployment.model}: ${(error as Error).message}`, { param: 'deployment' });
    }
    const ms = Math.round(performance.now() - started);
    // The report (the Routes page's badge) says it is loaded from now on, not from the next probe.
    await health.probe(deployment.provider);
    return { deployment: name, model: deployment.model, ms };
  });
}
