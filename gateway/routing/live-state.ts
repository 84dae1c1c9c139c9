/**
 * The router's live state, put together from the parts that keep each piece: the health monitor
 * (installed models, what Ollama says about each), live traffic (latency), budgets. A deployment's
 * facts are worked out once and kept until what they come from changes.
 */
import type { DeploymentConfig } from '../config/schema';
import { contextWindowOf, knownCapabilities, OLLAMA_DEFAULT_NUM_CTX, raiseLimitOf, type OllamaShowFacts } from '../models/facts';
import type { Catalog } from './catalog';
import type { BudgetVerdict, DeploymentFacts, RoutingState } from './state';

export interface LiveSources {
  catalog: () => Catalog;
  /** The models an Ollama provider has installed, from a fresh probe. */
  installed(provider: string): ReadonlySet<string> | undefined;
  modelFacts(provider: string, model: string): OllamaShowFacts | undefined;
  latencyMs(deployment: string): number | undefined;
  budgets?(request: { route: string; clientKey: string | undefined }): BudgetVerdict | undefined;
}

export function createRoutingState(sources: LiveSources): RoutingState {
  const memo = new WeakMap<DeploymentConfig, { upstream: OllamaShowFacts | undefined; loaded: number | undefined; facts: DeploymentFacts }>();
  const kindOf = (d: DeploymentConfig) => sources.catalog().providers.get(d.provider)?.config.kind;
  return {
    modelListed(deployment) {
      if (kindOf(deployment) !== 'ollama') return undefined;
      const installed = sources.installed(deployment.provider);
      return installed ? installed.has(deployment.model) : undefined;
    },
    facts(deployment) {
      const kind = kindOf(deployment) ?? 'openai';
      const upstream = kind === 'ollama' ? sources.modelFacts(deployment.provider, deployment.model) : undefined;
      const known = memo.get(deployment);
      if (known && known.upstream === upstream && known.loaded === upstream?.loadedContext) return known.facts;
      const raiseTo = kind === 'ollama' ? raiseLimitOf(deployment, upstream) : undefined;
      // With numCtx "auto" the window a request gets by default is Ollama's own default.
      const window = contextWindowOf(deployment, kind, upstream) ?? (deployment.numCtx === 'auto' && kind === 'ollama' ? OLLAMA_DEFAULT_NUM_CTX : undefined);
      const facts: DeploymentFacts = { window, raiseTo, capabilities: knownCapabilities(deployment, upstream) };
      memo.set(deployment, { upstream, loaded: upstream?.loadedContext, facts });
      return facts;
    },
    latencyMs: (deployment) => sources.latencyMs(deployment),
    budgets: (request) => sources.budgets?.(request),
  };
}
