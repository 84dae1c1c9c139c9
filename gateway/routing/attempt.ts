/** How one attempt at one deployment ended: what the usage log, live traffic and errors report. */
import type { FailureClass } from '../errors';

export interface Attempt {
  deployment: string;
  provider: string;
  outcome: 'ok' | 'failed';
  failure?: FailureClass;
  status?: number;
  message?: string;
  latencyMs: number;
}
