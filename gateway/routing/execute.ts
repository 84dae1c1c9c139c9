/**
 * The fallback loop: try each planned deployment in order (retrying one as its route allows),
 * move on after failures its route says to move on from, stop at the first success or at a failure
 * that belongs to the client (a 400 from the upstream is the request's fault, not the deployment's).
 * Before each attempt the deployment's circuit breaker and its provider's concurrency cap are asked;
 * a refusal skips the deployment at no cost and sends nothing upstream. Each failure class has its
 * effect on the breaker: a refused key, a missing model or a spent quota blocks the deployment, a
 * prompt too long for it says nothing about its health, a 429 cools it. Every step, skipped or
 * tried, goes into the request's decision.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { asAbortSignal, linkedCancellation, type CancelSignal } from '../cancel';
import type { DeploymentConfig } from '../config/schema';
import { GatewayError, UNFIT, UpstreamError, isGatewayError, isGatewayFault, toUpstreamError } from '../errors';
import { isSlot } from '../providers/concurrency';
import type { ProviderAdapter } from '../providers/types';
import type { BreakerBoard } from './breaker-board';
import type { Catalog } from './catalog';
import { BLOCK_CAUSES, CircuitBreaker, DEFAULT_BREAKER, isPermit, type BlockCause, type Outcome, type Refusal } from './circuit-breaker';
import { failureSays, type Attempt } from './attempt';
import type { Decision, DecisionStep } from './decision';
import { hedged, ProbeStillRunning, type Discard } from './hedge';
import { lazySkip, type Plan, type Skip, type SkipReason } from './plan';
import { movesOn, retryDelay, retryPolicy } from './retry';
import { clientClosed, deadlinePassed, exhausted, passThrough } from './route-errors';
import { describeInstant } from './time-windows';

export interface Execution<T> {
  value: T;
  deployment: DeploymentConfig;
  attempts: Attempt[];
  skipped: Skip[];
  decision: Decision;
  /** The budgets that applied, with what remains of each (USD). */
  budgets?: { name: string; remainingUsd: number }[] | undefined;
  /** Set by the router: answered from the cache, missed it (and may fill it), or passed it by. */
  cache?: 'hit' | 'miss' | 'bypass';
}

export interface ExecuteContext {
  catalog: Catalog;
  plan: Plan;
  /** Absent for rehearsals whose simulated failures must not reach the real breakers. */
  breakers: BreakerBoard | undefined;
  /** Aborted when the client disconnects. */
  clientSignal: CancelSignal;
  now: () => number;
  random: () => number;
  /** The request's prompt in tokens (estimated on first call), held against its budgets while a paid attempt is in flight. */
  promptTokens?: (() => number) | undefined;
}

export type { Attempt, Discard };

/** What each attempt does; it receives the signal that covers the whole request (client + deadline). */
export type AttemptFn<T> = (provider: ProviderAdapter, deployment: DeploymentConfig, signal: CancelSignal) => Promise<T>;

/**
 * For answers that outlive the attempt (streams): wraps the value so `settle` runs when it is
 * finished, with the error that ended it if any. Without it an attempt settles when it returns.
 */
export type Track<T> = (value: T, settle: (error?: unknown) => void) => T;

export class ExecutionError extends GatewayError {
  constructor(
    base: GatewayError,
    readonly attempts: Attempt[],
    readonly skipped: Skip[],
    readonly decision: Decision,
  ) {
    super(base.code, base.message, {
      status: base.status,
      type: base.type,
      param: base.param,
      wireCode: base.wireCode,
      retryAfterSeconds: base.retryAfterSeconds,
      retryable: base.retryable,
      details: base.details,
      cause: base.cause,
    });
  }
}

export async function execute<T>(context: ExecuteContext, attempt: AttemptFn<T>, track?: Track<T>, discard?: Discard<T>): Promise<Execution<T>> {
  const { catalog, plan, clientSignal, now, random, breakers } = context;
  const policy = retryPolicy(plan.route);
  // The deadline covers the whole request, a stream's life included; its timer goes when the work ends.
  const deadline = policy.deadlineMs ? linkedCancellation(clientSignal, policy.deadlineMs, () => new DOMException('the route deadline passed', 'TimeoutError')) : undefined;
  const signal = deadline?.signal ?? clientSignal;
  const attempts: Attempt[] = [];
  const failures: UpstreamError[] = [];
  const skipped: Skip[] = [];
  const steps: DecisionStep[] = [];
  const decision: Decision = { route: plan.route.name, ...(plan.direct ? { direct: true } : {}), alias: plan.alias, rule: plan.rule, strategy: plan.strategy, sticky: plan.sticky, deferred: plan.deferred, cold: plan.cold, cut: plan.cut, steps };
  const skip = (s: Skip) => {
    skipped.push(s);
    steps.push(skipStep(s));
  };
  const fail = (error: GatewayError): never => {
    deadline?.end();
    throw new ExecutionError(error, attempts, skipped, decision);
  };
  const candidates = plan.candidates;
  const lastTried = candidates.findLastIndex((c) => !c.skip);
  let nativeOnly: GatewayError | undefined;

  for (const [index, { deployment, skip: planned }] of candidates.entries()) {
    if (planned) {
      skip(planned);
      continue;
    }
    const provider = catalog.providers.get(deployment.provider) as ProviderAdapter;
    const hasNext = index < lastTried;
    const breaker = breakers?.get(deployment.name) ?? new CircuitBreaker(deployment.name, DEFAULT_BREAKER, now);
    let waitedForCooling = false;
    for (let n = 1; n <= policy.attempts; n++) {
      const permit = breaker.acquire(now(), { waitedForCooling });
      if (!isPermit(permit)) {
        skip(refusalSkip(deployment, permit, now(), catalog));
        break;
      }
      const admission = await provider.limiter.acquire(signal);
      if (!isSlot(admission)) {
        permit.settle('neutral');
        if (clientSignal.aborted) fail(clientClosed());
        // The deadline passed in the queue: the next deployment is not tried with no time left (it would fail, and count).
        if (signal.aborted) fail(deadlinePassed(policy, attempts, `${deployment.name} waited for provider ${deployment.provider} (busy)`));
        skip({
          deployment: deployment.name,
          provider: deployment.provider,
          reason: 'busy',
          message: `${deployment.name}: provider ${deployment.provider} is busy (${admission.refused === 'queue_full' ? 'its queue is full' : 'not admitted within its queue timeout'})`,
          until: now() + Math.max(1000, admission.retryAfterMs),
        });
        break;
      }
      const release = plan.budget?.hold?.(deployment, provider.config, context.promptTokens ?? noPrompt);
      /** `notItsFault`: the route's deadline cut it answering, or left it too little time: that says nothing of its health. */
      const settle = (error?: unknown, notItsFault = false) => {
        release?.();
        admission.release();
        const upstream = error === undefined ? undefined : clientSignal.aborted ? new UpstreamError('client_closed', 'client closed') : toUpstreamError(error, provider.config.name);
        permit.settle(notItsFault ? 'neutral' : breakerOutcome(upstream));
        if (!upstream) return;
        // A 429 cools the deployment: until its Retry-After, or for the configured cooldown when it names none.
        if (upstream.failure === 'rate_limited') breaker.coolUntil(now() + Math.min(upstream.retryAfterMs ?? breaker.rateLimitCooldownMs, policy.retryAfterCapMs));
        if (BLOCK_CAUSES.has(upstream.failure)) breaker.block(upstream.failure as BlockCause, now(), upstream.message);
      };

      const started = now();
      let value: T;
      try {
        value = permit.probe && hasNext ? await hedged(attempt(provider, deployment, signal), breaker.probeBudgetMs, settle, discard) : await attempt(provider, deployment, signal);
      } catch (thrown) {
        // Cut by the route's deadline after other deployments took part of it: not blamed for their time.
        // (One given the whole deadline that hangs before its first byte counts: the next request would wait on it too.)
        const cutShort = signal.aborted && !clientSignal.aborted && attempts.some((a) => a.deployment !== deployment.name);
        if (!(thrown instanceof ProbeStillRunning)) settle(thrown, cutShort);
        // Content only a deployment speaking the front door's own API can take: a later one may.
        if (isGatewayError(thrown) && thrown.code === 'needs_native_api') {
          nativeOnly = thrown;
          skip({ deployment: deployment.name, provider: deployment.provider, reason: 'capability_missing', message: `${deployment.name}: ${thrown.message}`, until: null });
          break;
        }
        if (isGatewayError(thrown)) fail(thrown);
        const error = clientSignal.aborted ? new UpstreamError('client_closed', 'the client closed the connection') : toUpstreamError(thrown, provider.config.name);
        const failed = failedAttempt(deployment, provider, error, now() - started);
        attempts.push(failed);
        steps.push(attemptStep(failed));
        failures.push(error);
        if (error.failure === 'client_closed') fail(clientClosed());
        if (signal.aborted) fail(deadlinePassed(policy, attempts));
        if (!movesOn(policy, error)) fail(passThrough(error));
        // A deployment that cannot work until something changes is not retried.
        if (n === policy.attempts || BLOCK_CAUSES.has(error.failure) || UNFIT.has(error.failure)) break;
        const wait = retryDelay(policy, n, error, random);
        if (wait === undefined) break;
        waitedForCooling = error.retryAfterMs !== undefined;
        try {
          await sleep(wait, undefined, { signal: asAbortSignal(signal) });
        } catch {
          fail(clientSignal.aborted ? clientClosed() : deadlinePassed(policy, attempts));
        }
        continue;
      }
      const attempt_: Attempt = { deployment: deployment.name, provider: provider.config.name, outcome: 'ok', latencyMs: now() - started };
      attempts.push(attempt_);
      const step = attemptStep(attempt_);
      steps.push(step);
      if (track) {
        value = track(value, (error) => {
          // A stream under way that the deadline ended: its first byte came, and its own idle timeout had not judged it stalled.
          const cut = error !== undefined && signal.aborted && !clientSignal.aborted;
          deadline?.end();
          // A stream that failed after its first byte: the attempt that opened it failed after all.
          const failure = error === undefined || clientSignal.aborted ? undefined : toUpstreamError(error, provider.config.name);
          if (failure && failure.failure !== 'client_closed') {
            markFailed(attempt_, failure);
            Object.assign(step, attemptStep(attempt_));
          }
          settle(error, cut);
        });
      } else {
        deadline?.end();
        settle();
      }
      return { value, deployment, attempts, skipped, decision, budgets: plan.budget?.applied };
    }
  }
  // Nothing was tried, and what was passed over could not take the request's content at all: that is the request's to change.
  if (nativeOnly && attempts.length === 0 && skipped.every((s) => s.reason === 'capability_missing')) {
    return fail(new GatewayError('needs_native_api', `${nativeOnly.message}, and no deployment of "${plan.route.name}" does`, { param: nativeOnly.param }));
  }
  return fail(exhausted(context, attempts, failures, skipped));
}

const noPrompt = () => 0;
const BLOCK_SKIPS: Record<BlockCause, SkipReason> = { auth: 'auth_failed', model_missing: 'model_missing', quota: 'quota_exhausted' };

function skipStep(s: Skip): DecisionStep {
  // A time window's message is zoned time, the dearest part of a decision: its instant says enough.
  const message = s.reason === 'time_window' ? (s.until === null ? 'always inside a time window' : `inside a time window until ${new Date(s.until).toISOString()}`) : s.message;
  return { deployment: s.deployment, outcome: 'skipped', reason: s.reason, message };
}

function attemptStep(a: Attempt): DecisionStep {
  return { deployment: a.deployment, outcome: a.outcome, ...(a.failure ? { reason: a.failure } : {}), ...(a.status !== undefined ? { status: a.status } : {}), ms: Math.round(a.latencyMs), ...(a.message ? { message: a.message } : {}) };
}

/** What an attempt says about the deployment's health (see `failureSays`). */
function breakerOutcome(error: UpstreamError | undefined): Outcome {
  if (!error) return 'success';
  // The gateway's own code failed: the deployment said nothing about its health.
  if (isGatewayFault(error)) return 'neutral';
  return failureSays(error.failure);
}

function markFailed(attempt: Attempt, error: UpstreamError): void {
  attempt.outcome = 'failed';
  attempt.failure = error.failure;
  if (error.status !== undefined) attempt.status = error.status;
  attempt.message = error.message;
}

function failedAttempt(deployment: DeploymentConfig, provider: ProviderAdapter, error: UpstreamError, latencyMs: number): Attempt {
  return {
    deployment: deployment.name,
    provider: provider.config.name,
    outcome: 'failed',
    failure: error.failure,
    ...(error.status !== undefined ? { status: error.status } : {}),
    message: error.message,
    latencyMs,
  };
}

function refusalSkip(deployment: DeploymentConfig, refusal: Refusal, now: number, catalog: Catalog): Skip {
  const until = refusal.until as number;
  const at = () => describeInstant(until, catalog.timeZoneOf(deployment), now);
  switch (refusal.reason) {
    case 'cooling':
      return lazySkip(deployment, 'cooling', until, () => `${deployment.name} is rate limited until ${at()}`);
    case 'circuit_open':
      if (refusal.blockedBy) {
        const cause = refusal.blockedBy;
        const why = cause === 'auth' ? 'its key was refused' : cause === 'quota' ? 'its quota is spent' : 'its model is missing';
        return lazySkip(deployment, BLOCK_SKIPS[cause], until, () => `${deployment.name} is blocked until ${at()}: ${why} (a config change or a reset lifts it)`);
      }
      return lazySkip(deployment, 'circuit_open', until, () => `${deployment.name}'s circuit is open until ${at()} after repeated failures`);
    default:
      // The one half-open probe is out; its first-byte timeout bounds how long it can take.
      return lazySkip(deployment, 'probe_in_flight', now + 1000, () => `${deployment.name} is being probed after an outage`);
  }
}
