/**
 * The router: a model name in, an answer from the first deployment that gives one out. It knows no
 * wire format: a surface hands it a request (the model named, the kind of work, its API), how to
 * call one deployment, and how its answers are cached; the router plans against the current
 * catalog, serves from the cache or runs the fallback loop, and reports every attempt.
 */
import type { CancelSignal } from '../cancel';
import type { RouteConfig } from '../config/schema';
import { UpstreamError } from '../errors';
import type { ResponseCache } from '../store/response-cache';
import type { BreakerBoard } from './breaker-board';
import { cacheDecision } from './cache-policy';
import type { Catalog } from './catalog';
import { execute, ExecutionError, type Attempt, type AttemptFn, type Discard, type Execution, type Track } from './execute';
import { plan, type ModelType, type Plan } from './plan';
import { sessionKey } from './sessions';
import { UNKNOWN_STATE, type RoutingState } from './state';
import type { RequestTraits } from './traits';

export interface RouteRequest {
  /** What the client sent as `model`: a route or a deployment name. */
  model: string;
  type: ModelType;
  /** The front door's API (`openai.chat`, `ollama.generate`, ...): answers are cached per API. */
  api: string;
  /** `x-switchyard-prefer`: a deployment of the route to try first. */
  prefer?: string | undefined;
  /** Aborted when the client disconnects. */
  signal: CancelSignal;
  /** The client's Cache-Control header. */
  cacheControl?: string | undefined;
  /** Deployments to treat as failed for this request only, without calling them (the playground's rehearsal). */
  simulateFailures?: ReadonlySet<string> | undefined;
  /** What the request asks for (size, tools, images, reasoning), for filters and rules. */
  traits?: RequestTraits | undefined;
  /** The name of the request's client key, for rules and budgets. */
  clientKey?: string | undefined;
  /** The tool that sent it, as its headers name it, for rules and budgets. */
  tool?: string | undefined;
  /** The conversation the request belongs to, as its client names it, for routes that keep sessions. */
  session?: string | undefined;
  /**
   * The gateways the request already passed through (`x-switchyard-via` as it came), for the
   * surface to send on with each attempt; the router does not read it.
   */
  via?: string | undefined;
}

/** How a surface's answers go in and out of the response cache. */
export interface Caching<T> {
  /** The request's fields that change the answer (the surface leaves out `stream`, `user` and the like); asked only when the request may be cached. */
  key: () => Record<string, unknown>;
  /** Whether the answer is meant to be repeatable (chat at temperature 0, embeddings): cached by default. */
  repeatable: boolean;
  /** An answer from a cached payload. */
  restore(payload: unknown): T;
  /** Passes a fresh answer on; calls `store` with its payload once it is complete (a stream: once it ended cleanly). */
  keep(value: T, store: (payload: unknown) => void): T;
}

export interface RunOptions<T> {
  cache?: Caching<T> | undefined;
  /** For answers that outlive the attempt (streams): see `streaming` in streams.ts. */
  track?: Track<T> | undefined;
  /** How to drop an answer nobody will read (a hedged probe's late success). */
  discard?: Discard<T> | undefined;
}

export interface Router {
  run<T>(request: RouteRequest, attempt: AttemptFn<T>, options?: RunOptions<T>): Promise<Execution<T>>;
}

export interface RouterDeps {
  catalog: () => Catalog;
  /** Live facts the plan reads (model lists, windows, latency, budgets); unknown when absent. */
  state?: RoutingState;
  breakers: BreakerBoard;
  cache?: ResponseCache;
  /** The desktop app's "local only" switch: no routing to non-local providers while on. */
  localOnly?: () => boolean;
  now?: () => number;
  random?: () => number;
  onAttempts?: (attempts: readonly Attempt[]) => void;
}

export function createRouter(deps: RouterDeps): Router {
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;

  return {
    async run<T>(request: RouteRequest, attempt: AttemptFn<T>, options: RunOptions<T> = {}): Promise<Execution<T>> {
      const catalog = deps.catalog();
      const planned = plan(catalog, deps.state ?? UNKNOWN_STATE, {
        model: request.model,
        type: request.type,
        prefer: request.prefer,
        now: now(),
        localOnly: deps.localOnly?.() ?? false,
        traits: request.traits,
        clientKey: request.clientKey,
        tool: request.tool,
        session: request.session,
        random,
      });
      const simulated = request.simulateFailures?.size ? request.simulateFailures : undefined;
      // Passed over while their models load: loaded now, for the requests after this one.
      if (!simulated) for (const name of planned.cold ?? []) {
        const deployment = catalog.deployments.get(name);
        if (deployment) deps.state?.warm?.(deployment);
      }
      const caching = deps.cache && !simulated ? options.cache : undefined;
      const decision = caching ? cacheDecision(request, caching.key, caching.repeatable, planned.route, () => whatRouteRuns(catalog, deps.state ?? UNKNOWN_STATE, planned.route), catalog.config.settings) : undefined;
      if (caching && decision?.lookup && decision.key) {
        const hit = deps.cache?.get(decision.key);
        if (hit && (request.type !== 'embedding' || ofTheModelNow(hit.deployment, planned, catalog, deps.breakers, now()))) {
          const deployment = catalog.deployments.get(hit.deployment) ?? { name: hit.deployment, provider: hit.provider, model: '' };
          const decision = { route: planned.route.name, ...(planned.direct ? { direct: true } : {}), alias: planned.alias, rule: planned.rule, strategy: planned.strategy, cached: true, steps: [] };
          return { value: caching.restore(hit.payload), deployment, attempts: [], skipped: [], decision, budgets: planned.budget?.applied, cache: 'hit' };
        }
      }
      // A rehearsal's simulated failures are never sent and say nothing about the deployments' health.
      const attemptOrSimulate: AttemptFn<T> = simulated
        ? (provider, deployment, signal) =>
            simulated.has(deployment.name) ? Promise.reject(new UpstreamError('upstream_5xx', 'simulated failure (playground): not sent upstream')) : attempt(provider, deployment, signal)
        : attempt;
      const tell = simulated ? undefined : deps.onAttempts;
      const report = reportWhenEnded(tell, options.track);
      let execution: Execution<T>;
      try {
        execution = await execute({ catalog, plan: planned, breakers: simulated ? undefined : deps.breakers, clientSignal: request.signal, now, random, promptTokens: request.traits?.promptTokens }, attemptOrSimulate, report.track, options.discard);
        report.ran(execution.attempts);
        if (!simulated) {
          deps.state?.ran?.(execution.deployment);
          // Kept whether or not the route keeps sessions now: switched on again, it starts from where each session is.
          // An answer from elsewhere while a model loaded is a stopgap: the session comes back to that model once it is in memory.
          const stopgap = planned.cold !== undefined && !planned.cold.includes(execution.deployment.name);
          if (request.session && !stopgap) deps.state?.sessions?.answered(sessionKey(planned.route, request.session, request.clientKey), execution.deployment.name);
        }
      } catch (error) {
        if (error instanceof ExecutionError) tell?.(error.attempts);
        throw error;
      }
      const cache = deps.cache;
      if (!caching || !cache || !decision?.store || !decision.key) return withCache(execution, execution.value, 'bypass');
      const key = decision.key;
      const store = (payload: unknown) =>
        cache.put(key, { deployment: execution.deployment.name, provider: execution.deployment.provider, kind: request.api, payload }, decision.ttlMs, decision.maxBytes);
      return withCache(execution, caching.keep(execution.value, store), decision.lookup ? 'miss' : 'bypass');
    },
  };
}

/**
 * The execution with its answer and what the cache did, as a literal: on Node 20 `{ ...execution,
 * cache }` costs about a microsecond and gives every request's execution a hidden class of its own.
 * Every field is named (a new one fails to compile until it is passed on).
 */
function withCache<T>(execution: Execution<T>, value: T, cache: Execution<T>['cache']): Execution<T> {
  const { deployment, attempts, skipped, decision, budgets } = execution;
  return { value, deployment, attempts, skipped, decision, budgets, cache } satisfies Record<keyof Execution<T>, unknown>;
}

/**
 * Tells `tell` a run's attempts once its answer has ended: a whole answer's as the run returns, a
 * stream's when it ends (one that failed after its first byte failed after all).
 */
function reportWhenEnded<T>(tell: ((attempts: readonly Attempt[]) => void) | undefined, track: Track<T> | undefined): { track: Track<T> | undefined; ran(attempts: Attempt[]): void } {
  if (!tell || !track) return { track, ran: (attempts) => tell?.(attempts) };
  let ran: Attempt[] | undefined;
  let ended = false;
  return {
    track: (value, settle) =>
      track(value, (error) => {
        settle(error);
        ended = true;
        if (ran) tell(ran);
      }),
    ran(attempts) {
      ran = attempts;
      if (ended) tell(attempts);
    },
  };
}

/**
 * Whether a cached embedding is of the model that would be asked now (the first deployment neither
 * passed over nor kept out by its breaker), or of none that can be: vectors of two models compare as
 * nonsense, so those another model made while the route's first was down are served while it stays
 * down, not once it may answer again (its answer then takes their place).
 */
function ofTheModelNow(cachedBy: string, planned: Plan, catalog: Catalog, breakers: BreakerBoard, now: number): boolean {
  const asked = planned.candidates.find((candidate) => !candidate.skip && !breakers.get(candidate.deployment.name).check(now))?.deployment;
  return asked === undefined || catalog.deployments.get(cachedBy)?.model === asked.model;
}

/**
 * What a route runs, for its answers' cache key: its deployments as configured, and the version of
 * each one's model where its server says it (an Ollama's digest). A model pulled again in a newer
 * version, or made again by `ollama create` with another system prompt, answers anew; an embedding
 * model's new vectors are not mixed with the old version's.
 */
function whatRouteRuns(catalog: Catalog, state: RoutingState, route: RouteConfig): string {
  const versions = route.deployments.map((name) => {
    const deployment = catalog.deployments.get(name);
    return (deployment && state.facts(deployment).version) ?? '';
  });
  return versions.some(Boolean) ? `${catalog.fingerprintOf(route)}:${versions.join(',')}` : catalog.fingerprintOf(route);
}
