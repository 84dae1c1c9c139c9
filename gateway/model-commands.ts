/**
 * The local models of the data dir's config, from a terminal: `switchyard load DEPLOYMENT` puts an
 * Ollama deployment's model in memory now, with the options and keep-alive its requests carry (as the
 * dashboard's Load now does; for a login script or a cron job before the day's work), `unload` lets
 * it go (as `ollama stop` does, before a game or another model needs the memory), and `pull`
 * downloads it to its Ollama (as `ollama pull` does, to the Ollama the config names, which may be
 * another machine's; for an installed model, its newer version if there is one). Each calls the Ollama itself, so it works with or without a gateway running (a
 * running one sees the change at its next probe).
 */
import type { Output } from './cli-output';
import type { DeploymentConfig, ProviderConfig } from './config/schema';
import { referencesOf } from './config/key-binding';
import { envSecrets } from './config/secrets';
import { notLoadable } from './health/warm-up';
import { listsModel } from './models/listed';
import { pullOutcome } from './models/pulls';
import type { PullProgress } from './providers/types';
import { closeAdapters, createProviderSet, upstreamContext } from './providers/registry';
import { createConfigStore } from './store/config-store';
import { openDatabase } from './store/db';

/** As long as a large model on a slow disk may take; a pull has its own transport's limits instead. */
const LOAD_TIMEOUT_MS = 5 * 60_000;
/** The model list asked before and after a pull, as the gateway's probes ask it. */
const PROBE_MS = 5_000;

type Action = 'load' | 'unload' | 'pull';

/** Why the action does not apply to a deployment, or undefined when it does. */
function refusal(action: Action, deployment: DeploymentConfig, provider: ProviderConfig | undefined): string | undefined {
  if (action !== 'pull') return notLoadable(deployment, provider);
  return provider?.kind === 'ollama' ? undefined : `${deployment.name} is not on an Ollama: only an Ollama pulls models (a cloud provider has its models already)`;
}

export async function modelCommand(action: Action, name: string | undefined, dataDir: string, io: Output, env: Record<string, string | undefined>, missing = false): Promise<number> {
  const db = openDatabase(dataDir);
  const config = createConfigStore(db).current();
  db.close();
  if (missing) {
    if (action !== 'pull' || name) {
      io.err(action === 'pull' ? 'switchyard pull takes a deployment or --missing, not both\n' : `--missing is for switchyard pull, not ${action}\n`);
      return 2;
    }
    return pullMissing(config?.deployments ?? [], config?.providers ?? [], io, env);
  }
  const providerOf = (d: DeploymentConfig) => config?.providers.find((p) => p.name === d.provider);
  const fit = (config?.deployments ?? []).filter((d) => !refusal(action, d, providerOf(d)));
  const which = 'Ollama deployments';
  const listed = fit.length > 0 ? `the ${which} are: ${fit.map((d) => d.name).join(', ')}` : `this config has no ${which}`;
  const deployment = config?.deployments.find((d) => d.name === name);
  if (!name || !deployment) {
    io.err(`${name ? `No deployment is named "${name}"` : `Name a deployment to ${action}`}; ${listed}\n`);
    return name ? 1 : 2;
  }
  const provider = providerOf(deployment);
  const refused = refusal(action, deployment, provider);
  if (refused) {
    io.err(`${refused}. ${fit.length > 0 ? `These are: ${fit.map((d) => d.name).join(', ')}` : `This config has no ${which}`}\n`);
    return 1;
  }
  const { adapters } = createProviderSet(provider ? [provider] : [], upstreamContext(envSecrets(env), env));
  const adapter = adapters.get(deployment.provider);
  try {
    if (!adapter?.[action] || adapter.unavailableReason) {
      io.err(`${unusable(provider, adapter?.unavailableReason ?? `it does not ${action} models`)}\n`);
      return 1;
    }
    const started = performance.now();
    const where = `${deployment.provider} (${provider?.baseUrl})`;
    const took = () => `in ${((performance.now() - started) / 1000).toFixed(1)} s`;
    if (action === 'pull') {
      // The model's manifest digest before and after: an installed model's pull says whether it brought a newer version.
      const digest = async () => {
        const result = await adapter.probe(AbortSignal.timeout(PROBE_MS)).catch(() => undefined);
        return result ? (result.digests?.get(deployment.model) ?? null) : undefined;
      };
      const before = await digest();
      await adapter.pull?.(deployment.model, AbortSignal.timeout(24 * 3_600_000), progressPrinter(io));
      const outcome = pullOutcome(before, await digest());
      if (outcome === 'up to date') io.out(`${deployment.model} on ${where} is up to date: there was nothing newer to pull (${took()})\n`);
      else if (outcome === 'updated') io.out(`Updated ${deployment.model} on ${where} to its newer version ${took()}\n`);
      else io.out(`Pulled ${deployment.model} to ${where} ${took()}\n`);
    } else if (action === 'unload') {
      await adapter.unload?.(deployment, AbortSignal.timeout(LOAD_TIMEOUT_MS));
      io.out(`Unloaded ${deployment.model} from ${where} ${took()}: it leaves memory once the requests running on it finish\n`);
    } else {
      await adapter.load?.(deployment, AbortSignal.timeout(LOAD_TIMEOUT_MS));
      io.out(`Loaded ${deployment.model} on ${where} ${took()}${deployment.keepAlive === undefined ? '' : `, kept for ${deployment.keepAlive}`}\n`);
    }
    return 0;
  } catch (error) {
    io.err(`${deployment.provider} did not ${action} ${deployment.model}: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await closeAdapters([...adapters.values()]);
  }
}

/**
 * Why the command cannot call a provider. A key the desktop app keeps (`secret:NAME`) is out of a
 * shell's reach, not "not set": said so, with what to do instead.
 */
function unusable(provider: ProviderConfig | undefined, reason: string): string {
  const kept = provider ? referencesOf(provider).find((r) => r.reference.startsWith('secret:')) : undefined;
  if (!provider || !kept) return `Provider ${provider?.name ?? 'of the deployment'} cannot be used: ${reason}`;
  return `Provider ${provider.name} cannot be used from a shell: its key ${kept.reference} is kept by the desktop app, which only the app can read. Use the app (the Overview's Load now and Pull do this), or name the key by an environment variable this shell sets (env:NAME)`;
}

/**
 * A pull's progress as lines a log or a pipe can keep: each step once (`pulling manifest`, a layer,
 * `verifying sha256 digest`), and a layer's download at each tenth, not at every one of Ollama's
 * sixteen updates a second.
 */
function progressPrinter(io: Output): (step: PullProgress) => void {
  let last = '';
  let tenth = -1;
  return (step) => {
    if (step.status === 'success') return;
    const downloading = step.total !== undefined && step.total > 0 && step.completed !== undefined;
    if (step.status !== last) {
      last = step.status;
      tenth = -1;
      if (!downloading) io.out(`${step.status}\n`);
    }
    if (!downloading) return;
    const now = Math.floor((10 * step.completed!) / step.total!);
    if (now === tenth) return;
    tenth = now;
    io.out(`${step.status}: ${now * 10}% of ${(step.total! / 1e9).toFixed(1)} GB\n`);
  };
}

/**
 * `switchyard pull --missing`: every model the config's Ollama deployments name that their Ollama
 * does not have, one after another (a new machine, or a config from elsewhere, made ready in one
 * command). Exits 1 when a pull failed or an Ollama could not be asked, after trying the rest.
 */
async function pullMissing(deployments: DeploymentConfig[], providers: ProviderConfig[], io: Output, env: Record<string, string | undefined>): Promise<number> {
  const ollamas = providers.filter((p) => p.kind === 'ollama');
  const { adapters } = createProviderSet(ollamas, upstreamContext(envSecrets(env), env));
  let failed = 0;
  let pulled = 0;
  try {
    for (const provider of ollamas) {
      const adapter = adapters.get(provider.name);
      const wanted = [...new Set(deployments.filter((d) => d.provider === provider.name).map((d) => d.model))];
      if (!adapter?.pull || wanted.length === 0) continue;
      if (adapter.unavailableReason) {
        io.err(`${unusable(provider, adapter.unavailableReason)}\n`);
        failed++;
        continue;
      }
      let installed: readonly string[];
      try {
        installed = (await adapter.probe(AbortSignal.timeout(10_000))).models ?? [];
      } catch (error) {
        io.err(`${provider.name} (${provider.baseUrl}) did not answer: ${(error as Error).message}\n`);
        failed++;
        continue;
      }
      // As the health report says a model is there (Ollama lists `name:latest` for `name`).
      for (const model of wanted.filter((m) => !listsModel(installed, m))) {
        io.out(`${model} to ${provider.name}:\n`);
        try {
          await adapter.pull(model, AbortSignal.timeout(24 * 3_600_000), progressPrinter(io));
          pulled++;
        } catch (error) {
          io.err(`${provider.name} did not pull ${model}: ${(error as Error).message}\n`);
          failed++;
        }
      }
    }
  } finally {
    await closeAdapters([...adapters.values()]);
  }
  io.out(pulled + failed === 0 ? "Every Ollama deployment's model is installed\n" : `Pulled ${pulled} model${pulled === 1 ? '' : 's'}${failed ? `; ${failed} failed` : ''}\n`);
  return failed > 0 ? 1 : 0;
}
