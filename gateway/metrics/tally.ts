/**
 * What the requests since this process started add up to, for `/metrics`: counters and latency
 * histograms kept in memory, one map entry per label set. Each usage row is added once, before it is
 * written, so a store that cannot be written (a full disk) still counts. Labels are config names,
 * client keys' names, an API, a status code, a failure class and the names of the tools the gateway knows: a model
 * name a client made up never becomes a label (its row has no route), nor a tool's (it counts as "other"), so the
 * number of series stays bounded by the config.
 */
import type { UsageRow } from '../store/usage-types';
import { isToolOf, TOOL } from '../config/tool-names';

/** Upper bounds of the latency buckets, in seconds: from a cached answer (a few ms) to a long agent turn. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300] as const;

export type Labels = Readonly<Record<string, string>>;

export interface Series<T> {
  labels: Labels;
  value: T;
}

export interface Histogram {
  /** Observations at or under each of LATENCY_BUCKETS, not cumulative. */
  buckets: number[];
  sum: number;
  count: number;
}

export interface TallySnapshot {
  requests: Series<number>[];
  fallbacks: Series<number>[];
  cacheHits: Series<number>[];
  attemptFailures: Series<number>[];
  tokens: Series<number>[];
  costUsd: Series<number>[];
  savedUsd: Series<number>[];
  keyRequests: Series<number>[];
  keyCostUsd: Series<number>[];
  toolRequests: Series<number>[];
  toolCostUsd: Series<number>[];
  duration: Series<Histogram>[];
  firstByte: Series<Histogram>[];
}

export interface MetricsTally {
  record(row: UsageRow): void;
  snapshot(): TallySnapshot;
}

type Level<T> = Map<string, Level<T> | Series<T>>;

/**
 * A family of series keyed by their label values, in a fixed label order: a map per label, looked
 * up value by value (joining the values into one key took 0.17 us a lookup, about 1.5 us a request).
 */
class Family<T> {
  private readonly root: Level<T> = new Map();
  private readonly series: Series<T>[] = [];
  constructor(
    private readonly names: readonly string[],
    private readonly start: () => T,
  ) {}

  at(...values: string[]): Series<T> {
    let level = this.root;
    const last = this.names.length - 1;
    for (let i = 0; i < last; i++) {
      const value = values[i] ?? '';
      let next = level.get(value) as Level<T> | undefined;
      if (!next) level.set(value, (next = new Map()));
      level = next;
    }
    const value = values[last] ?? '';
    let found = level.get(value) as Series<T> | undefined;
    if (!found) {
      found = { labels: Object.fromEntries(this.names.map((name, i) => [name, values[i] ?? ''])), value: this.start() };
      level.set(value, found);
      this.series.push(found);
    }
    return found;
  }

  list(): Series<T>[] {
    return this.series.map((s) => ({ labels: s.labels, value: typeof s.value === 'object' ? structuredClone(s.value) : s.value }));
  }
}

const emptyHistogram = (): Histogram => ({ buckets: LATENCY_BUCKETS.map(() => 0), sum: 0, count: 0 });

function observe(histogram: Histogram, ms: number): void {
  const seconds = ms / 1000;
  const at = LATENCY_BUCKETS.findIndex((bound) => seconds <= bound);
  if (at >= 0) histogram.buckets[at]! += 1;
  histogram.sum += seconds;
  histogram.count += 1;
}

const KNOWN_TOOLS: readonly string[] = Object.values(TOOL);

/** A tool as a label: one the gateway knows by name (its subagents under it: "Codex (review)" is Codex), "" for none named, else "other". */
function toolLabel(tool: string | null): string {
  if (tool === null) return '';
  if (KNOWN_TOOLS.includes(tool)) return tool;
  return KNOWN_TOOLS.find((name) => isToolOf(tool, name)) ?? 'other';
}

export function createMetricsTally(): MetricsTally {
  const counter = (...names: string[]) => new Family<number>(names, () => 0);
  const histogram = (...names: string[]) => new Family<Histogram>(names, emptyHistogram);
  const requests = counter('api', 'route', 'deployment', 'status');
  const fallbacks = counter('route', 'deployment');
  const cacheHits = counter('route');
  const attemptFailures = counter('deployment', 'provider', 'class');
  const tokens = counter('deployment', 'provider', 'type');
  const costUsd = counter('deployment', 'provider');
  const savedUsd = counter('deployment', 'provider');
  // Client keys are made by the admin, so their names are bounded too ("anonymous": no key).
  const keyRequests = counter('key');
  const keyCostUsd = counter('key');
  const toolRequests = counter('tool');
  const toolCostUsd = counter('tool');
  const duration = histogram('api', 'route');
  const firstByte = histogram('api', 'route');

  return {
    record(row) {
      const api = row.api ?? '';
      const route = row.route ?? '';
      const deployment = row.deployment ?? '';
      const provider = row.provider ?? '';
      requests.at(api, route, deployment, String(row.status)).value += 1;
      if (row.fallback) fallbacks.at(route, deployment).value += 1;
      if (row.cached) cacheHits.at(route).value += 1;
      for (const attempt of row.attempts) {
        if (attempt.outcome === 'failed') attemptFailures.at(attempt.deployment, attempt.provider, attempt.failure ?? 'unknown').value += 1;
      }
      if (row.deployment) {
        if (row.inputTokens) tokens.at(deployment, provider, 'input').value += row.inputTokens;
        if (row.outputTokens) tokens.at(deployment, provider, 'output').value += row.outputTokens;
        if (row.cacheReadTokens) tokens.at(deployment, provider, 'cache_read').value += row.cacheReadTokens;
        if (row.cacheWriteTokens) tokens.at(deployment, provider, 'cache_write').value += row.cacheWriteTokens;
        if (row.cost) costUsd.at(deployment, provider).value += row.cost;
        if (row.saved) savedUsd.at(deployment, provider).value += row.saved;
      }
      keyRequests.at(row.clientKey).value += 1;
      if (row.cost) keyCostUsd.at(row.clientKey).value += row.cost;
      const tool = toolLabel(row.tool);
      toolRequests.at(tool).value += 1;
      if (row.cost) toolCostUsd.at(tool).value += row.cost;
      observe(duration.at(api, route).value, row.totalMs);
      if (row.stream && row.ttftMs !== null) observe(firstByte.at(api, route).value, row.ttftMs);
    },
    snapshot: () => ({
      requests: requests.list(),
      fallbacks: fallbacks.list(),
      cacheHits: cacheHits.list(),
      attemptFailures: attemptFailures.list(),
      tokens: tokens.list(),
      costUsd: costUsd.list(),
      savedUsd: savedUsd.list(),
      keyRequests: keyRequests.list(),
      keyCostUsd: keyCostUsd.list(),
      toolRequests: toolRequests.list(),
      toolCostUsd: toolCostUsd.list(),
      duration: duration.list(),
      firstByte: firstByte.list(),
    }),
  };
}
