/**
 * Models pulled to an Ollama from the dashboard, in the background: a deployment whose model its
 * Ollama does not have gets it without a terminal (`ollama pull` is what the dashboard said to run
 * before). One pull per model at a time, its progress kept for the page to show, cancelled by hand,
 * and the probe after it tells the router the model is there. A finished pull is kept a while, so
 * the page can say how it ended (installed, updated to a newer version, or up to date already: the
 * model's manifest digest before and after); at most a handful are kept at all.
 */
import { Cancellation } from '../cancel';
import type { DeploymentConfig } from '../config/schema';
import type { Catalog } from '../routing/catalog';

/** How long a finished pull stays listed, and how many are kept at most (the oldest finished go first). */
const KEPT_MS = 10 * 60_000;
const MOST = 20;

export interface PullView {
  provider: string;
  model: string;
  state: 'pulling' | 'done' | 'failed' | 'cancelled';
  /** Ollama's latest step: `pulling manifest`, `pulling <digest>`, `verifying sha256 digest`, `success`. */
  status: string;
  /** Bytes of the layer being downloaded, when Ollama says. */
  completed: number | null;
  total: number | null;
  error: string | null;
  startedAt: number;
  endedAt: number | null;
  /** How a finished pull left the model; null while it runs, when it failed, or when the probe after it did not say. */
  outcome: PullOutcome | null;
}

export type PullOutcome = 'installed' | 'updated' | 'up to date';

/** What a pull did, from the model's manifest digest before and after it (null: not installed; undefined: the probe did not answer). */
export function pullOutcome(before: string | null | undefined, after: string | null | undefined): PullOutcome | null {
  if (before === undefined || after === undefined || after === null) return null;
  if (before === null) return 'installed';
  return before === after ? 'up to date' : 'updated';
}

export interface Pulls {
  /** Starts pulling the deployment's model, or returns the pull already under way. */
  start(deployment: DeploymentConfig): PullView;
  /** Stops a pull under way; what it was, or undefined when none was. */
  cancel(provider: string, model: string): PullView | undefined;
  list(): PullView[];
}

export interface PullsDeps {
  catalog: () => Catalog;
  /** Probes the provider now, so its list of installed models is fresh. */
  probe(provider: string): Promise<void>;
  /** The model's manifest digest at the provider's latest probe: null when it lacks the model, undefined when that probe failed. */
  digestOf(provider: string, model: string): string | null | undefined;
  now: () => number;
}

export function createPulls(deps: PullsDeps): Pulls {
  const pulls = new Map<string, { view: PullView; cancel: Cancellation }>();
  const keyOf = (provider: string, model: string) => `${provider}\u0000${model}`;
  const forgetOld = () => {
    const now = deps.now();
    for (const [key, { view }] of pulls) if (view.endedAt !== null && now - view.endedAt > KEPT_MS) pulls.delete(key);
    const ended = [...pulls].filter(([, p]) => p.view.endedAt !== null);
    for (const [key] of ended.slice(0, Math.max(0, pulls.size - MOST))) pulls.delete(key);
  };
  const end = (view: PullView, state: PullView['state'], error: string | null) => {
    view.state = state;
    view.error = error;
    view.endedAt = deps.now();
  };
  return {
    start(deployment) {
      forgetOld();
      const key = keyOf(deployment.provider, deployment.model);
      const running = pulls.get(key);
      if (running?.view.state === 'pulling') return running.view;
      const adapter = deps.catalog().providers.get(deployment.provider);
      if (!adapter?.pull) throw new Error(`${deployment.provider} pulls no models`);
      const pullModel = adapter.pull.bind(adapter);
      const view: PullView = { provider: deployment.provider, model: deployment.model, state: 'pulling', status: 'starting', completed: null, total: null, error: null, startedAt: deps.now(), endedAt: null, outcome: null };
      const cancel = new Cancellation();
      pulls.delete(key);
      pulls.set(key, { view, cancel });
      let before: string | null | undefined;
      // Probed first, so "updated" and "up to date" compare with what the Ollama has now.
      deps
        .probe(deployment.provider)
        .catch(() => undefined)
        .then(() => {
          before = deps.digestOf(deployment.provider, deployment.model);
          return pullModel(deployment.model, cancel, (step) => {
            view.status = step.status;
            view.completed = step.completed ?? null;
            view.total = step.total ?? null;
          });
        })
        .then(
          // Installed: probed before it says so, so the report and the router know it as soon as the page
          // does (a probe's own failure is its report's). Done even if cancelled too late: it is there.
          () => {
            const done = () => {
              view.outcome = pullOutcome(before, deps.digestOf(deployment.provider, deployment.model));
              end(view, 'done', null);
            };
            return deps.probe(deployment.provider).then(done, done);
          },
          (error: unknown) => {
            if (view.state === 'pulling') end(view, 'failed', (error as Error).message);
          },
        );
      return view;
    },
    cancel(provider, model) {
      const pull = pulls.get(keyOf(provider, model));
      if (pull?.view.state !== 'pulling') return undefined;
      end(pull.view, 'cancelled', null);
      pull.cancel.abort();
      return { ...pull.view };
    },
    list() {
      forgetOld();
      return [...pulls.values()].map(({ view }) => ({ ...view }));
    },
  };
}
