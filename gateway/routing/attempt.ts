/** How one attempt at one deployment ended: what the usage log, live traffic and errors report. */
import { UNFIT, type FailureClass } from '../errors';
import { BLOCK_CAUSES, type Outcome } from './circuit-breaker';

export interface Attempt {
  deployment: string;
  provider: string;
  outcome: 'ok' | 'failed';
  failure?: FailureClass;
  status?: number;
  message?: string;
  latencyMs: number;
}

/**
 * What a failure says about its deployment's health, for its breaker and for the dashboard's up and
 * down: a 4xx is the request's fault, so the deployment answered; an UNFIT failure, a client that
 * left and a 429 (which cools it instead) say nothing, nor do a refused key, a missing model and a
 * spent quota (they block it instead: circuit-breaker.ts).
 */
export function failureSays(failure: FailureClass): Outcome {
  if (failure === 'upstream_4xx') return 'success';
  if (failure === 'client_closed' || failure === 'rate_limited' || UNFIT.has(failure) || BLOCK_CAUSES.has(failure)) return 'neutral';
  return 'failure';
}
