/**
 * Passive health: what real traffic says about each provider and deployment (last success, last
 * failure and its reason, latency of the last answer). A failure counts as its breaker counts it
 * (`failureSays`): a request the upstream refused as wrong shows it alive, and one it could not
 * take (too long, tools it lacks, a 429, a refused key) says nothing, so a client's bad request
 * never shows Ollama down or sends a "down" notice. A provider is down when it cannot be reached
 * or its answers break; a 5xx downs only its deployment (one model's runner crashed, out of
 * memory, the server answering). Kept in memory; the probes of the health monitor add to the same
 * picture.
 */
import { failureSays, type Attempt } from '../routing/attempt';
import type { Outcome } from '../routing/circuit-breaker';

export interface TrafficRecord {
  lastOkAt: number | null;
  /** What the last attempt that said anything said: up (an answer of any kind, a 4xx included) or down. */
  said: { at: number; up: boolean } | null;
  lastFailureAt: number | null;
  lastError: string | null;
  lastLatencyMs: number | null;
}

export interface TrafficStats {
  record(attempts: readonly Attempt[]): void;
  provider(name: string): TrafficRecord;
  deployment(name: string): TrafficRecord;
  /**
   * The deployment's median time to an answer (a stream's: to its first event) over its last
   * answers within LATENCY_WINDOW_MS, once it has MIN_SAMPLES of them: `lowest-latency` routes by it.
   */
  latencyMs(deployment: string): number | undefined;
  /** What traffic said of a provider and its deployments: it was another server's (moved by a config change). */
  forget(provider: string, deployments: readonly string[]): void;
  /**
   * After a config change: what traffic said of each renamed deployment and provider (old name to new)
   * goes on under its new name, and what it said of a deployment now gone or pointed elsewhere is
   * forgotten (a deployment given its name later must not inherit another model's latency).
   */
  configured(renamed: ReadonlyMap<string, string>, replaced: readonly string[], providersRenamed?: ReadonlyMap<string, string>): void;
}

const LATENCY_SAMPLES = 20;
const MIN_SAMPLES = 5;
const LATENCY_WINDOW_MS = 10 * 60_000;

/** The last answers' latencies, oldest overwritten first; the median is worked out only after a change. */
class LatencyRing {
  private readonly at = new Float64Array(LATENCY_SAMPLES);
  private readonly ms = new Float64Array(LATENCY_SAMPLES);
  private next = 0;
  private count = 0;
  private median: { value: number | undefined; validUntil: number } | undefined;

  add(at: number, ms: number): void {
    this.at[this.next] = at;
    this.ms[this.next] = ms;
    this.next = (this.next + 1) % LATENCY_SAMPLES;
    this.count = Math.min(this.count + 1, LATENCY_SAMPLES);
    this.median = undefined;
  }

  p50(now: number): number | undefined {
    if (this.median && now < this.median.validUntil) return this.median.value;
    const recent: number[] = [];
    let oldest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.count; i++) {
      const at = this.at[i] as number;
      if (now - at > LATENCY_WINDOW_MS) continue;
      recent.push(this.ms[i] as number);
      oldest = Math.min(oldest, at);
    }
    recent.sort((a, b) => a - b);
    const value = recent.length >= MIN_SAMPLES ? recent[Math.floor(recent.length / 2)] : undefined;
    // Valid until the oldest sample leaves the window (or a new one arrives).
    this.median = { value, validUntil: Number.isFinite(oldest) ? oldest + LATENCY_WINDOW_MS : now + LATENCY_WINDOW_MS };
    return value;
  }
}

export function createTrafficStats(now: () => number = Date.now): TrafficStats {
  const providers = new Map<string, TrafficRecord>();
  const deployments = new Map<string, TrafficRecord>();
  const latencies = new Map<string, LatencyRing>();
  const get = (map: Map<string, TrafficRecord>, name: string): TrafficRecord => {
    let record = map.get(name);
    if (!record) {
      record = { lastOkAt: null, said: null, lastFailureAt: null, lastError: null, lastLatencyMs: null };
      map.set(name, record);
    }
    return record;
  };
  const apply = (record: TrafficRecord, attempt: Attempt, at: number, says: Outcome) => {
    if (attempt.outcome === 'ok') {
      record.lastOkAt = at;
      record.lastLatencyMs = attempt.latencyMs;
    }
    if (says !== 'neutral') record.said = { at, up: says === 'success' };
    if (says === 'failure') {
      record.lastFailureAt = at;
      record.lastError = attempt.message ?? attempt.failure ?? 'failed';
    }
  };
  return {
    record(attempts) {
      const at = now();
      for (const attempt of attempts) {
        const says = attempt.outcome === 'ok' || !attempt.failure ? 'success' : failureSays(attempt.failure);
        // A 5xx is the deployment's model failing (an Ollama runner that crashed on one model); its server answered.
        apply(get(providers, attempt.provider), attempt, at, attempt.failure === 'upstream_5xx' ? 'success' : says);
        apply(get(deployments, attempt.deployment), attempt, at, says);
        if (attempt.outcome !== 'ok') continue;
        let ring = latencies.get(attempt.deployment);
        if (!ring) latencies.set(attempt.deployment, (ring = new LatencyRing()));
        ring.add(at, attempt.latencyMs);
      }
    },
    latencyMs: (deployment) => latencies.get(deployment)?.p50(now()),
    forget(provider, names) {
      providers.delete(provider);
      for (const name of names) {
        deployments.delete(name);
        latencies.delete(name);
      }
    },
    configured(renamed, replaced, providersRenamed = new Map()) {
      const move = (map: Map<string, unknown>, names: ReadonlyMap<string, string>) => {
        for (const [from, to] of names) {
          if (map.has(from)) map.set(to, map.get(from));
          map.delete(from);
        }
      };
      for (const map of [deployments, latencies] as Map<string, unknown>[]) {
        for (const name of replaced) map.delete(name);
        move(map, renamed);
      }
      move(providers, providersRenamed);
    },
    provider: (name) => ({ ...get(providers, name) }),
    deployment: (name) => ({ ...get(deployments, name) }),
  };
}
