/**
 * Every deployment's circuit breaker, in the one place that /health, the admin API and the desktop
 * notifications read. Breakers are keyed by deployment name and survive config changes, so a
 * config edit does not forget that a deployment is down, unless the edit points the deployment at
 * another model or server: what failed was the old one, and the edit is usually the fix. A renamed
 * deployment (config/renames.ts) keeps its breaker under its new name.
 */
import type { BreakerConfig, Config, DeploymentConfig } from '../config/schema';
import { reachOf } from '../config/renames';
import { CircuitBreaker, DEFAULT_BREAKER, type BlockCause, type BreakerSettings, type BreakerSnapshot, type Transition } from './circuit-breaker';

export interface BreakerBoard {
  /** The deployment's breaker, configured from the current config. */
  get(name: string): CircuitBreaker;
  /** Applies a config's breaker settings (deployment's own, else its first route's, else defaults); `renamed`: old name to new. */
  configure(config: Config, renamed?: ReadonlyMap<string, string>): void;
  snapshot(name: string): BreakerSnapshot;
  /** Closes the breaker by hand; false when no deployment has that name. */
  reset(name: string): boolean;
  /** Lifts a deployment's block of this cause, if it has one. */
  unblock(name: string, cause: BlockCause, reason: string): void;
  onTransition(listener: (transition: Transition) => void): () => void;
}

export function createBreakerBoard(now: () => number): BreakerBoard {
  const breakers = new Map<string, CircuitBreaker>();
  const settings = new Map<string, BreakerSettings>();
  /** The model and server each deployment reached under the last config. */
  const reaches = new Map<string, string>();
  const listeners = new Set<(transition: Transition) => void>();
  const record = (transition: Transition) => {
    for (const listener of listeners) listener(transition);
  };
  const get = (name: string) => {
    let breaker = breakers.get(name);
    if (!breaker) {
      breaker = new CircuitBreaker(name, settings.get(name) ?? DEFAULT_BREAKER, now, record);
      breakers.set(name, breaker);
    }
    return breaker;
  };
  return {
    get,
    configure(config, renamed = new Map()) {
      for (const [from, to] of renamed) {
        const breaker = breakers.get(from);
        if (breaker) breakers.set(to, breaker.renamed(to));
        if (reaches.has(from)) reaches.set(to, reaches.get(from) as string);
      }
      settings.clear();
      for (const deployment of config.deployments) {
        const resolved = breakerSettings(deployment, config);
        settings.set(deployment.name, resolved);
        const breaker = breakers.get(deployment.name);
        breaker?.configure(resolved);
        const target = reachOf(deployment, config);
        const moved = reaches.has(deployment.name) && reaches.get(deployment.name) !== target;
        reaches.set(deployment.name, target);
        // A config change is how a refused key or a wrong model gets fixed: blocks are lifted by it.
        if (breaker && moved) breaker.reset(now(), 'its model or server was changed');
        else if (breaker?.isBlocked) breaker.reset(now(), 'lifted by a config change');
      }
      for (const name of [...breakers.keys()]) if (!settings.has(name)) breakers.delete(name);
      for (const name of [...reaches.keys()]) if (!settings.has(name)) reaches.delete(name);
    },
    snapshot: (name) => get(name).snapshot(now()),
    reset(name) {
      if (!settings.has(name)) return false;
      get(name).reset(now());
      return true;
    },
    unblock(name, cause, reason) {
      breakers.get(name)?.unblock(cause, now(), reason);
    },
    onTransition(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function breakerSettings(deployment: DeploymentConfig, config: Config): BreakerSettings {
  const fromRoute: BreakerConfig | undefined = config.routes.find((r) => r.breaker && r.deployments.includes(deployment.name))?.breaker;
  const chosen = { ...fromRoute, ...deployment.breaker };
  return {
    failures: chosen.failures ?? DEFAULT_BREAKER.failures,
    cooldownMs: chosen.cooldownMs ?? DEFAULT_BREAKER.cooldownMs,
    maxCooldownMs: Math.max(chosen.maxCooldownMs ?? DEFAULT_BREAKER.maxCooldownMs, chosen.cooldownMs ?? DEFAULT_BREAKER.cooldownMs),
    failureRate: chosen.failureRate,
    probeBudgetMs: chosen.probeBudgetMs ?? DEFAULT_BREAKER.probeBudgetMs,
    blockMs: chosen.blockMs ?? DEFAULT_BREAKER.blockMs,
  };
}

