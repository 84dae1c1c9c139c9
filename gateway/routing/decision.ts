/**
 * A request's routing decision, kept with its usage row and summarised in a header: how the route
 * was chosen (alias, rule, strategy) and every deployment in the order considered, with why it was
 * skipped or how its attempt ended.
 */
import type { Strategy } from '../config/schema';
import type { FailureClass } from '../errors';
import type { SkipReason } from './plan';

export interface DecisionStep {
  deployment: string;
  outcome: 'skipped' | 'ok' | 'failed';
  /** A skip's reason, or a failed attempt's failure class. */
  reason?: string | undefined;
  status?: number | undefined;
  /** An attempt's time to its answer (a stream's: to its first event). */
  ms?: number | undefined;
  /** The skip or failure in words. */
  message?: string | undefined;
}

export interface Decision {
  route: string;
  /** The alias the client's model name matched. */
  alias?: string | undefined;
  /** The rule that sent the request here from the route it named. */
  rule?: string | undefined;
  strategy: Strategy;
  /** The client named a deployment, not a route. */
  direct?: boolean | undefined;
  /** Answered from the response cache: no deployment was asked. */
  cached?: boolean | undefined;
  /** The deployment tried first because it answered the request's session last. */
  sticky?: string | undefined;
  /** Paid deployments tried last: their budget would be spent if the requests in flight cost what they hold. */
  deferred?: string[] | undefined;
  /** Deployments tried after the others while their model was not in memory (it was being loaded meanwhile). */
  cold?: string[] | undefined;
  /** Deployments tried after the others as they read the input cut to their window (the client let it be cut). */
  cut?: string[] | undefined;
  steps: DecisionStep[];
}

/**
 * Skips the route's settings make (a deployment switched off, "local only", outside its hours, over
 * its budget) or the request's needs (a prompt too long for it, content it cannot take): the route
 * working as set up, not falling back.
 */
const PLANNED_SKIPS: ReadonlySet<string | undefined> = new Set<SkipReason>(['disabled', 'local_only', 'time_window', 'over_budget', 'context_too_small', 'capability_missing']);

/**
 * Whether the answer came from another deployment than the first the route would have used,
 * because that one was in trouble: it failed, or was skipped as down (its breaker open), rate
 * limited, busy, or unable to work (its key, model, access or credit missing). A retry the same
 * deployment answered is not a fallback; nor is an order a strategy, a sticky session or a loading
 * model chose.
 */
export function fellBack(decision: Decision): boolean {
  const answered = decision.steps.at(-1);
  if (answered?.outcome !== 'ok') return false;
  const first = decision.steps.find((s) => s.outcome !== 'skipped' || !PLANNED_SKIPS.has(s.reason));
  return first !== undefined && first.deployment !== answered.deployment;
}

const code = (reason: string | undefined) => (reason ?? 'failed').replaceAll('_', '-');

/** `gpt-mini:skip(model-missing) llama-local:ok`, for the `x-switchyard-route` header. */
export function routeHeader(decision: Decision): string {
  if (decision.cached) return `${decision.route}:cache(hit)`;
  return decision.steps
    .map((s) => `${s.deployment}:${s.outcome === 'ok' ? 'ok' : s.outcome === 'skipped' ? `skip(${code(s.reason)})` : `fail(${code(s.reason as FailureClass)})`}`)
    .join(' ');
}
