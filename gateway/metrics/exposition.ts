/**
 * `/metrics` in Prometheus's text format (version 0.0.4, what Prometheus, VictoriaMetrics, Grafana
 * Agent and the OpenTelemetry collector scrape): the request counters and latency histograms since
 * this process started (tally.ts), then gauges read from the health report at the scrape (providers
 * up, requests in flight, breakers, models in memory, budgets), so both answers say the same.
 */
import type { BreakerState } from '../routing/circuit-breaker';
import type { HealthReport } from '../surfaces/health/schema';
import type { ProcessFigures } from './process';
import { LATENCY_BUCKETS, type Histogram, type Labels, type Series, type TallySnapshot } from './tally';

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** The breaker states a deployment may be in: one series each, 1 for the state it is in (an enum, as Prometheus writes one). */
const BREAKER_STATES = ['closed', 'open', 'half-open'] as const satisfies readonly BreakerState[];

// Label values are escaped as the format says (backslash, double quote, line feed); names are ours.
const escape = (value: string) => value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
const labelText = (labels: Labels) => {
  const parts = Object.entries(labels).map(([name, value]) => `${name}="${escape(value)}"`);
  return parts.length > 0 ? `{${parts.join(',')}}` : '';
};
const number = (value: number) => (Number.isFinite(value) ? String(value) : Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf');

class Writer {
  readonly lines: string[] = [];

  family(name: string, type: 'counter' | 'gauge' | 'histogram', help: string): this {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    return this;
  }

  samples(name: string, series: readonly Series<number>[]): this {
    for (const s of series) this.lines.push(`${name}${labelText(s.labels)} ${number(s.value)}`);
    return this;
  }

  histograms(name: string, series: readonly Series<Histogram>[]): this {
    for (const { labels, value } of series) {
      let cumulative = 0;
      LATENCY_BUCKETS.forEach((bound, i) => {
        cumulative += value.buckets[i] ?? 0;
        this.lines.push(`${name}_bucket${labelText({ ...labels, le: String(bound) })} ${cumulative}`);
      });
      this.lines.push(`${name}_bucket${labelText({ ...labels, le: '+Inf' })} ${value.count}`, `${name}_sum${labelText(labels)} ${number(value.sum)}`, `${name}_count${labelText(labels)} ${value.count}`);
    }
    return this;
  }
}

const one = (labels: Labels, value: number): Series<number> => ({ labels, value });
/** One series, or none when the figure is not known here. */
const known = (value: number | undefined): Series<number>[] => (value === undefined ? [] : [one({}, value)]);

export function renderMetrics(tally: TallySnapshot, report: HealthReport, startedAt: number, proc: ProcessFigures): string {
  const w = new Writer();
  w.family('switchyard_info', 'gauge', 'The running gateway, as a label.').samples('switchyard_info', [one({ version: report.version }, 1)]);
  w.family('switchyard_start_time_seconds', 'gauge', 'When this process started, in seconds since the epoch (the counters count from then).').samples('switchyard_start_time_seconds', [one({}, startedAt / 1000)]);
  w.family('switchyard_store_ok', 'gauge', '1 while the store is written, 0 while it cannot be (a full disk): requests are answered but not all recorded.').samples('switchyard_store_ok', [one({}, report.store === 'ok' ? 1 : 0)]);
  w.family('switchyard_local_only', 'gauge', '1 while local only is on: no request goes to a cloud provider.').samples('switchyard_local_only', [one({}, report.localOnly ? 1 : 0)]);

  w.family('switchyard_requests_total', 'counter', 'Client requests answered, by front door API, route, the deployment that answered and HTTP status.').samples('switchyard_requests_total', tally.requests);
  w.family('switchyard_fallbacks_total', 'counter', 'Requests answered by another deployment than the first their route would use, because that one failed or was unavailable (down, rate limited, busy, its key or model missing).').samples('switchyard_fallbacks_total', tally.fallbacks);
  w.family('switchyard_cache_hits_total', 'counter', 'Requests answered from the response cache.').samples('switchyard_cache_hits_total', tally.cacheHits);
  w.family('switchyard_attempt_failures_total', 'counter', 'Failed attempts at a deployment, by failure class (what moved the request on or ended it).').samples('switchyard_attempt_failures_total', tally.attemptFailures);
  w.family('switchyard_tokens_total', 'counter', 'Tokens by the deployment that answered: input, output, and prompt tokens read from or written to the upstream cache.').samples('switchyard_tokens_total', tally.tokens);
  w.family('switchyard_cost_usd_total', 'counter', 'What the answers cost, in US dollars, at the deployments\' prices.').samples('switchyard_cost_usd_total', tally.costUsd);
  w.family('switchyard_saved_usd_total', 'counter', 'What local models and the cache saved against the cloud price they stand in for, in US dollars.').samples('switchyard_saved_usd_total', tally.savedUsd);
  w.family('switchyard_client_requests_total', 'counter', 'Client requests by client key ("anonymous": none).').samples('switchyard_client_requests_total', tally.keyRequests);
  w.family('switchyard_client_cost_usd_total', 'counter', 'What each client key\'s answers cost, in US dollars.').samples('switchyard_client_cost_usd_total', tally.keyCostUsd);
  w.family('switchyard_tool_requests_total', 'counter', 'Client requests by the tool that sent them ("": none named; "other": one the gateway does not know by name).').samples('switchyard_tool_requests_total', tally.toolRequests);
  w.family('switchyard_tool_cost_usd_total', 'counter', 'What each tool\'s answers cost, in US dollars.').samples('switchyard_tool_cost_usd_total', tally.toolCostUsd);
  w.family('switchyard_request_duration_seconds', 'histogram', 'Time from a request to the end of its answer.').histograms('switchyard_request_duration_seconds', tally.duration);
  w.family('switchyard_time_to_first_byte_seconds', 'histogram', 'Time from a streamed request to its first byte.').histograms('switchyard_time_to_first_byte_seconds', tally.firstByte);

  // A provider nothing has reached yet (no probe, no request) has no series, rather than a 0 that would page someone at start-up.
  const heard = report.providers.filter((p) => p.status !== 'unknown');
  w.family('switchyard_provider_up', 'gauge', '1 when the provider answered its latest probe or request, 0 when it failed or cannot be used (a key not set).').samples('switchyard_provider_up', heard.map((p) => one({ provider: p.name, kind: p.kind }, p.status === 'up' ? 1 : 0)));
  w.family('switchyard_provider_in_flight', 'gauge', 'Requests at the provider now.').samples('switchyard_provider_in_flight', report.providers.map((p) => one({ provider: p.name }, p.inFlight)));
  w.family('switchyard_provider_queued', 'gauge', 'Requests waiting for a place under the provider\'s concurrency limit.').samples('switchyard_provider_queued', report.providers.map((p) => one({ provider: p.name }, p.queued)));
  w.family('switchyard_deployment_breaker_state', 'gauge', 'The deployment\'s circuit breaker: 1 for the state it is in.').samples(
    'switchyard_deployment_breaker_state',
    report.deployments.flatMap((d) => BREAKER_STATES.map((state) => one({ deployment: d.name, state }, d.breaker.state === state ? 1 : 0))),
  );
  w.family('switchyard_deployment_model_loaded', 'gauge', '1 when an Ollama has the deployment\'s model in memory, 0 when not (Ollama deployments its latest probe reached).').samples(
    'switchyard_deployment_model_loaded',
    report.deployments.filter((d) => d.loaded !== null).map((d) => one({ deployment: d.name }, d.loaded ? 1 : 0)),
  );
  w.family('switchyard_budget_spent_usd', 'gauge', 'Spent in the budget\'s current period, in US dollars.').samples('switchyard_budget_spent_usd', report.budgets.map((b) => one({ budget: b.name }, b.spentUsd)));
  w.family('switchyard_budget_in_flight_usd', 'gauge', 'Held by requests in flight to paid deployments, in US dollars.').samples('switchyard_budget_in_flight_usd', report.budgets.map((b) => one({ budget: b.name }, b.inFlightUsd)));
  w.family('switchyard_budget_limit_usd', 'gauge', 'The budget\'s limit per period, in US dollars.').samples('switchyard_budget_limit_usd', report.budgets.map((b) => one({ budget: b.name }, b.limitUsd)));
  processFamilies(w, proc, startedAt);
  return `${w.lines.join('\n')}\n`;
}

/** The process, under the names Prometheus's client libraries use (gateway/metrics/process.ts). */
function processFamilies(w: Writer, proc: ProcessFigures, startedAt: number): void {
  w.family('process_cpu_user_seconds_total', 'counter', 'User CPU time spent, in seconds.').samples('process_cpu_user_seconds_total', [one({}, proc.cpuUserSeconds)]);
  w.family('process_cpu_system_seconds_total', 'counter', 'System CPU time spent, in seconds.').samples('process_cpu_system_seconds_total', [one({}, proc.cpuSystemSeconds)]);
  w.family('process_cpu_seconds_total', 'counter', 'User and system CPU time spent, in seconds.').samples('process_cpu_seconds_total', [one({}, proc.cpuUserSeconds + proc.cpuSystemSeconds)]);
  w.family('process_start_time_seconds', 'gauge', 'When the process started, in seconds since the epoch.').samples('process_start_time_seconds', [one({}, startedAt / 1000)]);
  w.family('process_resident_memory_bytes', 'gauge', 'Resident memory, in bytes.').samples('process_resident_memory_bytes', [one({}, proc.residentBytes)]);
  w.family('process_open_fds', 'gauge', 'Open file descriptors (sockets, the database, logs).').samples('process_open_fds', known(proc.openFds));
  w.family('process_max_fds', 'gauge', 'The most file descriptors the process may open.').samples('process_max_fds', known(proc.maxFds));
  w.family('nodejs_heap_size_used_bytes', 'gauge', "V8's heap in use, in bytes.").samples('nodejs_heap_size_used_bytes', [one({}, proc.heapUsedBytes)]);
  w.family('nodejs_heap_size_total_bytes', 'gauge', "V8's heap, in bytes.").samples('nodejs_heap_size_total_bytes', [one({}, proc.heapTotalBytes)]);
  w.family('nodejs_external_memory_bytes', 'gauge', 'Memory of objects outside the heap that it holds (buffers), in bytes.').samples('nodejs_external_memory_bytes', [one({}, proc.externalBytes)]);
  const lag = proc.eventLoopLag;
  for (const [name, value] of [['p50', lag?.p50], ['p90', lag?.p90], ['p99', lag?.p99], ['max', lag?.max]] as const) {
    w.family(`nodejs_eventloop_lag_${name}_seconds`, 'gauge', `The event loop's delay since the scrape before (its ${name === 'max' ? 'longest' : name}), in seconds: a request waits this long to be read.`).samples(`nodejs_eventloop_lag_${name}_seconds`, known(value));
  }
  w.family('nodejs_version_info', 'gauge', 'The Node.js version, as a label.').samples('nodejs_version_info', [one({ version: `v${proc.nodeVersion}` }, 1)]);
}
