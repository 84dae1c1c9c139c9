/**
 * `switchyard load DEPLOYMENT`: an Ollama deployment's model put in memory now, with the options and
 * keep-alive its requests carry, as the dashboard's Load now does; for a login script or a cron job
 * before the day's work. `switchyard unload DEPLOYMENT` lets it go (as `ollama stop` does), before a
 * game or another model needs the memory. Each calls the Ollama itself, so it works with or without a
 * gateway running (a running one sees the change at its next probe).
 */
import type { Output } from './cli-output';
import type { DeploymentConfig } from './config/schema';
import { envSecrets } from './config/secrets';
import { notLoadable } from './health/warm-up';
import { closeAdapters, createProviderSet, upstreamContext } from './providers/registry';
import { createConfigStore } from './store/config-store';
import { openDatabase } from './store/db';

/** As long as a large model on a slow disk may take. */
const LOAD_TIMEOUT_MS = 5 * 60_000;

export async function loadCommand(action: 'load' | 'unload', name: string | undefined, dataDir: string, io: Output, env: Record<string, string | undefined>): Promise<number> {
  const db = openDatabase(dataDir);
  const config = createConfigStore(db).current();
  db.close();
  const providerOf = (d: DeploymentConfig) => config?.providers.find((p) => p.name === d.provider);
  const loadable = (config?.deployments ?? []).filter((d) => !notLoadable(d, providerOf(d)));
  const names = loadable.length > 0 ? `: ${loadable.map((d) => d.name).join(', ')}` : ' (this config has none)';
  const deployment = config?.deployments.find((d) => d.name === name);
  if (!name || !deployment) {
    io.err(`${name ? `No deployment is named "${name}"` : `Name a deployment to ${action}`}; the Ollama chat deployments are${names}\n`);
    return name ? 1 : 2;
  }
  const provider = providerOf(deployment);
  const refused = notLoadable(deployment, provider);
  if (refused) {
    io.err(`${refused}. These are${names}\n`);
    return 1;
  }
  const { adapters } = createProviderSet(provider ? [provider] : [], upstreamContext(envSecrets(env), env));
  const adapter = adapters.get(deployment.provider);
  try {
    const call = adapter?.[action]?.bind(adapter);
    if (!call || adapter?.unavailableReason) {
      io.err(`Provider ${deployment.provider} cannot be used: ${adapter?.unavailableReason ?? 'it loads no models'}\n`);
      return 1;
    }
    const started = performance.now();
    await call(deployment, AbortSignal.timeout(LOAD_TIMEOUT_MS));
    const took = `in ${((performance.now() - started) / 1000).toFixed(1)} s`;
    if (action === 'unload') io.out(`Unloaded ${deployment.model} from ${deployment.provider} (${provider?.baseUrl}) ${took}: it leaves memory once the requests running on it finish\n`);
    else io.out(`Loaded ${deployment.model} on ${deployment.provider} (${provider?.baseUrl}) ${took}${deployment.keepAlive === undefined ? '' : `, kept for ${deployment.keepAlive}`}\n`);
    return 0;
  } catch (error) {
    io.err(`${deployment.provider} did not ${action} ${deployment.model}: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await closeAdapters([...adapters.values()]);
  }
}
