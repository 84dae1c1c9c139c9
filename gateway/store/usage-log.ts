/**
 * The usage log: one row per client request, written synchronously when the request ends (WAL, so
 * a process killed with SIGKILL loses no finished request). The hot path writes that one row only;
 * per-minute, per-hour and per-day rollups are filled from new rows in batches (every few seconds,
 * and before any rollup query, so charts are never stale), so charts over a million rows read a few
 * thousand rollup rows. Latency percentiles come from a fixed histogram in each rollup row.
 */
import type { Db } from './db';

export interface UsageAttempt {
  deployment: string;
  provider: string;
  outcome: 'ok' | 'failed';
  failure?: string;
  status?: number;
  latencyMs: number;
}

export interface UsageRow {
  id: string;
  at: number;
  endpoint: string;
  clientKey: string;
  model: string;
  route: string | null;
  deployment: string | null;
  provider: string | null;
  status: number;
  errorClass: string | null;
  attempts: UsageAttempt[];
  fallback: boolean;
  stream: boolean;
  cached: boolean;
  inputTokens: number | null;
  outputTokens: number | null;
  tokensEstimated: boolean;
  cost: number;
  wouldCost: number;
  saved: number;
  ttftMs: number | null;
  totalMs: number;
}

export interface UsageFilter {
  since?: number;
  until?: number;
  route?: string;
  deployment?: string;
  provider?: string;
  clientKey?: string;
  /** 'ok' (2xx), 'error' (anything else), or an exact status code. */
  status?: 'ok' | 'error' | number;
  cached?: boolean;
}

export type Granularity = 'minute' | 'hour' | 'day';
export type GroupBy = 'none' | 'deployment' | 'provider' | 'route' | 'clientKey';

export interface RollupPoint {
  bucket: number;
  group: string | null;
  requests: number;
  errors: number;
  fallbacks: number;
  cachedRequests: number;
  inputTokens: number;
  outputTokens: number;
  cost: number;
  wouldCost: number;
  saved: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
}

/** Upper bounds (ms) of the latency histogram bins; the last is open-ended. */
export const LATENCY_BINS = [50, 100, 200, 300, 500, 750, 1_000, 1_500, 2_000, 3_000, 5_000, 7_500, 10_000, 20_000, 60_000, Number.POSITIVE_INFINITY];
const BIN_COLUMNS = LATENCY_BINS.map((_, i) => `l${i}`);

export const USAGE_MIGRATION = `
  CREATE TABLE usage (
    request_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    endpoint TEXT NOT NULL,
    client_key TEXT NOT NULL,
    model TEXT NOT NULL,
    route TEXT,
    deployment TEXT,
    provider TEXT,
    status INTEGER NOT NULL,
    error_class TEXT,
    attempt_count INTEGER NOT NULL,
    fallback INTEGER NOT NULL,
    stream INTEGER NOT NULL,
    cached INTEGER NOT NULL,
    input_tokens INTEGER,
    output_tokens INTEGER,
    tokens_estimated INTEGER NOT NULL,
    cost REAL NOT NULL,
    would_cost REAL NOT NULL,
    saved REAL NOT NULL,
    ttft_ms REAL,
    total_ms REAL NOT NULL,
    attempts TEXT NOT NULL
  );
  CREATE INDEX usage_at ON usage (at);
  CREATE INDEX usage_deployment_at ON usage (deployment, at);
  CREATE INDEX usage_client_key_at ON usage (client_key, at);
  CREATE TABLE usage_rollup_state (id INTEGER PRIMARY KEY CHECK (id = 1), last_rowid INTEGER NOT NULL);
  INSERT INTO usage_rollup_state VALUES (1, 0);
  ${['minute', 'hour', 'day']
    .map(
      (g) => `CREATE TABLE usage_${g} (
    bucket INTEGER NOT NULL,
    route TEXT NOT NULL,
    deployment TEXT NOT NULL,
    provider TEXT NOT NULL,
    client_key TEXT NOT NULL,
    cached INTEGER NOT NULL,
    requests INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    fallbacks INTEGER NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    cost REAL NOT NULL,
    would_cost REAL NOT NULL,
    saved REAL NOT NULL,
    ${BIN_COLUMNS.map((c) => `${c} INTEGER NOT NULL`).join(', ')},
    PRIMARY KEY (bucket, route, deployment, provider, client_key, cached)
  ) WITHOUT ROWID;`,
    )
    .join('\n')}
  CREATE TABLE usage_bodies (
    request_id TEXT PRIMARY KEY,
    at INTEGER NOT NULL,
    request TEXT,
    response TEXT
  );
  CREATE INDEX usage_bodies_at ON usage_bodies (at);
`;

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface UsageLog {
  /** Writes a row now, in its own transaction. */
  record(row: UsageRow, bodies?: { request: string; response: string }): void;
  /**
   * Writes a row with the others that arrive in the same turn of the event loop, in one
   * transaction (group commit); resolves once it is committed. Under load this cuts the cost per
   * row several times, and a caller that waits before sending its last byte keeps the guarantee
   * that a row exists for every answer a client received.
   */
  recordSoon(row: UsageRow, bodies?: { request: string; response: string }): Promise<void>;
  /** Brings the rollup tables up to date with the rows written so far. */
  rollup(): void;
  list(filter: UsageFilter, page: { limit: number; before?: string | undefined }): { rows: UsageRow[]; next: string | null };
  rollups(filter: UsageFilter, granularity: Granularity, groupBy: GroupBy): RollupPoint[];
  /** Every matching row, oldest first (for export). */
  iterate(filter: UsageFilter): IterableIterator<UsageRow>;
  prune(rowsBefore: number, bodiesBefore: number): void;
  body(requestId: string): { request: string | null; response: string | null } | undefined;
}

export function createUsageLog(db: Db): UsageLog {
  const insertRow = db.prepare(`INSERT INTO usage VALUES (${Array(23).fill('?').join(', ')})`);
  const insertBodies = db.prepare('INSERT OR REPLACE INTO usage_bodies VALUES (?, ?, ?, ?)');
  const selectBody = db.prepare<[string], { request: string | null; response: string | null }>('SELECT request, response FROM usage_bodies WHERE request_id = ?');
  const lastRolled = db.prepare<[], { last_rowid: number }>('SELECT last_rowid FROM usage_rollup_state WHERE id = 1');
  const newest = db.prepare<[], { id: number | null }>('SELECT MAX(rowid) AS id FROM usage');
  const setRolled = db.prepare('UPDATE usage_rollup_state SET last_rowid = ? WHERE id = 1');
  const bins = LATENCY_BINS.map((high, i) => {
    const low = i === 0 ? -1 : (LATENCY_BINS[i - 1] as number);
    return Number.isFinite(high) ? `SUM(CASE WHEN total_ms > ${low} AND total_ms <= ${high} THEN 1 ELSE 0 END)` : `SUM(CASE WHEN total_ms > ${low} THEN 1 ELSE 0 END)`;
  });
  const rollInto = (table: string, size: number) =>
    db.prepare(
      `INSERT INTO ${table}
       SELECT (at / ${size}) * ${size}, COALESCE(route, ''), COALESCE(deployment, ''), COALESCE(provider, ''), client_key, cached,
         COUNT(*), SUM(CASE WHEN status >= 400 OR error_class IS NOT NULL THEN 1 ELSE 0 END), SUM(fallback),
         SUM(COALESCE(input_tokens, 0)), SUM(COALESCE(output_tokens, 0)), SUM(cost), SUM(would_cost), SUM(saved),
         ${bins.join(', ')}
       FROM usage WHERE rowid > ? AND rowid <= ?
       GROUP BY 1, 2, 3, 4, 5, 6
       ON CONFLICT (bucket, route, deployment, provider, client_key, cached) DO UPDATE SET
       requests = requests + excluded.requests, errors = errors + excluded.errors, fallbacks = fallbacks + excluded.fallbacks,
       input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens,
       cost = cost + excluded.cost, would_cost = would_cost + excluded.would_cost, saved = saved + excluded.saved,
       ${BIN_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`,
    );
  const rollMinute = rollInto('usage_minute', MINUTE);
  const rollHour = rollInto('usage_hour', HOUR);
  const rollDay = rollInto('usage_day', DAY);

  const insert = (row: UsageRow, bodies?: { request: string; response: string }) => {
    insertRow.run(
      row.id,
      row.at,
      row.endpoint,
      row.clientKey,
      row.model,
      row.route,
      row.deployment,
      row.provider,
      row.status,
      row.errorClass,
      row.attempts.length,
      row.fallback ? 1 : 0,
      row.stream ? 1 : 0,
      row.cached ? 1 : 0,
      row.inputTokens,
      row.outputTokens,
      row.tokensEstimated ? 1 : 0,
      row.cost,
      row.wouldCost,
      row.saved,
      row.ttftMs,
      row.totalMs,
      JSON.stringify(row.attempts),
    );
    if (bodies) insertBodies.run(row.id, row.at, bodies.request, bodies.response);
  };
  const write = db.transaction(insert);
  type Pending = { row: UsageRow; bodies: { request: string; response: string } | undefined; done: () => void; failed: (error: unknown) => void };
  let pending: Pending[] = [];
  const writeAll = db.transaction((batch: Pending[]) => {
    for (const item of batch) insert(item.row, item.bodies);
  });
  const flush = () => {
    const batch = pending;
    pending = [];
    try {
      writeAll(batch);
      for (const item of batch) item.done();
    } catch (error) {
      for (const item of batch) item.failed(error);
    }
  };

  /** Folds rows written since the last run into the rollup tables, in one transaction. */
  const rollup = db.transaction(() => {
    const from = lastRolled.get()?.last_rowid ?? 0;
    const to = newest.get()?.id ?? 0;
    if (to <= from) return;
    rollMinute.run(from, to);
    rollHour.run(from, to);
    rollDay.run(from, to);
    setRolled.run(to);
  });

  type Query = { all(...params: unknown[]): unknown[] };
  const listStatements = new Map<string, Query>();
  // Filters make a handful of distinct statements; each is prepared once.
  const prepared = (sql: string) => {
    let statement = listStatements.get(sql);
    if (!statement) {
      statement = db.prepare(sql) as unknown as Query;
      listStatements.set(sql, statement);
    }
    return statement;
  };

  return {
    record: (row, bodies) => write(row, bodies),
    recordSoon: (row, bodies) =>
      new Promise<void>((done, failed) => {
        if (pending.length === 0) setImmediate(flush);
        pending.push({ row, bodies, done, failed });
      }),
    rollup: () => rollup(),

    list(filter, page) {
      const { where, params } = rowWhere(filter);
      const cursor = page.before ? decodeCursor(page.before) : undefined;
      if (cursor) {
        where.push('(at < ? OR (at = ? AND rowid < ?))');
        params.push(cursor.at, cursor.at, cursor.rowid);
      }
      const limit = Math.min(Math.max(page.limit, 1), 500);
      const sql = `SELECT rowid, * FROM usage ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, rowid DESC LIMIT ${limit + 1}`;
      const raw = prepared(sql).all(...params) as (DbRow & { rowid: number })[];
      const more = raw.length > limit;
      const rows = raw.slice(0, limit);
      const last = rows[rows.length - 1];
      return { rows: rows.map(fromDb), next: more && last ? encodeCursor(last.at, last.rowid) : null };
    },

    rollups(filter, granularity, groupBy) {
      rollup();
      const table = `usage_${granularity}`;
      const size = granularity === 'minute' ? MINUTE : granularity === 'hour' ? HOUR : DAY;
      const { where, params } = rollupWhere(filter);
      const groupColumn = groupBy === 'none' ? 'NULL' : groupBy === 'clientKey' ? 'client_key' : groupBy;
      const sql = `SELECT (bucket / ${size}) * ${size} AS b, ${groupColumn} AS g,
          SUM(requests) AS requests, SUM(errors) AS errors, SUM(fallbacks) AS fallbacks,
          SUM(CASE WHEN cached = 1 THEN requests ELSE 0 END) AS cached_requests,
          SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens,
          SUM(cost) AS cost, SUM(would_cost) AS would_cost, SUM(saved) AS saved,
          ${BIN_COLUMNS.map((c) => `SUM(${c}) AS ${c}`).join(', ')}
        FROM ${table} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        GROUP BY b, g ORDER BY b, g`;
      return (prepared(sql).all(...params) as Record<string, number | string | null>[]).map((r) => {
        const histogram = BIN_COLUMNS.map((c) => Number(r[c] ?? 0));
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

    *iterate(filter) {
      const { where, params } = rowWhere(filter);
      const statement = db.prepare(`SELECT * FROM usage ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at, rowid`);
      for (const raw of statement.iterate(...(params as never[]))) yield fromDb(raw as DbRow);
    },

    prune(rowsBefore, bodiesBefore) {
      rollup();
      db.prepare('DELETE FROM usage WHERE at < ?').run(rowsBefore);
      db.prepare('DELETE FROM usage_hour WHERE bucket < ?').run(rowsBefore);
      db.prepare('DELETE FROM usage_day WHERE bucket < ?').run(rowsBefore);
      // Minute buckets serve only recent charts.
      db.prepare('DELETE FROM usage_minute WHERE bucket < ?').run(Math.max(rowsBefore, Date.now() - 3 * DAY));
      db.prepare('DELETE FROM usage_bodies WHERE at < ?').run(bodiesBefore);
    },

    body: (requestId) => selectBody.get(requestId),
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
  fallback: number;
  stream: number;
  cached: number;
  input_tokens: number | null;
  output_tokens: number | null;
  tokens_estimated: number;
  cost: number;
  would_cost: number;
  saved: number;
  ttft_ms: number | null;
  total_ms: number;
  attempts: string;
}

function fromDb(r: DbRow): UsageRow {
  return {
    id: r.request_id,
    at: r.at,
    endpoint: r.endpoint,
    clientKey: r.client_key,
    model: r.model,
    route: r.route,
    deployment: r.deployment,
    provider: r.provider,
    status: r.status,
    errorClass: r.error_class,
    attempts: JSON.parse(r.attempts) as UsageAttempt[],
    fallback: r.fallback === 1,
    stream: r.stream === 1,
    cached: r.cached === 1,
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
    tokensEstimated: r.tokens_estimated === 1,
    cost: r.cost,
    wouldCost: r.would_cost,
    saved: r.saved,
    ttftMs: r.ttft_ms,
    totalMs: r.total_ms,
  };
}

/** The filters shared by raw rows and rollups; `time` is the column holding the instant. */
function dimensionWhere(filter: UsageFilter, time: 'at' | 'bucket'): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    where.push(clause);
    params.push(value);
  };
  if (filter.since !== undefined) add(`${time} >= ?`, filter.since);
  if (filter.until !== undefined) add(`${time} < ?`, filter.until);
  if (filter.route !== undefined) add('route = ?', filter.route);
  if (filter.deployment !== undefined) add('deployment = ?', filter.deployment);
  if (filter.provider !== undefined) add('provider = ?', filter.provider);
  if (filter.clientKey !== undefined) add('client_key = ?', filter.clientKey);
  if (filter.cached !== undefined) add('cached = ?', filter.cached ? 1 : 0);
  return { where, params };
}

function rowWhere(filter: UsageFilter): { where: string[]; params: unknown[] } {
  const clauses = dimensionWhere(filter, 'at');
  if (filter.status === 'ok') clauses.where.push('(status < 400 AND error_class IS NULL)');
  else if (filter.status === 'error') clauses.where.push('(status >= 400 OR error_class IS NOT NULL)');
  else if (typeof filter.status === 'number') (clauses.where.push('status = ?'), clauses.params.push(filter.status));
  return clauses;
}

/** Rollups keep no status, so a status filter cannot narrow them. */
const rollupWhere = (filter: UsageFilter) => dimensionWhere(filter, 'bucket');

/** A percentile from the histogram, interpolated inside its bin. */
function percentile(histogram: number[], q: number): number | null {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const target = q * total;
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    const count = histogram[i] as number;
    if (seen + count >= target && count > 0) {
      const low = i === 0 ? 0 : (LATENCY_BINS[i - 1] as number);
      const high = Number.isFinite(LATENCY_BINS[i]) ? (LATENCY_BINS[i] as number) : low * 2;
      return Math.round(low + ((target - seen) / count) * (high - low));
    }
    seen += count;
  }
  return null;
}

function encodeCursor(at: number, rowid: number): string {
  return Buffer.from(`${at}:${rowid}`).toString('base64url');
}

function decodeCursor(cursor: string): { at: number; rowid: number } | undefined {
  const [at, rowid] = Buffer.from(cursor, 'base64url').toString().split(':').map(Number);
  return Number.isFinite(at) && Number.isFinite(rowid) ? { at: at as number, rowid: rowid as number } : undefined;
}
