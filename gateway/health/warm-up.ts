/**
 * An Ollama deployment's model loaded in the background. A `coldStart: "fallback"` deployment whose
 * model is not in memory is passed over (the request goes on to the route's other deployments), and
 * this loads it meanwhile; the probe right after tells the router it is in memory, so requests come
 * back to it. One load per model at a time, and after a failure (out of memory, a model removed)
 * none for a minute, so a stream of requests does not ask an Ollama that cannot load it again and again.
 */
import type { DeploymentConfig, ProviderConfig } from '../config/schema';
import type { Catalog } from '../routing/catalog';

/** As long as a large model on a slow disk may take; the admin's Load now has the provider's own timeouts. */
const LOAD_TIMEOUT_MS = 5 * 60_000;
const AFTER_FAILURE_MS = 60_000;

/**
 * Why a deployment's model cannot be loaded ahead of its requests, or undefined when it can: only an
 * Ollama's models are (the dashboard's Load now, `switchyard load` and the cold start ask alike).
 */
export function notLoadable(deployment: DeploymentConfig, provider: Pick<ProviderConfig, 'kind'> | undefined): string | undefined {
  if (provider?.kind === 'ollama') return undefined;
  return `${deployment.name} is not on an Ollama: only an Ollama's models are loaded ahead of their requests (a cloud model needs no loading)`;
}

export interface WarmUpDeps {
  catalog: () => Catalog;
  /** Probes the provider now, so its list of models in memory is fresh. */
  probe(provider: string): Promise<void>;
  now: () => number;
  warn(message: string): void;
}

export function createWarmUp(deps: WarmUpDeps): (deployment: DeploymentConfig) => void {
  const loading = new Set<string>();
  const failedAt = new Map<string, number>();
  return (deployment) => {
    const key = `${deployment.provider}\u0000${deployment.model}`;
    if (loading.has(key) || deps.now() - (failedAt.get(key) ?? -Infinity) < AFTER_FAILURE_MS) return;
    const adapter = deps.catalog().providers.get(deployment.provider);
    if (!adapter?.load || adapter.unavailableReason || notLoadable(deployment, adapter.config)) return;
    loading.add(key);
    failedAt.delete(key);
    adapter
      .load(deployment, AbortSignal.timeout(LOAD_TIMEOUT_MS))
      .then(() => deps.probe(deployment.provider))
      .catch((error: unknown) => {
        failedAt.set(key, deps.now());
        deps.warn(`${deployment.provider} did not load ${deployment.model} in the background (${deployment.name}'s cold start): ${(error as Error).message}`);
      })
      .finally(() => loading.delete(key));
  };
}
