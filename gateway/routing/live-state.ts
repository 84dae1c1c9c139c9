/**
 * The router's live state, put together from the parts that keep each piece: the health monitor
 * (installed models, what Ollama says about each), live traffic (latency), budgets. A deployment's
 * facts are worked out once and kept until what they come from changes.
 */
import type { DeploymentConfig } from '../config/schema';
import { contextWindowOf, knownCapabilities, longWindowOf, maxOutputOf, OLLAMA_DEFAULT_NUM_CTX, raiseLimitOf, type OllamaShowFacts } from '../models/facts';
import { modelMeant } from '../models/listed';
import type { ListedLimits } from '../providers/types';
import type { Catalog } from './catalog';
import { createSessionMemory, type SessionMemory } from './sessions';
import type { BudgetedRequest, BudgetVerdict, DeploymentFacts, RoutingState } from './state';

export interface LiveSources {
  catalog: () => Catalog;
  /** The models an Ollama provider has installed, from a fresh probe. */
  installed(provider: string): ReadonlySet<string> | undefined;
  /** A deployed model is missing from that list: the provider is asked again (it may have been pulled since). */
  recheck?(provider: string): void;
  modelFacts(provider: string, model: string): OllamaShowFacts | undefined;
  /** The models an Ollama provider passes to Ollama's cloud. */
  remote?(provider: string): ReadonlySet<string> | undefined;
  /** A model's context window and answer limit as another server's models list says them. */
  listed?(provider: string, model: string): ListedLimits | undefined;
  /** The models an Ollama provider has in memory, from a fresh probe, and when it asked. */
  loaded?(provider: string): { at: number; models: ReadonlySet<string> } | undefined;
  /** Loads a deployment's model in the background. */
  warm?(deployment: DeploymentConfig): void;
  latencyMs(deployment: string): number | undefined;
  budgets?(request: BudgetedRequest): BudgetVerdict | undefined;
  /** The gateway's clock (tests move it). */
  now?: () => number;
}

/** Ollama's default keep_alive: how long a model it answered with stays loaded. */
const LOADED_FOR_MS = 5 * 60_000;

interface Known {
  ollama: boolean;
  upstream: OllamaShowFacts | undefined;
  loaded: number | undefined;
  /** Another server's: what its models list says of the model. */
  listed: ListedLimits | undefined;
  facts: DeploymentFacts;
}

export function createRoutingState(sources: LiveSources): RoutingState & { sessions: SessionMemory } {
  const now = sources.now ?? Date.now;
  // Deployment configs are replaced whole by a config change, so they key the memo safely.
  const memo = new WeakMap<DeploymentConfig, Known>();
  const work = (deployment: DeploymentConfig, ollama: boolean, upstream: OllamaShowFacts | undefined, listed?: ListedLimits): Known => {
    const kind = ollama ? 'ollama' : (sources.catalog().providers.get(deployment.provider)?.config.kind ?? 'openai');
    const raiseTo = ollama ? raiseLimitOf(deployment, upstream) : undefined;
    // With numCtx "auto" the window a request gets by default is Ollama's own default.
    const window = contextWindowOf(deployment, kind, upstream, listed?.window) ?? (deployment.numCtx === 'auto' && ollama ? OLLAMA_DEFAULT_NUM_CTX : undefined);
    const known = { ollama, upstream, loaded: upstream?.loadedContext, listed, facts: { window, raiseTo, capabilities: knownCapabilities(deployment, upstream), maxOutput: maxOutputOf(deployment, listed?.maxOutput), loaded: upstream?.loadedContext, version: upstream?.digest, longWindow: longWindowOf(deployment, kind) } };
    memo.set(deployment, known);
    return known;
  };
  const knownOf = (deployment: DeploymentConfig): Known => {
    const known = memo.get(deployment);
    const ollama = known?.ollama ?? sources.catalog().providers.get(deployment.provider)?.config.kind === 'ollama';
    if (!ollama) {
      // What the server's list says may change with each probe (the same object until then).
      const listed = sources.listed?.(deployment.provider, deployment.model);
      return known && known.listed === listed ? known : work(deployment, false, undefined, listed);
    }
    // What Ollama says may change with each probe.
    const upstream = sources.modelFacts(deployment.provider, deployment.model);
    return known && known.upstream === upstream && known.loaded === upstream?.loadedContext ? known : work(deployment, true, upstream);
  };
  // The window each Ollama model was last answered with here: newer than the health probe's /api/ps
  // until the model would have been unloaded (Ollama's default keep_alive).
  const ranWith = new Map<string, { numCtx: number; at: number }>();
  // When each Ollama model last answered here: in memory since, whatever the last probe saw.
  const answeredAt = new Map<string, number>();
  const modelKey = (deployment: DeploymentConfig) => `${deployment.provider}\u0000${deployment.model}`;
  return {
    ran(deployment) {
      if (sources.catalog().providers.get(deployment.provider)?.config.kind !== 'ollama') return;
      answeredAt.set(modelKey(deployment), now());
      const numCtx = deployment.options?.num_ctx;
      // Sent without one, the model runs with its own default, which the probe knows best.
      if (typeof numCtx === 'number') ranWith.set(modelKey(deployment), { numCtx, at: now() });
      else ranWith.delete(modelKey(deployment));
    },
    modelListed(deployment) {
      if (!knownOf(deployment).ollama) return undefined;
      const installed = sources.installed(deployment.provider);
      if (!installed) return undefined;
      const listed = installed.has(deployment.model);
      if (!listed) sources.recheck?.(deployment.provider);
      return listed;
    },
    modelMeant(deployment) {
      const installed = sources.installed(deployment.provider);
      return installed ? modelMeant(installed, deployment.model) : undefined;
    },
    facts(deployment) {
      const known = knownOf(deployment);
      if (!known.ollama) return known.facts;
      const ran = ranWith.get(modelKey(deployment));
      return ran && now() - ran.at < LOADED_FOR_MS && ran.numCtx !== known.facts.loaded ? { ...known.facts, loaded: ran.numCtx } : known.facts;
    },
    inMemory(deployment) {
      if (!knownOf(deployment).ollama) return undefined;
      const seen = sources.loaded?.(deployment.provider);
      const answered = answeredAt.get(modelKey(deployment));
      // Whichever is newer says. An answer since the probe means the model is loaded (for a keep-alive
      // after it); a probe since the answer saw what Ollama holds now, which may no longer be this model:
      // Ollama unloads one to make room for another, or when its keep-alive ran out.
      if (answered !== undefined && (seen === undefined || answered >= seen.at) && now() - answered < LOADED_FOR_MS) return true;
      return seen?.models.has(deployment.model);
    },
    warm: (deployment) => sources.warm?.(deployment),
    runsRemotely: (deployment) => sources.remote?.(deployment.provider)?.has(deployment.model) === true,
    latencyMs: (deployment) => sources.latencyMs(deployment),
    budgets: (request) => sources.budgets?.(request),
    sessions: createSessionMemory(now),
  };
}
