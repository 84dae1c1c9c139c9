/**
 * Health history in SQLite, for the latency and status charts: one row per provider probe and one
 * per breaker transition, kept for a week (store/retention.ts).
 */
import type { Transition } from '../routing/circuit-breaker';
import type { Db } from './db';

export interface ProbeSample {
  provider: string;
  at: number;
  ok: boolean;
  latencyMs: number | null;
  error: string | null;
  detail: Record<string, unknown> | null;
}

export interface HealthHistory {
  addProbe(sample: ProbeSample): void;
  addTransition(transition: Transition): void;
  probes(provider: string, since: number, limit?: number): ProbeSample[];
  transitions(since: number, limit?: number): Transition[];
  prune(before: number): void;
}

/** A provider a config change renamed (old name to new) keeps its probes' history; called as the revision is saved (store/config-store.ts). */
export function probesFollowing(db: Db): (renamed: ReadonlyMap<string, string>) => void {
  const rename = db.prepare<[string, string]>('UPDATE health_samples SET provider = ? WHERE provider = ?');
  return (renamed) => {
    for (const [from, to] of renamed) rename.run(to, from);
  };
}

export function createHealthHistory(db: Db): HealthHistory {
  const insertProbe = db.prepare('INSERT INTO health_samples (provider, at, ok, latency_ms, error, detail) VALUES (?, ?, ?, ?, ?, ?)');
  const insertTransition = db.prepare('INSERT INTO breaker_transitions (deployment, at, from_state, to_state, reason) VALUES (?, ?, ?, ?, ?)');
  const selectProbes = db.prepare<[string, number, number], { provider: string; at: number; ok: number; latency_ms: number | null; error: string | null; detail: string | null }>(
    'SELECT provider, at, ok, latency_ms, error, detail FROM health_samples WHERE provider = ? AND at >= ? ORDER BY at DESC LIMIT ?',
  );
  const selectTransitions = db.prepare<[number, number], { deployment: string; at: number; from_state: string; to_state: string; reason: string }>(
    'SELECT deployment, at, from_state, to_state, reason FROM breaker_transitions WHERE at >= ? ORDER BY at DESC LIMIT ?',
  );
  const pruneProbes = db.prepare('DELETE FROM health_samples WHERE at < ?');
  const pruneTransitions = db.prepare('DELETE FROM breaker_transitions WHERE at < ?');
  return {
    addProbe: (s) => void insertProbe.run(s.provider, s.at, s.ok ? 1 : 0, s.latencyMs, s.error, s.detail ? JSON.stringify(s.detail) : null),
    addTransition: (t) => void insertTransition.run(t.deployment, t.at, t.from, t.to, t.reason),
    probes: (provider, since, limit = 1000) =>
      selectProbes.all(provider, since, limit).map((r) => ({
        provider: r.provider,
        at: r.at,
        ok: r.ok === 1,
        latencyMs: r.latency_ms,
        error: r.error,
        detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null,
      })),
    transitions: (since, limit = 200) =>
      selectTransitions.all(since, limit).map((r) => ({ deployment: r.deployment, at: r.at, from: r.from_state as Transition['from'], to: r.to_state as Transition['to'], reason: r.reason })),
    prune(before) {
      pruneProbes.run(before);
      pruneTransitions.run(before);
    },
  };
}
