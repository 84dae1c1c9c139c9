/**
 * Passive health: what real traffic says about each provider and deployment (last success, last
 * failure and its reason, latency of the last answer). Kept in memory; the probes of the health
 * monitor add to the same picture.
 */
import type { Attempt } from '../routing/execute';

export interface TrafficRecord {
  lastOkAt: number | null;
  lastFailureAt: number | null;
  lastError: string | null;
  lastLatencyMs: number | null;
  consecutiveFailures: number;
  requests: number;
  failures: number;
}

export interface TrafficStats {
  record(attempts: readonly Attempt[]): void;
  provider(name: string): TrafficRecord;
  deployment(name: string): TrafficRecord;
}

export function createTrafficStats(now: () => number = Date.now): TrafficStats {
  const providers = new Map<string, TrafficRecord>();
  const deployments = new Map<string, TrafficRecord>();
  const get = (map: Map<string, TrafficRecord>, name: string): TrafficRecord => {
    let record = map.get(name);
    if (!record) {
      record = { lastOkAt: null, lastFailureAt: null, lastError: null, lastLatencyMs: null, consecutiveFailures: 0, requests: 0, failures: 0 };
      map.set(name, record);
    }
    return record;
  };
  const apply = (record: TrafficRecord, attempt: Attempt, at: number) => {
    record.requests++;
    if (attempt.outcome === 'ok') {
      record.lastOkAt = at;
      record.lastLatencyMs = attempt.latencyMs;
      record.consecutiveFailures = 0;
    } else if (attempt.failure !== 'client_closed') {
      record.failures++;
      record.lastFailureAt = at;
      record.lastError = attempt.message ?? attempt.failure ?? 'failed';
      record.consecutiveFailures++;
    }
  };
  return {
    record(attempts) {
      const at = now();
      for (const attempt of attempts) {
        apply(get(providers, attempt.provider), attempt, at);
        apply(get(deployments, attempt.deployment), attempt, at);
      }
    },
    provider: (name) => ({ ...get(providers, name) }),
    deployment: (name) => ({ ...get(deployments, name) }),
  };
}
