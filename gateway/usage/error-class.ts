import { isGatewayError } from '../errors';
import { ExecutionError } from '../routing/execute';

/** The usage log's error classes: a failure class where one attempt decided it, else the gateway's own code. */
export function errorClassOf(error: unknown): string {
  if (error instanceof ExecutionError) {
    if (error.wireCode === 'client_closed') return 'client_closed';
    if (error.code === 'no_deployment_available') return 'none_available';
    if (error.code === 'all_deployments_rate_limited') return 'rate_limited';
    if (error.status === 504) return 'timeout';
    const last = error.attempts.at(-1);
    if (last?.failure) return last.failure;
  }
  if (isGatewayError(error)) return error.wireCode ?? error.code;
  return 'internal_error';
}
