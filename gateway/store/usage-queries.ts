/**
 * Reading the usage log: filtered, cursor-paged rows (newest first, fast at a million rows through
 * each filter's index: usage-filters.ts), rollups per minute, hour or day with latency percentiles
 * from the bins, each session's rows added up, and every row for export (a batch at a time). Every read first settles the rows still waiting in
 * the inbox (and rollup reads bring the rollups up to date), so a row is readable once written.
 */
import type { Db } from './db';
import { BIN_COLUMNS, FINE_COLUMNS, HISTOGRAM_BOUNDS, latencyCounts } from './latency-bins';
import { decodeCursor, encodeCursor } from './usage-cursor';
import { dimensionWhere, pageQuery, rollupWhere, rowWhere, usageTable } from './usage-filters';
import type { Decision } from '../routing/decision';
import type { ExportCursor, SessionSummary, ToolSeen, UsageAttempt, UsageQueries, UsageRow } from './usage-types';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Session rows read, newest first, to find the recent sessions: a bound on the request, whatever the log holds or the filters ask. */
const SESSION_SCAN = 20_000;
/** Rows read, newest first, to find the tools seen lately: the dashboard asks often, so a bound, not a range. */
const TOOL_SCAN = 5_000;
const EXPORT_BATCH = 500;

export function createUsageQueries(db: Db, { settle, rollup }: { settle: () => void; rollup: () => void }): UsageQueries {
  type Query = { all(...params: unknown[]): unknown[]; get(...params: unknown[]): unknown; iterate(...params: unknown[]): IterableIterator<unknown> };
  const listStatements = new Map<string, Query>();
  // Filters make a handful of distinct statements; each is prepared once.
  const prepared = (sql: string) => {
    let statement = listStatements.get(sql);
    if (!statement) listStatements.set(sql, (statement = db.prepare(sql) as unknown as Query));
    return statement;
  };

  const lastId = db.prepare('SELECT MAX(id) AS id FROM usage');
  const namesSince = db.prepare('SELECT DISTINCT route, deployment, provider, client_key, tool FROM usage_hour WHERE bucket >= ?');
  const byRequestId = db.prepare<[string], DbRow>('SELECT * FROM usage WHERE request_id = ? ORDER BY id DESC LIMIT 1');
  const exportBatch: UsageQueries['exportBatch'] = (filter, from) => {
    const top = from?.top ?? (lastId.get() as { id: number | null }).id ?? 0;
    const after = from ?? { at: Number.MIN_SAFE_INTEGER, id: 0 };
    const { where, params } = rowWhere(filter);
    const sql = `SELECT * FROM ${usageTable(filter)} WHERE ${[...where, 'id <= ?', 'at >= ?', '(at > ? OR id > ?)'].join(' AND ')} ORDER BY at, id LIMIT ${EXPORT_BATCH}`;
    const raw = prepared(sql).all(...params, top, after.at, after.at, after.id) as (DbRow & { id: number })[];
    const last = raw[raw.length - 1];
    return { rows: raw.map(fromDb), next: raw.length === EXPORT_BATCH && last ? { top, at: last.at, id: last.id } : undefined };
  };
  return {
    costSince(since, { tool, ...named }) {
      rollup();
      const scope = tool === undefined ? named : { ...named, toolWithSubagents: tool };
      const firstHour = Math.ceil(since / HOUR) * HOUR;
      const sum = (table: string, { where, params }: { where: string[]; params: unknown[] }) =>
        (prepared(`SELECT COALESCE(SUM(cost), 0) AS cost FROM ${table} WHERE ${where.join(' AND ')}`).all(...params)[0] as { cost: number }).cost;
      // A period that starts mid-hour (midnight in India, Nepal, Newfoundland) takes that part hour
      // from the minute rollups while they are kept (three days), else from the rows, which are kept
      // as long as the hour rollups.
      const part = { since, until: firstHour, ...scope };
      const partHour = firstHour <= since ? 0 : since >= Date.now() - 2 * DAY ? sum('usage_minute', rollupWhere(part)) : sum('usage', dimensionWhere(part, 'at'));
      return sum('usage_hour', rollupWhere({ since: firstHour, ...scope })) + partHour;
    },

    row(requestId) {
      settle();
      const raw = byRequestId.get(requestId);
      if (!raw) return undefined;
      const row = fromDb(raw);
      return { ...row, decision: raw.decision ? (JSON.parse(raw.decision) as Decision) : decisionFromAttempts(row) };
    },

    list(filter, page) {
      settle();
      const limit = Math.min(Math.max(page.limit, 1), 500);
      const { sql, params } = pageQuery(filter, page.before ? decodeCursor(page.before) : undefined, limit + 1);
      const raw = prepared(sql).all(...params) as (DbRow & { id: number })[];
      const more = raw.length > limit;
      const rows = raw.slice(0, limit);
      const last = rows[rows.length - 1];
      return { rows: rows.map(fromDb), next: more && last ? encodeCursor(last.at, last.id) : null };
    },

    names(since) {
      rollup();
      const hour = since === undefined ? 0 : Math.floor(since / HOUR) * HOUR;
      // One pass over the hour rollups for every kind of name: a DISTINCT per column read them five
      // times (290 against 44 ms over 90 days of a million rows).
      const named = namesSince.all(hour) as { route: string; deployment: string; provider: string; client_key: string; tool: string }[];
      const of = (column: keyof (typeof named)[number]) => [...new Set(named.map((r) => r[column]).filter((name) => name !== ''))].sort();
      return { routes: of('route'), deployments: of('deployment'), providers: of('provider'), clientKeys: of('client_key'), tools: of('tool') };
    },

    rollups(filter, granularity, groupBy) {
      rollup();
      // Each table's buckets are its own: a day's starts at midnight in the log's zone, not UTC's.
      const table = `usage_${granularity}`;
      const { where, params } = rollupWhere(filter);
      const groupColumn = groupBy === 'none' ? 'NULL' : groupBy === 'clientKey' ? 'client_key' : groupBy;
      const sql = `SELECT bucket AS b, ${groupColumn} AS g,
          SUM(requests) AS requests, SUM(errors) AS errors, SUM(fallbacks) AS fallbacks,
          SUM(CASE WHEN cached = 1 THEN requests ELSE 0 END) AS cached_requests,
          SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens,
          SUM(cost) AS cost, SUM(would_cost) AS would_cost, SUM(saved) AS saved,
          ${[...BIN_COLUMNS, ...FINE_COLUMNS].map((c) => `SUM(${c}) AS ${c}`).join(', ')}
        FROM ${table} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        GROUP BY b, g ORDER BY b, g`;
      return (prepared(sql).all(...params) as Record<string, number | string | null>[]).map((r) => {
        const histogram = latencyCounts(r);
        return {
          bucket: Number(r.b),
          group: r.g === null ? null : String(r.g),
          requests: Number(r.requests),
          errors: Number(r.errors),
          fallbacks: Number(r.fallbacks),
          cachedRequests: Number(r.cached_requests),
          inputTokens: Number(r.input_tokens),
          outputTokens: Number(r.output_tokens),
          cost: Number(r.cost),
          wouldCost: Number(r.would_cost),
          saved: Number(r.saved),
          latencyP50Ms: percentile(histogram, 0.5),
          latencyP95Ms: percentile(histogram, 0.95),
        };
      });
    },

    sessions(filter, limit) {
      settle();
      const { where, params } = rowWhere(filter);
      const wanted = Math.min(Math.max(Math.floor(limit), 1), 500);
      // Among the range's newest SESSION_SCAN session rows (the other filters applied to those, so no
      // filter makes it read more), the newest first until enough sessions are found. One session
      // named is found through its own index entries instead, however many newer rows there are.
      const range = rowWhere({ since: filter.since, until: filter.until });
      const rest = rowWhere({ ...filter, since: undefined, until: undefined });
      const recent =
        filter.session === undefined
          ? prepared(`SELECT session, client_key, tool FROM (SELECT * FROM usage INDEXED BY usage_session_recent WHERE ${['session IS NOT NULL', ...range.where].join(' AND ')} ORDER BY at DESC LIMIT ${SESSION_SCAN}) WHERE ${['true', ...rest.where].join(' AND ')} ORDER BY at DESC`)
          : prepared(`SELECT session, client_key, tool, MAX(at) AS newest FROM usage INDEXED BY usage_session_at WHERE ${where.join(' AND ')} GROUP BY client_key ORDER BY newest DESC`);
      // (With MAX(at) among the columns, SQLite takes a group's other columns from its newest row.)
      type Found = { session: string; client_key: string; tool: string | null };
      const found = new Map<string, Found>();
      const scanParams = filter.session === undefined ? [...range.params, ...rest.params] : params;
      // The newest row of each comes first, so the tool it names is the one the session was last sent from.
      for (const row of recent.iterate(...scanParams) as IterableIterator<Found>) {
        const key = `${row.client_key}\u0000${row.session}`;
        if (!found.has(key)) found.set(key, row);
        if (found.size >= wanted) break;
      }
      // Each one added up from its own rows (its index entries), in the same range and filters.
      const mine = ['session = ?', 'client_key = ?', ...where].join(' AND ');
      const totals = prepared(`SELECT COUNT(*) AS requests, SUM(CASE WHEN status >= 400 OR error_class IS NOT NULL THEN 1 ELSE 0 END) AS errors, SUM(fallback) AS fallbacks,
        SUM(COALESCE(input_tokens, 0)) AS inputTokens, SUM(COALESCE(output_tokens, 0)) AS outputTokens, SUM(cost) AS cost, SUM(saved) AS saved, MIN(at) AS firstAt, MAX(at) AS lastAt
        FROM usage INDEXED BY usage_session_at WHERE ${mine}`);
      const answered = prepared(`SELECT deployment FROM usage INDEXED BY usage_session_at WHERE ${mine} AND deployment IS NOT NULL GROUP BY deployment ORDER BY COUNT(*) DESC, deployment`);
      return [...found.values()].map(({ session, client_key, tool }) => ({
        session,
        clientKey: client_key,
        tool,
        ...(totals.get(session, client_key, ...params) as Omit<SessionSummary, 'session' | 'clientKey' | 'tool' | 'deployments'>),
        deployments: (answered.all(session, client_key, ...params) as { deployment: string }[]).map((r) => r.deployment),
      }));
    },

    tools(since, limit) {
      settle();
      const seen = prepared(`SELECT tool, COUNT(*) AS requests, MAX(at) AS lastAt FROM (SELECT tool, at FROM usage WHERE at >= ? ORDER BY at DESC LIMIT ${TOOL_SCAN})
        WHERE tool IS NOT NULL GROUP BY tool ORDER BY lastAt DESC LIMIT ?`);
      return seen.all(since, Math.min(Math.max(Math.floor(limit), 1), 100)) as ToolSeen[];
    },

    written(filter, limit, after) {
      settle();
      const top = (lastId.get() as { id: number | null }).id ?? 0;
      const { where, params } = rowWhere(filter);
      where.push('id > ?', 'id <= ?');
      params.push(after ?? 0, top);
      const take = Math.min(Math.max(Math.floor(limit), after === undefined ? 0 : 1), 1_000);
      // The newest first when starting, so only the last `take` are read; oldest first after a cursor.
      const raw = prepared(`SELECT * FROM usage WHERE ${where.join(' AND ')} ORDER BY id ${after === undefined ? 'DESC' : 'ASC'} LIMIT ${take}`).all(...params) as (DbRow & { id: number })[];
      if (after === undefined) return { rows: raw.reverse().map(fromDb), cursor: top };
      // A full batch may have more behind it, up to the top.
      return { rows: raw.map(fromDb), cursor: raw.length === take ? (raw[raw.length - 1] as { id: number }).id : top };
    },

    *iterate(filter) {
      settle();
      // Batches read whole: while an export waits for a slow reader no statement is open on the
      // connection every usage row needs (better-sqlite3 refuses one while another iterates).
      let from: ExportCursor | undefined;
      do {
        const batch = exportBatch(filter, from);
        yield* batch.rows;
        from = batch.next;
      } while (from);
    },

    exportBatch,
  };
}

interface DbRow {
  request_id: string;
  at: number;
  endpoint: string;
  client_key: string;
  model: string;
  route: string | null;
  deployment: string | null;
  provider: string | null;
  status: number;
  error_class: string | null;
  error_message: string | null;
  session: string | null;
  tool: string | null;
  fallback: number;
  stream: number;
  cached: number;
  input_tokens: number | null;
  output_tokens: number | null;
  tokens_estimated: number;
  api: string | null;
  cache_read_tokens: number | null;
  cache_write_tokens: number | null;
  cost: number;
  would_cost: number;
  saved: number;
  ttft_ms: number | null;
  total_ms: number;
  attempts: string;
  decision: string | null;
}

/** The decision of a row whose decision said no more than its attempts (see usage-log.ts). */
function decisionFromAttempts(row: UsageRow): Decision | null {
  if (row.attempts.length === 0) return null;
  return {
    route: row.route ?? row.model,
    ...(row.route === null ? { direct: true } : {}),
    strategy: 'ordered',
    steps: row.attempts.map((a) => ({
      deployment: a.deployment,
      outcome: a.outcome,
      ...(a.failure ? { reason: a.failure } : {}),
      ...(a.status !== undefined ? { status: a.status } : {}),
      ms: Math.round(a.latencyMs),
      ...(a.message ? { message: a.message } : {}),
    })),
  };
}

function fromDb(r: DbRow): UsageRow {
  return {
    id: r.request_id,
    at: r.at,
    endpoint: r.endpoint,
    api: r.api,
    clientKey: r.client_key,
    model: r.model,
    route: r.route,
    deployment: r.deployment,
    provider: r.provider,
    status: r.status,
    errorClass: r.error_class,
    errorMessage: r.error_message,
    session: r.session,
    tool: r.tool,
    attempts: JSON.parse(r.attempts) as UsageAttempt[],
    fallback: r.fallback === 1,
    stream: r.stream === 1,
    cached: r.cached === 1,
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
    cacheReadTokens: r.cache_read_tokens,
    cacheWriteTokens: r.cache_write_tokens,
    tokensEstimated: r.tokens_estimated === 1,
    cost: r.cost,
    wouldCost: r.would_cost,
    saved: r.saved,
    ttftMs: r.ttft_ms,
    totalMs: r.total_ms,
  };
}

/** A percentile from the counts under HISTOGRAM_BOUNDS, interpolated inside its bin. */
function percentile(counts: number[], q: number): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const target = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i] as number;
    if (seen + count >= target && count > 0) {
      const low = i === 0 ? 0 : (HISTOGRAM_BOUNDS[i - 1] as number);
      const high = Number.isFinite(HISTOGRAM_BOUNDS[i]) ? (HISTOGRAM_BOUNDS[i] as number) : low * 2;
      return Math.round(low + ((target - seen) / count) * (high - low));
    }
    seen += count;
  }
  return null;
}
