/**
 * A route's retry policy with its defaults, and the two decisions made from it after a failed
 * attempt: does this failure move on to another deployment, and how long to wait before retrying
 * the same one.
 */
import type { RouteConfig } from '../config/schema';
import type { FailureClass, UpstreamError } from '../errors';

export interface RetryPolicy {
  attempts: number;
  backoffMs: number;
  maxBackoffMs: number;
  retryAfterCapMs: number;
  deadlineMs: number | undefined;
  fallbackOn: ReadonlySet<FailureClass | number>;
}

/**
 * Failures that are the deployment's, so another deployment may well succeed: everything but a
 * request the upstream found wrong (`upstream_4xx`) and a client that left.
 */
export const DEFAULT_FALLBACK_ON: readonly FailureClass[] = ['connect', 'timeout', 'upstream_5xx', 'rate_limited', 'upstream_protocol', 'auth', 'model_missing', 'quota', 'context_length', 'unsupported'];

// A route config is replaced, never changed, when the config is: its policy is worked out once.
const policies = new WeakMap<RouteConfig, RetryPolicy>();

export function retryPolicy(route: RouteConfig): RetryPolicy {
  let policy = policies.get(route);
  if (!policy) {
    policy = {
      attempts: route.retry?.attempts ?? 1,
      backoffMs: route.retry?.backoffMs ?? 250,
      maxBackoffMs: route.retry?.maxBackoffMs ?? 5_000,
      retryAfterCapMs: route.retry?.retryAfterCapMs ?? 60_000,
      deadlineMs: route.deadlineMs,
      fallbackOn: new Set(route.fallbackOn ?? DEFAULT_FALLBACK_ON),
    };
    policies.set(route, policy);
  }
  return policy;
}

export function movesOn(policy: RetryPolicy, error: UpstreamError): boolean {
  if (error.status !== undefined && policy.fallbackOn.has(error.status)) return true;
  return policy.fallbackOn.has(error.failure);
}

/**
 * Wait before attempt `attempt + 1` at the same deployment, or undefined to move on instead:
 * exponential backoff with jitter (half fixed, half random), or the upstream's `Retry-After` when
 * it sent one, unless that is longer than the cap.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, error: UpstreamError, random: () => number): number | undefined {
  if (error.retryAfterMs !== undefined) return error.retryAfterMs <= policy.retryAfterCapMs ? error.retryAfterMs : undefined;
  const exponential = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** (attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
