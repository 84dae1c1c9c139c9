/**
 * The text format's edges, from the tally to the text: label values with the characters the format
 * escapes (a backslash, a double quote, a line feed) read back as they were, a histogram's buckets
 * are cumulative with +Inf equal to the count, and a process that has answered nothing yet writes
 * families with no series, which Prometheus takes.
 */
import { describe, expect, it } from 'vitest';
import { renderMetrics } from '../../gateway/metrics/exposition';
import { createMetricsTally } from '../../gateway/metrics/tally';
import type { UsageRow } from '../../gateway/store/usage-types';
import type { ProcessFigures } from '../../gateway/metrics/process';
import type { HealthReport } from '../../gateway/surfaces/health/schema';
import { parseMetrics } from '../support/prometheus-text';

const report: HealthReport = { status: 'ok', version: '1.2.3', uptimeSeconds: 5, store: 'ok', storeError: null, memory: { rssBytes: 1 }, localOnly: false, providers: [], deployments: [], budgets: [] };

const proc: ProcessFigures = { cpuUserSeconds: 1.5, cpuSystemSeconds: 0.25, residentBytes: 90e6, heapUsedBytes: 20e6, heapTotalBytes: 30e6, externalBytes: 2e6, openFds: 21, maxFds: 1024, eventLoopLag: undefined, nodeVersion: '20.19.0' };

const row = (over: Partial<UsageRow>): UsageRow => ({
  id: 'r', at: 0, endpoint: '/v1/chat/completions', api: 'openai', clientKey: 'anonymous', model: 'm', route: 'r', deployment: 'd', provider: 'p', status: 200, errorClass: null, errorMessage: null, session: null, tool: null,
  attempts: [], fallback: false, stream: false, cached: false, inputTokens: 3, outputTokens: 4, cacheReadTokens: null, cacheWriteTokens: null, tokensEstimated: false, cost: 0.5, wouldCost: 0.5, saved: 0, ttftMs: null, totalMs: 40, ...over,
});

describe('the metrics text', () => {
  it('escapes label values as the format says, and they read back as they were', () => {
    const tally = createMetricsTally();
    const odd = 'a"b\\c\nd';
    tally.record(row({ route: odd, totalMs: 40 }));
    tally.record(row({ route: odd, totalMs: 700 }));
    tally.record(row({ route: odd, totalMs: 400_000, stream: true, ttftMs: 90 }));
    const text = renderMetrics(tally.snapshot(), report, 1_000_000, proc);
    expect(text).toContain('route="a\\"b\\\\c\\nd"');
    const m = parseMetrics(text);
    expect(m.value('switchyard_requests_total', { route: odd, deployment: 'd', status: '200' })).toBe(3);
    const buckets = m.series('switchyard_request_duration_seconds_bucket').filter((s) => s.labels.route === odd);
    expect(Object.fromEntries(buckets.map((s) => [s.labels.le, s.value]))).toMatchObject({ '0.05': 1, '0.5': 1, '1': 2, '300': 2, '+Inf': 3 });
    expect(m.value('switchyard_request_duration_seconds_sum', { route: odd })).toBeCloseTo(400.74, 6);
    expect(m.value('switchyard_time_to_first_byte_seconds_count', { route: odd })).toBe(1);
    expect(m.value('switchyard_cost_usd_total', { deployment: 'd' })).toBe(1.5);
    expect(m.value('switchyard_start_time_seconds')).toBe(1000);
  });

  it('writes every family, with no series, before any request', () => {
    const m = parseMetrics(renderMetrics(createMetricsTally().snapshot(), report, 0, proc));
    expect(m.types.get('switchyard_requests_total')).toBe('COUNTER');
    expect(m.types.get('switchyard_request_duration_seconds')).toBe('HISTOGRAM');
    expect(m.series('switchyard_requests_total')).toEqual([]);
    expect(m.value('switchyard_info', { version: '1.2.3' })).toBe(1);
  });

  it('writes no series for what this system or this moment does not know (descriptors off Linux, the lag before a second scrape)', () => {
    const m = parseMetrics(renderMetrics(createMetricsTally().snapshot(), report, 0, { ...proc, openFds: undefined, maxFds: undefined }));
    expect(m.value('process_cpu_seconds_total')).toBe(1.75);
    expect(m.types.get('process_open_fds')).toBe('GAUGE');
    expect(m.series('process_open_fds')).toEqual([]);
    expect(m.series('nodejs_eventloop_lag_p99_seconds')).toEqual([]);
    const lagged = parseMetrics(renderMetrics(createMetricsTally().snapshot(), report, 0, { ...proc, eventLoopLag: { p50: 0.01, p90: 0.02, p99: 0.03, max: 0.5 } }));
    expect(lagged.value('nodejs_eventloop_lag_max_seconds')).toBe(0.5);
    expect(lagged.value('process_open_fds')).toBe(21);
  });

  it('refuses what the format does not allow (the test\'s own check, so it can fail)', () => {
    expect(() => parseMetrics('x{a="b} 1\n')).toThrow(/not a line of the text format/);
    expect(() => parseMetrics('x one\n')).toThrow(/not a line of the text format/);
    expect(() => parseMetrics('x 1\nx 2\n')).toThrow(/appears twice/);
  });
});
