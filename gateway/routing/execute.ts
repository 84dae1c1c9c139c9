/**
 * The fallback loop: try each planned deployment in order (retrying one as its route allows),
 * move on after failures its route says to move on from, stop at the first success or at a failure
 * that belongs to the client (a 400 from the upstream is the request's fault, not the deployment's).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { DeploymentConfig } from '../config/schema';
import { GatewayError, UpstreamError, isGatewayError, type FailureClass } from '../errors';
import type { ProviderAdapter } from '../providers/types';
import { toUpstreamError } from '../providers/upstream-http';
import type { Catalog } from './catalog';
import type { Plan, Skip } from './plan';
import { movesOn, retryDelay, retryPolicy } from './retry';
import { describeInstant } from './time-windows';

export interface Attempt {
  deployment: string;
  provider: string;
  outcome: 'ok' | 'failed';
  failure?: FailureClass;
  status?: number;
  message?: string;
  latencyMs: number;
}

export interface Execution<T> {
  value: T;
  deployment: DeploymentConfig;
  attempts: Attempt[];
  skipped: Skip[];
}

export interface ExecuteContext {
  catalog: Catalog;
  plan: Plan;
  /** Aborted when the client disconnects. */
  clientSignal: AbortSignal;
  now: () => number;
  random: () => number;
}

/** What each attempt does; it receives the signal that covers the whole request (client + deadline). */
export type AttemptFn<T> = (provider: ProviderAdapter, deployment: DeploymentConfig, signal: AbortSignal) => Promise<T>;

export class ExecutionError extends GatewayError {
  constructor(
    base: GatewayError,
    readonly attempts: Attempt[],
    readonly skipped: Skip[],
  ) {
    super(base.code, base.message, {
      status: base.status,
      type: base.type,
      param: base.param,
      wireCode: base.wireCode,
      retryAfterSeconds: base.retryAfterSeconds,
      details: base.details,
      cause: base.cause,
    });
  }
}

export async function execute<T>(context: ExecuteContext, attempt: AttemptFn<T>): Promise<Execution<T>> {
  const { catalog, plan, clientSignal, now, random } = context;
  const policy = retryPolicy(plan.route);
  const signal = policy.deadlineMs ? AbortSignal.any([clientSignal, AbortSignal.timeout(policy.deadlineMs)]) : clientSignal;
  const attempts: Attempt[] = [];
  const failures: UpstreamError[] = [];

  for (const deployment of plan.targets) {
    const provider = catalog.providers.get(deployment.provider) as ProviderAdapter;
    for (let n = 1; n <= policy.attempts; n++) {
      const started = now();
      try {
        const value = await attempt(provider, deployment, signal);
        attempts.push({ deployment: deployment.name, provider: provider.config.name, outcome: 'ok', latencyMs: now() - started });
        return { value, deployment, attempts, skipped: plan.skipped };
      } catch (thrown) {
        if (isGatewayError(thrown)) throw new ExecutionError(thrown, attempts, plan.skipped);
        const error = clientSignal.aborted
          ? new UpstreamError('client_closed', 'the client closed the connection')
          : toUpstreamError(thrown, provider.config.name);
        attempts.push({
          deployment: deployment.name,
          provider: provider.config.name,
          outcome: 'failed',
          failure: error.failure,
          ...(error.status !== undefined ? { status: error.status } : {}),
          message: error.message,
          latencyMs: now() - started,
        });
        failures.push(error);
        if (error.failure === 'client_closed') throw new ExecutionError(clientClosed(), attempts, plan.skipped);
        if (signal.aborted) throw new ExecutionError(deadlinePassed(policy.deadlineMs, attempts), attempts, plan.skipped);
        if (!movesOn(policy, error)) throw new ExecutionError(passThrough(error), attempts, plan.skipped);
        if (n === policy.attempts) break;
        const wait = retryDelay(policy, n, error, random);
        if (wait === undefined) break;
        try {
          await sleep(wait, undefined, { signal });
        } catch {
          if (clientSignal.aborted) throw new ExecutionError(clientClosed(), attempts, plan.skipped);
          throw new ExecutionError(deadlinePassed(policy.deadlineMs, attempts), attempts, plan.skipped);
        }
      }
    }
  }
  throw new ExecutionError(exhausted(context, attempts, failures), attempts, plan.skipped);
}

function clientClosed(): GatewayError {
  return new GatewayError('upstream_error', 'the client closed the connection', { status: 499, wireCode: 'client_closed' });
}

function deadlinePassed(deadlineMs: number | undefined, attempts: Attempt[]): GatewayError {
  return new GatewayError('all_deployments_failed', `The route's deadline of ${deadlineMs} ms passed after ${attempts.length} attempt(s): ${listAttempts(attempts)}`, {
    status: 504,
    details: { attempts },
  });
}

/** An upstream answer that is the request's own fault goes back to the client as the upstream said it. */
function passThrough(error: UpstreamError): GatewayError {
  const upstream = error.upstreamError;
  return new GatewayError('upstream_error', upstream?.message ?? error.message, {
    status: error.status ?? 502,
    type: upstream?.type ?? (error.status && error.status < 500 ? 'invalid_request_error' : 'api_error'),
    param: upstream?.param ?? null,
    wireCode: upstream?.code ?? null,
  });
}

function exhausted(context: ExecuteContext, attempts: Attempt[], failures: UpstreamError[]): GatewayError {
  const { plan, now, catalog } = context;
  const skippedText = plan.skipped.map((s) => s.message).join('; ');
  if (attempts.length === 0) {
    const soonest = plan.skipped.reduce<number | null>((min, s) => (s.until !== null && (min === null || s.until < min) ? s.until : min), null);
    const first = plan.skipped.find((s) => s.until === soonest);
    const zone = first ? catalog.timeZoneOf(catalog.deployments.get(first.deployment) as DeploymentConfig) : catalog.defaultTimeZone;
    const when = soonest === null ? 'None of them becomes available by itself.' : `The first becomes available at ${describeInstant(soonest, zone, now())} (${new Date(soonest).toISOString()}).`;
    return new GatewayError('no_deployment_available', `No deployment of "${plan.route.name}" is available now: ${skippedText || 'the route is empty'}. ${when}`, {
      retryAfterSeconds: soonest === null ? undefined : Math.max(1, Math.ceil((soonest - now()) / 1000)),
      details: { skipped: plan.skipped, available_at: soonest === null ? null : new Date(soonest).toISOString() },
    });
  }
  const allRateLimited = failures.length > 0 && failures.every((f) => f.failure === 'rate_limited');
  const retryAfters = failures.map((f) => f.retryAfterMs).filter((ms): ms is number => ms !== undefined);
  const retryAfterSeconds = retryAfters.length > 0 ? Math.max(1, Math.ceil(Math.min(...retryAfters) / 1000)) : undefined;
  const message = `All ${attempts.length} attempt(s) for "${plan.route.name}" failed: ${listAttempts(attempts)}${skippedText ? `. Skipped: ${skippedText}` : ''}`;
  return new GatewayError(allRateLimited ? 'all_deployments_rate_limited' : 'all_deployments_failed', message, {
    retryAfterSeconds,
    details: { attempts, skipped: plan.skipped },
  });
}

function listAttempts(attempts: Attempt[]): string {
  return attempts.map((a) => `${a.deployment} (${a.provider}): ${a.status ? `HTTP ${a.status} ` : ''}${a.message ?? a.failure}`).join('; ');
}
