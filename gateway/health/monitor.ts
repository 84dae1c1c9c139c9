/**
 * Active health: probes each provider on its interval (Ollama: version, installed and loaded
 * models; OpenAI-compatible: the models list), keeps the latest result in memory for /health and
 * every sample in SQLite for charts. For an Ollama it also learns what each deployed model is
 * (`/api/show`: capabilities, trained context, the Modelfile's num_ctx), once per model version and
 * Ollama version, for the router's context and capability checks; of other servers, the windows
 * and answer limits their lists say (listed-limits.ts). What it knows is of a server: a provider
 * moved to another by a config edit starts afresh. Probes never pass through the router, the
 * breakers, the concurrency caps or the usage log: they are not client traffic.
 */
import { ollamaShowFacts, type OllamaShowFacts } from '../models/facts';
import type { ProviderConfig } from '../config/schema';
import { isLocalProvider } from '../providers/locality';
import { serverOf } from '../providers/quirk-memory';
import type { ListedLimits, ProbeResult, ProviderAdapter } from '../providers/types';
import type { Catalog } from '../routing/catalog';
import type { HealthHistory } from '../store/health-history';
import { createListedLimits } from './listed-limits';

const DEFAULT_PROBE_INTERVAL_MS = 30_000;
/**
 * A cloud provider's probe interval: its traffic tells its health as it happens, its models seldom
 * change, and a list such as OpenRouter's (hundreds of models, their descriptions and prices) is
 * not fetched every half minute all day.
 */
const CLOUD_PROBE_INTERVAL_MS = 300_000;
const PROBE_TIMEOUT_MS = 5_000;

export interface ProbeRecord {
  at: number;
  ok: boolean;
  latencyMs: number;
  error: string | null;
  result: ProbeResult | null;
}

/** A list of models a probe found, and when it asked. */
export interface ModelsSeen {
  at: number;
  models: ReadonlySet<string>;
}

export interface HealthMonitor {
  /** Probes every provider now (tests and "test connection" call this instead of waiting). */
  probeAll(): Promise<void>;
  /** Probes one provider now (after its model was loaded, so the report says so at once). */
  probe(provider: string): Promise<void>;
  latest(provider: string): ProbeRecord | undefined;
  /** The models an Ollama has installed, from a probe no older than a few intervals (names with and without `:latest`). */
  installed(provider: string): ReadonlySet<string> | undefined;
  /**
   * A request found a deployed model missing from the provider's list: asks the provider again at
   * once, unless it was asked in the last few seconds. A model pulled from a terminal (`ollama
   * pull`) is then seen by the next request, not after the next probe (up to 30 s on).
   */
  recheck(provider: string): void;
  /** What an Ollama's `/api/show` said about one of its models. */
  modelFacts(provider: string, model: string): OllamaShowFacts | undefined;
  /** The models an Ollama has in memory, from a probe no older than a few intervals (its `/api/ps`), and when that probe asked. */
  loaded(provider: string): ModelsSeen | undefined;
  /** The models an Ollama passes to Ollama's cloud, from its latest list (kept while probes fail: a prompt must not leave by mistake). */
  remote(provider: string): ReadonlySet<string> | undefined;
  /** A model's context window and answer limit as another server's models list says them (kept while probes fail: they do not change when a server is down). */
  listedLimits(provider: string, model: string): ListedLimits | undefined;
  /**
   * After a config change: what was learned of providers now at another server (or gone) is
   * forgotten, and those moved are probed at once when probing runs. Returns the names moved.
   */
  configured(): string[];
  start(): void;
  stop(): void;
}

export interface HealthMonitorDeps {
  catalog: () => Catalog;
  history: HealthHistory;
  now: () => number;
  /** After each successful probe of an Ollama, with the models it has (a missing model may have been pulled). */
  onInstalled?: (provider: string, installed: ReadonlySet<string>) => void;
  /** When an Ollama answers with another version than it did before (upgraded, or another server at its address). */
  onUpgraded?: (provider: string, from: string, to: string) => void;
}

/** A list older than this many intervals says nothing any more (the probes behind it failed). */
const STALE_INTERVALS = 3;
/** A list younger than this is not asked again for a model missing from it (every request for a model never pulled would ask). */
const RECHECK_AFTER_MS = 2_000;
/** `/api/show` calls per probe at most: the rest wait for the next. */
const SHOWS_PER_PROBE = 8;

export function createHealthMonitor(deps: HealthMonitorDeps): HealthMonitor {
  const latest = new Map<string, ProbeRecord>();
  /** Each provider's version, from its last probe that said one. */
  const versions = new Map<string, string>();
  /** The probe under way of each provider, by the generation it belongs to. */
  const inFlight = new Map<string, number>();
  /** Each provider's generation: a move to another server starts a new one, and what a probe of the old one finds is dropped. */
  const generations = new Map<string, { server: string; generation: number; settings: string; adapter?: ProviderAdapter }>();
  const generationOf = (name: string) => generations.get(name)?.generation ?? 0;
  const installed = new Map<string, ModelsSeen>();
  const inMemory = new Map<string, ModelsSeen>();
  const remote = new Map<string, Set<string>>();
  const listed = createListedLimits();
  const facts = new Map<string, OllamaShowFacts>();
  let timer: NodeJS.Timeout | undefined;
  /** What a provider's probe goes by: its config, and the models deployed on it. */
  const askedWith = (provider: ProviderConfig) => JSON.stringify([provider, deps.catalog().config.deployments.filter((d) => d.provider === provider.name).map((d) => d.model)]);

  /** Learns the facts of deployed models not seen yet, or changed since (their digest): until then the old facts stand. */
  async function learnModels(name: string, result: ProbeResult, generation: number): Promise<void> {
    const adapter = deps.catalog().providers.get(name);
    if (!adapter?.show) return;
    const key = (model: string) => `${name}\u0000${model}`;
    const unknown = [...new Set(deps.catalog().config.deployments.filter((d) => d.provider === name).map((d) => d.model))].filter(
      (m) => installed.get(name)?.models.has(m) && (!facts.has(key(m)) || facts.get(key(m))?.digest !== result.digests?.get(m)),
    );
    await Promise.all(
      unknown.slice(0, SHOWS_PER_PROBE).map(async (model) => {
        try {
          const shown = await adapter.show?.(model, AbortSignal.timeout(PROBE_TIMEOUT_MS));
          if (!shown || generationOf(name) !== generation) return;
          // Of the version they came from: a model pulled again in a newer version, or made again by `ollama create`, is asked again.
          facts.set(key(model), { ...ollamaShowFacts(shown), digest: result.digests?.get(model) });
        } catch {
          // The next probe asks again.
        }
      }),
    );
    for (const [model, context] of Object.entries(result.loadedContext ?? {})) {
      const key = `${name}\u0000${model.replace(/:latest$/, '')}`;
      const known = facts.get(key) ?? facts.get(`${name}\u0000${model}`);
      if (known) known.loadedContext = context;
    }
  }

  async function probe(name: string): Promise<void> {
    const adapter = deps.catalog().providers.get(name);
    const generation = generationOf(name);
    if (!adapter || inFlight.get(name) === generation) return;
    inFlight.set(name, generation);
    generations.set(name, { server: serverOf(adapter.config), generation, settings: askedWith(adapter.config), adapter });
    const started = deps.now();
    const t0 = performance.now();
    let record: ProbeRecord;
    try {
      const result = await adapter.probe(AbortSignal.timeout(PROBE_TIMEOUT_MS));
      record = { at: started, ok: true, latencyMs: performance.now() - t0, error: null, result };
    } catch (error) {
      record = { at: started, ok: false, latencyMs: performance.now() - t0, error: (error as Error).message, result: null };
    } finally {
      if (inFlight.get(name) === generation) inFlight.delete(name);
    }
    // Moved to another server meanwhile: this says nothing of the new one.
    if (generationOf(name) !== generation) return;
    latest.set(name, record);
    listed.probed(name, record.result);
    if (record.result && deps.catalog().providers.get(name)?.config.kind === 'ollama') {
      const models = bothSpellings(record.result.models ?? []);
      installed.set(name, { at: record.at, models });
      inMemory.set(name, { at: record.at, models: bothSpellings(record.result.loaded ?? []) });
      remote.set(name, bothSpellings(record.result.remote ?? []));
      const version = record.result.version;
      const before = versions.get(name);
      if (version !== undefined) versions.set(name, version);
      if (version !== undefined && before !== undefined && version !== before) {
        // A new Ollama may say more of the same model (capabilities it did not detect before): asked again.
        for (const key of facts.keys()) if (key.startsWith(`${name}\u0000`)) facts.delete(key);
        deps.onUpgraded?.(name, before, version);
      }
      await learnModels(name, record.result, generation);
      deps.onInstalled?.(name, models);
    }
    const detail = record.result ? { version: record.result.version ?? null, models: record.result.models?.length ?? null, loaded: record.result.loaded ?? null } : null;
    deps.history.addProbe({ provider: name, at: record.at, ok: record.ok, latencyMs: Math.round(record.latencyMs * 10) / 10, error: record.error, detail });
  }

  /** A list no older than a few probe intervals; asked per candidate on every request: map lookups, not a search of the providers. */
  function fresh(list: ModelsSeen | undefined, provider: string): ModelsSeen | undefined {
    if (!list) return undefined;
    const config = deps.catalog().providers.get(provider)?.config;
    const interval = (config && probeIntervalOf(config)) || DEFAULT_PROBE_INTERVAL_MS;
    return deps.now() - list.at <= STALE_INTERVALS * interval ? list : undefined;
  }

  function due(): string[] {
    const now = deps.now();
    return deps
      .catalog()
      .config.providers.filter((p) => {
        const interval = probeIntervalOf(p);
        if (interval === 0) return false;
        const last = latest.get(p.name);
        // A provider whose last probe failed is watched as closely as a local one: its recovery shows soon.
        return !last || now - last.at >= (last.ok ? interval : Math.min(interval, DEFAULT_PROBE_INTERVAL_MS));
      })
      .map((p) => p.name);
  }

  return {
    async probeAll() {
      await Promise.all(deps.catalog().config.providers.map((p) => probe(p.name)));
    },
    probe,
    recheck(provider) {
      // Only while probing runs (a gateway started without probes asks nothing by itself).
      const last = latest.get(provider);
      if (timer && (!last || deps.now() - last.at >= RECHECK_AFTER_MS)) void probe(provider);
    },
    latest: (provider) => latest.get(provider),
    installed: (provider) => fresh(installed.get(provider), provider)?.models,
    loaded: (provider) => fresh(inMemory.get(provider), provider),
    modelFacts: (provider, model) => facts.get(`${provider}\u0000${model}`),
    remote: (provider) => remote.get(provider),
    listedLimits: listed.limits,
    configured() {
      const providers = new Map(deps.catalog().config.providers.map((p) => [p.name, p]));
      const moved: string[] = [];
      for (const [name, { server, generation, settings, adapter }] of generations) {
        const provider = providers.get(name);
        if (provider && serverOf(provider) === server) {
          // Its key or headers changed (a refused key fixed, or typed again under the same reference: a new
          // adapter), or a model was deployed on it (just pulled, say): what the last probe said may not
          // hold, and the next is half a minute away (a cloud's, minutes).
          const changed = askedWith(provider) !== settings || deps.catalog().providers.get(name) !== adapter;
          if (timer && probeIntervalOf(provider) !== 0 && changed) void probe(name);
          continue;
        }
        for (const kept of [latest, versions, installed, inMemory, remote]) kept.delete(name);
        for (const key of facts.keys()) if (key.startsWith(`${name}\u0000`)) facts.delete(key);
        listed.forget(name);
        if (!provider) {
          generations.delete(name);
          continue;
        }
        generations.set(name, { server: serverOf(provider), generation: generation + 1, settings: '' });
        moved.push(name);
        if (timer && probeIntervalOf(provider) !== 0) void probe(name);
      }
      return moved;
    },
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

/** Model names as deployments may name them: with and without `:latest`. */
function bothSpellings(names: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const name of names) {
    out.add(name);
    out.add(name.replace(/:latest$/, ''));
  }
  return out;
}

/** How often a provider is probed: as its config says (0: never), else every 30 s on this machine or the LAN and every 5 min in the cloud. */
export function probeIntervalOf(provider: ProviderConfig): number {
  return provider.healthCheck?.intervalMs ?? (isLocalProvider(provider) ? DEFAULT_PROBE_INTERVAL_MS : CLOUD_PROBE_INTERVAL_MS);
}
