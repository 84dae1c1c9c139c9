/** Usage: filters, charts per day (requests and tokens by provider, requests and cost by tool, fallbacks, cost vs would-have-cost), sessions, a paged table and CSV export. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartBox, ChartLegend, SERIES_COLORS } from '../../ui/chart-box';
import { costTick, costTicks } from '../../ui/cost-axis';
import { usageQueries, type UsageParams } from '../../api/queries/usage';
import type { RollupPoint } from '../../api/types';
import { DecisionList } from '../routing/decision-view';
import { SessionKept, SessionsCard, SessionTotals } from './sessions-card';
import { KeptBodies } from './kept-bodies';
import { Filters, RANGES } from './usage-filters';
import { Badge, Card, duration, Empty, ErrorNote, Loading, Moment, money, opener, tokenCount } from '../../ui/parts';
import { StackedTable } from '../../ui/stacked-table';

/** The filters a link or a reload carries (`/usage?tool=Codex`, as the Overview links a tool): the query's own names, nothing else. */
const LINKED = ['route', 'deployment', 'provider', 'clientKey', 'tool', 'session', 'status', 'cached'] as const;
const linkedFilters = (): UsageParams => {
  const query = new URLSearchParams(window.location.search);
  return Object.fromEntries(LINKED.flatMap((key) => (query.get(key) ? [[key, query.get(key) as string]] : [])));
};

/** The range a link or a reload carries (`days=30`); a week where it names none of the ranges. */
const DEFAULT_RANGE = '7 days';
const linkedRange = (): string => {
  const days = Number(new URLSearchParams(window.location.search).get('days'));
  return Object.keys(RANGES).find((range) => RANGES[range] === days) ?? DEFAULT_RANGE;
};

export function UsagePage() {
  const [range, setRange] = useState(linkedRange);
  const [filters, setFilters] = useState<UsageParams>(linkedFilters);
  // The address says what is shown: a reload, a bookmark or a copied link opens the same filters and range.
  useEffect(() => {
    const linked = LINKED.flatMap((key) => (filters[key] ? [[key, filters[key] as string]] : []));
    if (range !== DEFAULT_RANGE) linked.push(['days', String(RANGES[range])]);
    const query = new URLSearchParams(linked).toString();
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${query ? `?${query}` : ''}`);
  }, [filters, range]);
  const [pages, setPages] = useState<string[]>([]);
  // Rounded to the minute so the query key stays the same between renders.
  const since = String(Math.floor(Date.now() / 60_000) * 60_000 - (RANGES[range] as number) * 86_400_000);
  const params: UsageParams = { ...filters, since };
  const setFilter = (key: keyof UsageParams, value: string) => {
    setFilters({ ...filters, [key]: value || undefined });
    setPages([]);
  };
  // A session is one client key's: its id alone may be another key's session too.
  const chooseSession = (session: string, clientKey: string) => {
    setFilters({ ...filters, session, clientKey });
    setPages([]);
  };
  return (
    <>
      <h1>Usage</h1>
      <p className="sub">Every request, what answered it, what it cost, and what local models saved.</p>
      <Filters range={range} since={since} setRange={(r) => { setRange(r); setPages([]); }} filters={filters} setFilter={setFilter} />
      {filters.session ? (
        <div className="card spread" style={{ marginBottom: 16 }} data-testid="session-filter">
          <div>
            <div>Requests of session <code>{filters.session}</code> ({filters.clientKey ?? 'any key'}) only</div>
            <SessionTotals params={params} />
            <SessionKept session={filters.session} clientKey={filters.clientKey ?? 'anonymous'} />
          </div>
          <button onClick={() => setFilters({ ...filters, session: undefined })}>Show every session</button>
        </div>
      ) : (
        <>
          {/* The rollups behind the charts keep no sessions: they show the range whatever the session. */}
          <Charts params={params} days={RANGES[range] as number} />
          <div style={{ height: 16 }} />
          <SessionsCard params={params} onChoose={(s) => chooseSession(s.session, s.clientKey)} />
        </>
      )}
      <div style={{ height: 16 }} />
      <Rows params={{ ...params, limit: '50', before: pages[pages.length - 1] }} onNext={(cursor) => setPages([...pages, cursor])} onPrevious={pages.length ? () => setPages(pages.slice(0, -1)) : undefined} exportUrl={usageQueries.exportUrl(params)} onSession={chooseSession} />
    </>
  );
}

/** A bucket as the gateway counts it: a day starts at midnight in its zone, which may not be this browser's. */
const bucketLabel = (bucket: number, granularity: 'hour' | 'day', timeZone: string) =>
  granularity === 'day' ? new Date(bucket).toLocaleDateString([], { month: 'short', day: 'numeric', timeZone }) : new Date(bucket).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', timeZone });

/** A chart's rows, one per bucket of its axis (every bucket of the range, quiet ones too), oldest first. */
function rowsFor<Row>(buckets: number[], empty: (bucket: number) => Row): Map<number, Row> {
  return new Map(buckets.map((bucket) => [bucket, empty(bucket)]));
}

/** A dollar axis up to the largest value charted (a stack's total, or a line's highest point); an element, not a component, as recharts finds its axes among the chart's own children. */
function costAxis(max: number) {
  const ticks = costTicks(max);
  // Nothing spent: $0 at the foot of the axis (a domain of [0, 0] put it midway, with room for less than nothing below).
  return <YAxis stroke="var(--muted)" fontSize={11} width={70} ticks={ticks} domain={[0, (ticks.at(-1) as number) || 1]} tickFormatter={costTick} />;
}
const moneyTip = (value: unknown) => money(Number(value));
// Counts: an axis says 1.5M, a tooltip the whole number grouped (1,482,113), as the CLI does.
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const countTick = (value: number) => compact.format(value);
const countTip = (value: unknown) => Number(value).toLocaleString('en-US');

function byBucket(points: RollupPoint[], buckets: number[], granularity: 'hour' | 'day', timeZone: string, value: (p: RollupPoint) => number, unnamed = 'none answered') {
  const days = rowsFor<Record<string, number | string>>(buckets, (bucket) => ({ day: bucketLabel(bucket, granularity, timeZone) }));
  const groups = new Set<string>();
  for (const p of points) {
    // '' is the requests no provider answered (refused, unknown model, every attempt failed), or that named no tool: they count, under a name.
    const group = p.group === null ? 'all' : p.group || unnamed;
    groups.add(group);
    const row = days.get(p.bucket) as Record<string, number | string>;
    row[group] = ((row[group] as number | undefined) ?? 0) + value(p);
  }
  return { data: [...days.values()], groups: [...groups] };
}

function Charts({ params, days }: { params: UsageParams; days: number }) {
  const granularity = days <= 1 ? 'hour' : 'day';
  const byProvider = useQuery({ ...usageQueries.rollups({ ...params, granularity, groupBy: 'provider' }), placeholderData: keepPreviousData });
  const byTool = useQuery({ ...usageQueries.rollups({ ...params, granularity, groupBy: 'tool' }), placeholderData: keepPreviousData });
  if (byProvider.isPending || byTool.isPending) return <Loading what="charts" />;
  if (byProvider.isError || byTool.isError) return <ErrorNote error={byProvider.error ?? byTool.error} />;
  const { points, buckets, timeZone } = byProvider.data;
  if (points.length === 0) return <Empty>No requests in this range yet. Send one from the Playground or point a tool at the base URL.</Empty>;
  const requests = byBucket(points, buckets, granularity, timeZone, (p) => p.requests);
  const tokens = byBucket(points, buckets, granularity, timeZone, (p) => p.inputTokens + p.outputTokens);
  // Requests counted before the rollups kept tools, and those whose headers named none, are "unnamed".
  const toolRequests = byBucket(byTool.data.points, buckets, granularity, timeZone, (p) => p.requests, 'unnamed');
  const toolCost = byBucket(byTool.data.points, buckets, granularity, timeZone, (p) => p.cost, 'unnamed');
  const money = rowsFor(buckets, (bucket) => ({ day: bucketLabel(bucket, granularity, timeZone), cost: 0, wouldCost: 0, fallbacks: 0, errors: 0 }));
  for (const p of points) {
    const row = money.get(p.bucket) as { cost: number; wouldCost: number; fallbacks: number; errors: number };
    row.cost += p.cost;
    row.wouldCost += p.wouldCost;
    row.fallbacks += p.fallbacks;
    row.errors += p.errors;
  }
  const moneyData = [...money.values()];
  // The gateway's days (its budgets' and the Overview's "today") may not be this browser's, on a server elsewhere.
  const here = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const stacked = (title: string, chart: { data: Record<string, number | string>[]; groups: string[] }, usd = false) => (
    <Card title={title}>
      <ChartBox>
        <BarChart data={chart.data}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
          <XAxis dataKey="day" stroke="var(--muted)" fontSize={11} />
          {usd ? costAxis(Math.max(0, ...chart.data.map((row) => chart.groups.reduce((sum, g) => sum + ((row[g] as number | undefined) ?? 0), 0)))) : <YAxis stroke="var(--muted)" fontSize={11} allowDecimals={false} tickFormatter={countTick} />}
          <Tooltip formatter={usd ? moneyTip : countTip} />
          <ChartLegend />
          {chart.groups.map((g, i) => <Bar key={g} dataKey={g} stackId="a" fill={SERIES_COLORS[i % SERIES_COLORS.length]} isAnimationActive={false} />)}
        </BarChart>
      </ChartBox>
    </Card>
  );
  return (
    <>
      {timeZone !== here ? <p className="muted" data-testid="chart-zone">The charts count days and hours in the gateway's zone, {timeZone}; the requests below show this browser's time ({here}).</p> : null}
      <div className="grid cols-2">
        {stacked('Requests by provider', requests)}
        {stacked('Tokens by provider', tokens)}
        {stacked('Requests by tool', toolRequests)}
        {stacked('Cost by tool', toolCost, true)}
        <Card title="Cost vs what it would have cost">
          <ChartBox>
            <LineChart data={moneyData}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
              <XAxis dataKey="day" stroke="var(--muted)" fontSize={11} />
              {costAxis(Math.max(0, ...moneyData.map((row) => Math.max(row.cost, row.wouldCost))))}
              <Tooltip formatter={moneyTip} />
              <ChartLegend />
              <Line dataKey="cost" name="cost" stroke={SERIES_COLORS[0]} isAnimationActive={false} />
              <Line dataKey="wouldCost" name="would have cost" stroke={SERIES_COLORS[1]} strokeDasharray="4 3" isAnimationActive={false} />
            </LineChart>
          </ChartBox>
        </Card>
        <Card title="Fallbacks and errors">
          <ChartBox>
            <BarChart data={moneyData}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
              <XAxis dataKey="day" stroke="var(--muted)" fontSize={11} />
              <YAxis stroke="var(--muted)" fontSize={11} allowDecimals={false} tickFormatter={countTick} />
              <Tooltip formatter={countTip} />
              <ChartLegend />
              <Bar dataKey="fallbacks" fill={SERIES_COLORS[1]} isAnimationActive={false} />
              <Bar dataKey="errors" fill={SERIES_COLORS[4]} isAnimationActive={false} />
            </BarChart>
          </ChartBox>
        </Card>
      </div>
    </>
  );
}

function Rows({ params, onNext, onPrevious, exportUrl, onSession }: { params: UsageParams; onNext: (cursor: string) => void; onPrevious: (() => void) | undefined; exportUrl: string; onSession: (session: string, clientKey: string) => void }) {
  const rows = useQuery({ ...usageQueries.rows(params), placeholderData: keepPreviousData });
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Card
      title="Requests"
      actions={
        <div className="row">
          <a className="button" href={`${exportUrl}&format=csv`} download>Export CSV</a>
          <a className="button" href={`${exportUrl}&format=json`} download>Export JSON</a>
        </div>
      }
    >
      {rows.isPending ? <Loading what="requests" /> : null}
      {rows.isError ? <ErrorNote error={rows.error} /> : null}
      {rows.data && rows.data.rows.length === 0 ? <Empty>No requests match these filters.</Empty> : null}
      {rows.data && rows.data.rows.length > 0 ? (
        <StackedTable className="requests-table" data-testid="usage-table">
          <thead>
            <tr><th>Time</th><th>From</th><th>API</th><th>Model</th><th>Answered by</th><th>Status</th><th>Tokens</th><th>Cost</th><th>Saved</th><th>Latency</th></tr>
          </thead>
          <tbody>
            {rows.data.rows.map((r) => (
              <tr key={r.id} {...opener(`Details of request ${r.id}`, () => setOpen(r.id))}>
                <td data-label="Time"><Moment at={r.at} /></td>
                {/* The tool, and the client key unless it is none: one column, so the table fits a laptop's window. */}
                <td data-label="From"><span className="from">{r.tool ?? '-'}{r.clientKey !== 'anonymous' ? <span className="muted"> · {r.clientKey}</span> : null}</span></td>
                <td data-label="API">{r.api ?? '-'}</td>
                <td data-label="Model"><span className="clip" title={r.model}>{r.model || '-'}</span>{r.stream ? <span className="muted"> · stream</span> : null}</td>
                <td data-label="Answered by">
                  {r.deployment ?? '-'} {r.fallback ? <Badge tone="warn">fallback</Badge> : null} {r.cached ? <Badge tone="info">cache</Badge> : null}
                </td>
                <td data-label="Status"><Badge tone={r.status < 400 && !r.errorClass ? 'ok' : 'bad'}>{r.status}</Badge> {r.errorClass ? <span className="muted">{r.errorClass}</span> : null}</td>
                <td data-label="Tokens">{tokenCount(r.inputTokens)} / {tokenCount(r.outputTokens)}{r.tokensEstimated ? <span className="muted"> est.</span> : null}{r.cacheReadTokens ? <span className="muted"> · {tokenCount(r.cacheReadTokens)} cached</span> : null}</td>
                <td data-label="Cost">{money(r.cost)}</td>
                <td data-label="Saved">{money(r.saved)}</td>
                <td data-label="Latency">{duration(r.totalMs)}</td>
              </tr>
            ))}
          </tbody>
        </StackedTable>
      ) : null}
      <div className="row" style={{ marginTop: 10 }}>
        <button disabled={!onPrevious} onClick={onPrevious}>Newer</button>
        <button disabled={!rows.data?.next} onClick={() => rows.data?.next && onNext(rows.data.next)}>Older</button>
        <span className="muted">{onPrevious ? 'An older page: it stays as it was read.' : 'The newest first, updated as requests are logged.'}</span>
      </div>
      {open ? <RequestDrawer requestId={open} onClose={() => setOpen(null)} onSession={(session, clientKey) => (setOpen(null), onSession(session, clientKey))} /> : null}
    </Card>
  );
}

/** One request in full: its row, every attempt, and how it was routed. */
function RequestDrawer({ requestId, onClose, onSession }: { requestId: string; onClose: () => void; onSession: (session: string, clientKey: string) => void }) {
  const detail = useQuery(usageQueries.detail(requestId));
  const drawer = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  // The focus goes into the drawer, so a keyboard's next Tab is in it, and back to the row that opened it.
  useEffect(() => {
    const from = document.activeElement;
    drawer.current?.focus();
    return () => {
      if (from instanceof HTMLElement && from.isConnected) from.focus();
    };
  }, []);
  return (
    <div className="drawer" role="dialog" aria-label="Request details" data-testid="request-drawer" tabIndex={-1} ref={drawer}>
      <div className="spread"><h2 style={{ margin: 0 }}>Request</h2><button onClick={onClose}>Close</button></div>
      <p className="muted"><code>{requestId}</code></p>
      {detail.isPending ? <Loading what="the request" /> : null}
      {detail.isError ? <ErrorNote error={detail.error} /> : null}
      {detail.data ? (
        <>
          <table>
            <tbody>
              <tr><td>When</td><td>{new Date(detail.data.at).toLocaleString()}</td></tr>
              <tr><td>Sent by</td><td className="long-text">{detail.data.tool ?? 'a client that named no tool'} <span className="muted">· key {detail.data.clientKey}</span></td></tr>
              <tr><td>Front door</td><td>{detail.data.api ?? '-'} · {detail.data.endpoint}</td></tr>
              {detail.data.session ? (
                <tr><td>Session</td><td><code className="long-text">{detail.data.session}</code> <button onClick={() => onSession(detail.data.session as string, detail.data.clientKey)}>Its requests</button></td></tr>
              ) : null}
              <tr><td>Model asked for</td><td className="long-text">{detail.data.model || '-'}</td></tr>
              <tr><td>Answered by</td><td>{detail.data.deployment ?? '-'} {detail.data.provider ? <span className="muted">({detail.data.provider})</span> : null}</td></tr>
              <tr><td>Status</td><td>{detail.data.status} {detail.data.errorClass ? <span className="muted">{detail.data.errorClass}</span> : null}</td></tr>
              {detail.data.errorMessage ? <tr><td>Error</td><td className="error-message">{detail.data.errorMessage}</td></tr> : null}
              <tr><td>Tokens</td><td>{tokenCount(detail.data.inputTokens)} in / {tokenCount(detail.data.outputTokens)} out{detail.data.cacheReadTokens ? ` · ${tokenCount(detail.data.cacheReadTokens)} cached` : ''}</td></tr>
              <tr><td>Cost</td><td>{money(detail.data.cost)} <span className="muted">(saved {money(detail.data.saved)})</span></td></tr>
              <tr><td>Latency</td><td>{duration(detail.data.totalMs)}{detail.data.ttftMs !== null ? `, first token ${duration(detail.data.ttftMs)}` : ''}</td></tr>
            </tbody>
          </table>
          <h3>How it was routed</h3>
          {detail.data.decision ? <DecisionList decision={detail.data.decision} /> : <Empty>This request was not routed (it was refused before a route was chosen).</Empty>}
          <h3>Prompt and answer</h3>
          <KeptBodies requestId={requestId} endpoint={detail.data.endpoint} />
        </>
      ) : null}
    </div>
  );
}
