/**
 * The context window a tool should plan for when it asks for a model (a route, or one deployment):
 * the largest any deployment it may reach can take, so the tool compacts its history before no
 * deployment could answer it. Codex must be told (`model_context_window`): a model it has no
 * metadata for gets no window, so it never compacts, and a long session ends in refusals; so must
 * opencode (each model's `limit`), Claude Code, Goose and Crush.
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

/** A deployment as a running gateway's `/health` reports what it learned of it. */
export interface ReportedWindow {
  name: string;
  contextWindow: number | null;
  raiseTo: number | null;
}

/**
 * From a running gateway's health report (the CLI, while one serves the data dir): what it learned
 * of each deployment, an Ollama's `num_ctx` from its own answer above all, which neither the config
 * nor the table says; the config's and the table's for a deployment it does not report.
 */
export function reportedWindow(config: Pick<Config, 'providers'>, reported: readonly ReportedWindow[]): WindowOf {
  const configured = configuredWindow(config);
  const byName = new Map(reported.map((d) => [d.name, d]));
  return (deployment) => {
    const seen = byName.get(deployment.name);
    if (!seen) return configured(deployment);
    if (seen.raiseTo !== null) return seen.raiseTo;
    // Raised per request to a trained context not known yet (the report has no infinite raise): nothing is said rather than a guess, as on the dashboard.
    if (raiseLimitOf(deployment) !== undefined) return undefined;
    return seen.contextWindow ?? configured(deployment);
  };
}

/** From a running gateway's facts: an Ollama whose window is raised per request can take its trained context. */
export function probedWindow(facts: Pick<DeploymentFacts, 'window' | 'raiseTo'>): number | undefined {
  if (facts.raiseTo !== undefined) return Number.isFinite(facts.raiseTo) ? facts.raiseTo : undefined;
  return facts.window;
}

function modelContextWindow(config: Pick<Config, 'providers' | 'deployments' | 'routes'> | undefined, model: string, windowOf?: WindowOf): number | undefined {
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

/** Each model a tool may offer, with the window it should plan for where one is known. */
export function modelWindows(config: Pick<Config, 'providers' | 'deployments' | 'routes'> | undefined, models: readonly string[], windowOf?: WindowOf): Map<string, number> {
  const windows = new Map<string, number>();
  for (const model of models) {
    const window = modelContextWindow(config, model, windowOf);
    if (window !== undefined) windows.set(model, window);
  }
  return windows;
}

/**
 * The room a tool should keep for an answer beside its history in a window (opencode's
 * `limit.output`, which it also sends as the answer's limit): a quarter of the window, at most the
 * 32,000 tokens opencode asks at most. All of a model's own limit would leave a local window no
 * room for history: opencode would compact at every turn.
 */
export function answerRoom(window: number): number {
  return Math.min(32_000, Math.floor(window / 4));
}
