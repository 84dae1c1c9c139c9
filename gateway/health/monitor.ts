/**
 * Active health: probes each provider on its interval (Ollama: version, installed and loaded
 * models; OpenAI-compatible: the models list), keeps the latest result in memory for /health and
 * every sample in SQLite for charts. Probes never pass through the router, the breakers, the
 * concurrency caps or the usage log: they are not client traffic.
 */
import type { ProbeResult } from '../providers/types';
import type { Catalog } from '../routing/catalog';
import type { HealthHistory } from '../store/health-history';

export const DEFAULT_PROBE_INTERVAL_MS = 30_000;
const PROBE_TIMEOUT_MS = 5_000;
const RETENTION_MS = 7 * 86_400_000;

export interface ProbeRecord {
  at: number;
  ok: boolean;
  latencyMs: number;
  error: string | null;
  result: ProbeResult | null;
}

export interface HealthMonitor {
  /** Probes every provider now (tests and "test connection" call this instead of waiting). */
  probeAll(): Promise<void>;
  latest(provider: string): ProbeRecord | undefined;
  start(): void;
  stop(): void;
}

export function createHealthMonitor(deps: { catalog: () => Catalog; history: HealthHistory; now: () => number }): HealthMonitor {
  const latest = new Map<string, ProbeRecord>();
  const inFlight = new Set<string>();
  let timer: NodeJS.Timeout | undefined;

  async function probe(name: string): Promise<void> {
    const adapter = deps.catalog().providers.get(name);
    if (!adapter || inFlight.has(name)) return;
    inFlight.add(name);
    const started = deps.now();
    const t0 = performance.now();
    let record: ProbeRecord;
    try {
      const result = await adapter.probe(AbortSignal.timeout(PROBE_TIMEOUT_MS));
      record = { at: started, ok: true, latencyMs: performance.now() - t0, error: null, result };
    } catch (error) {
      record = { at: started, ok: false, latencyMs: performance.now() - t0, error: (error as Error).message, result: null };
    } finally {
      inFlight.delete(name);
    }
    latest.set(name, record);
    const detail = record.result ? { version: record.result.version ?? null, models: record.result.models.length, loaded: record.result.loaded ?? null } : null;
    deps.history.addProbe({ provider: name, at: record.at, ok: record.ok, latencyMs: Math.round(record.latencyMs * 10) / 10, error: record.error, detail });
  }

  function due(): string[] {
    const now = deps.now();
    return deps
      .catalog()
      .config.providers.filter((p) => {
        const interval = p.healthCheck?.intervalMs ?? DEFAULT_PROBE_INTERVAL_MS;
        if (interval === 0) return false;
        const last = latest.get(p.name);
        return !last || now - last.at >= interval;
      })
      .map((p) => p.name);
  }

  return {
    async probeAll() {
      await Promise.all(deps.catalog().config.providers.map((p) => probe(p.name)));
      deps.history.prune(deps.now() - RETENTION_MS);
    },
    latest: (provider) => latest.get(provider),
    start() {
      // One light tick finds the providers that are due, so interval changes in the config apply at once.
      timer = setInterval(() => {
        for (const name of due()) void probe(name);
      }, 1_000);
      timer.unref();
      for (const name of due()) void probe(name);
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}
