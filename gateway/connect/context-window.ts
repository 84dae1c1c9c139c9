/**
 * The context window a tool should plan for when it asks for a model (a route, or one deployment):
 * the largest any deployment it may reach can take, so the tool compacts its history before no
 * deployment could answer it. Codex must be told (`model_context_window`): a model it has no
 * metadata for gets no window, so it never compacts, and a long session ends in refusals.
 */
import type { Config, DeploymentConfig } from '../config/schema';
import { contextWindowOf, raiseLimitOf } from '../models/facts';
import type { DeploymentFacts } from '../routing/state';

/** What one deployment can take; undefined when nothing says (an Ollama not asked yet). */
export type WindowOf = (deployment: DeploymentConfig) => number | undefined;

/** From the config and the bundled table alone (the CLI, with no gateway's probes to ask). */
function configuredWindow(config: Pick<Config, 'providers'>): WindowOf {
  const kinds = new Map(config.providers.map((p) => [p.name, p.kind]));
  return (deployment) => {
    const kind = kinds.get(deployment.provider) ?? 'openai';
    const raise = kind === 'ollama' ? raiseLimitOf(deployment) : undefined;
    return probedWindow({ raiseTo: raise, window: contextWindowOf(deployment, kind) });
  };
}

/** From a running gateway's facts: an Ollama whose window is raised per request can take its trained context. */
export function probedWindow(facts: Pick<DeploymentFacts, 'window' | 'raiseTo'>): number | undefined {
  if (facts.raiseTo !== undefined) return Number.isFinite(facts.raiseTo) ? facts.raiseTo : undefined;
  return facts.window;
}

export function modelContextWindow(config: Pick<Config, 'providers' | 'deployments' | 'routes'> | undefined, model: string, windowOf?: WindowOf): number | undefined {
  if (!config) return undefined;
  const of = windowOf ?? configuredWindow(config);
  const names = config.routes.find((r) => r.name === model)?.deployments ?? [model];
  const byName = new Map(config.deployments.map((d) => [d.name, d]));
  let most: number | undefined;
  for (const name of names) {
    const deployment = byName.get(name);
    if (!deployment || deployment.type === 'embedding') continue;
    const window = of(deployment);
    if (window !== undefined && (most === undefined || window > most)) most = window;
  }
  return most;
}
