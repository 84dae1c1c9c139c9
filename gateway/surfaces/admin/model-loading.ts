/**
 * "Load now" and "Unload": an Ollama deployment's model put in memory before a request needs it, or
 * let go when the memory is wanted elsewhere. A large local model takes many seconds to load, and the
 * first request after it was unloaded (Ollama's keep-alive ran out, the machine restarted) waits that
 * long; a user about to start an agent loads it first, and one about to run something else frees it.
 */
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors';
import { localModelTarget } from './local-model-target';
import type { HealthMonitor } from '../../health/monitor';
import { notLoadable } from '../../health/warm-up';
import { clientAbortSignal } from '../../http/client-abort';
import type { Catalog } from '../../routing/catalog';
import { DeploymentParams, ModelMemorySchema } from './schemas';

interface ModelLoadingServices {
  catalog: () => Catalog;
  health: Pick<HealthMonitor, 'probe'>;
}

export function modelLoading(app: FastifyInstance, { catalog, health }: ModelLoadingServices): void {
  for (const action of ['load', 'unload'] as const) {
    app.post<{ Params: { deployment: string } }>(`/deployments/:deployment/${action}`, { schema: { params: DeploymentParams, response: { 200: ModelMemorySchema } } }, async (request, reply) => {
      const name = request.params.deployment;
      const { deployment, adapter } = localModelTarget(catalog(), name, (d, a) => notLoadable(d, a?.config) ?? (a?.[action] ? undefined : `${d.provider} loads no models`));
      const call = adapter[action]!.bind(adapter);
      const started = performance.now();
      try {
        // Within the provider's timeouts, and given up if the page that asked goes away.
        await call(deployment, clientAbortSignal(reply));
      } catch (error) {
        throw new GatewayError('upstream_error', `${deployment.provider} did not ${action} ${deployment.model}: ${(error as Error).message}`, { param: 'deployment' });
      }
      const ms = Math.round(performance.now() - started);
      // The report (the Routes page's badge) says so from now on, not from the next probe, and so does
      // the router: a probe newer than the model's last answer is what it goes by.
      await health.probe(deployment.provider);
      return { deployment: name, model: deployment.model, ms };
    });
  }
}
