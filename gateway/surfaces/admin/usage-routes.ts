/** Usage (rows, rollups, export, today's overview), the response cache, and client keys over the admin API. */
import type { FastifyInstance } from 'fastify';
import { Readable } from 'node:stream';
import { GatewayError } from '../../errors';
import { ClientKeyError } from '../../store/client-keys';
import { decodeCursor } from '../../store/usage-cursor';
import type { GroupBy, UsageFilter } from '../../store/usage-types';
import {
  CacheStatsSchema,
  ClientKeyCreatedSchema,
  ClientKeyInputSchema,
  ClientKeyListSchema,
  NameParams,
  OverviewSchema,
  PurgedSchema,
  RequestIdParams,
  RevokedSchema,
  RollupsSchema,
  UsageDetailSchema,
  UsagePageSchema,
  UsageNamesQuerySchema,
  UsageNamesSchema,
  UsageQuerySchema,
  UsageSessionsSchema,
  type ClientKeyInput,
  type UsageQuery,
} from './schemas';
import type { UsageLog } from '../../store/usage-log';
import type { ResponseCache } from '../../store/response-cache';
import type { ClientKeyStore } from '../../store/client-keys';
import type { Config } from '../../config/schema';
import { temporal } from '../../lazy';
import { chartAxis } from '../../usage/buckets';
import { INSTANT_FORMS, parseInstant } from '../../usage/instant';
import { daysIn } from '../../budgets/periods';
import { DEFAULT_CACHE_MAX_MIB } from '../../routing/cache-policy';
import { DEFAULT_COMPARISON } from '../../usage/pricing';
import { unknownModels } from '../../routing/aliases';
import { PLAYGROUND } from './playground';

export interface UsageRouteServices {
  usageLog: UsageLog;
  cache: ResponseCache;
  keys: ClientKeyStore;
  config: () => Config;
  now: () => number;
  /** The zone "today" is counted in (the gateway's default zone). */
  timeZone: () => string;
}

type Query = { Querystring: UsageQuery };

/** How far back the overview looks for the tools that sent requests. */
const TOOLS_SEEN_MS = 7 * 86_400_000;

export function usageRoutes(app: FastifyInstance, services: UsageRouteServices): void {
  const log = () => services.usageLog;
  const querystring = UsageQuerySchema;

  app.get<Query>('/usage', { schema: { querystring, response: { 200: UsagePageSchema } } }, async (request) => {
    const limit = Math.min(500, Math.max(1, Number(request.query.limit ?? 50)));
    if (request.query.before !== undefined && !decodeCursor(request.query.before)) {
      throw new GatewayError('invalid_request', 'before is not a cursor this gateway gave: pass the "next" of the page before', { param: 'before' });
    }
    return log().list(filterFrom(request.query, services.timeZone()), { limit, before: request.query.before });
  });

  app.get<Query>('/usage/rollups', { schema: { querystring, response: { 200: RollupsSchema } } }, async (request) => {
    const filter = filterFrom(request.query, services.timeZone());
    const granularity = request.query.granularity ?? 'hour';
    const points = await log().reader.rollups(filter, granularity, (request.query.groupBy ?? 'none') as GroupBy);
    const timeZone = services.timeZone();
    return { points, buckets: chartAxis(granularity, filter, points, services.now(), daysIn(timeZone).dayAt), timeZone };
  });

  /** The names the log has rows of in the range, for the filters: a route renamed or deleted since is still in it. */
  app.get<{ Querystring: { since?: string } }>('/usage/names', { schema: { querystring: UsageNamesQuerySchema, response: { 200: UsageNamesSchema } } }, async (request) => log().reader.names(filterFrom(request.query, services.timeZone()).since));

  /** The sessions in the range (Claude Code's, Codex's, any client's x-switchyard-session), each added up. */
  app.get<Query>('/usage/sessions', { schema: { querystring, response: { 200: UsageSessionsSchema } } }, async (request) => ({
    sessions: await log().reader.sessions(filterFrom(request.query, services.timeZone()), Number(request.query.limit ?? 20)),
  }));

  /** One request's row with its routing decision (the Usage page's drawer). */
  app.get<{ Params: { requestId: string } }>('/usage/:requestId', { schema: { params: RequestIdParams, response: { 200: UsageDetailSchema } } }, async (request) => {
    const row = log().row(request.params.requestId);
    if (!row) throw new GatewayError('not_found', `No request with id "${request.params.requestId}" is in the usage log`, { param: 'requestId' });
    return { ...row, decision: row.decision ?? null };
  });

  app.get<Query>('/usage/export', { schema: { querystring } }, async (request, reply) => {
    const format = request.query.format ?? 'csv';
    reply.header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="switchyard-usage.${format}"`);
    return reply.send(Readable.from(log().reader.export(filterFrom(request.query, services.timeZone()), format)));
  });

  /** Today at a glance, for the overview. */
  app.get('/overview', { schema: { response: { 200: OverviewSchema } } }, async () => {
    const since = startOfDay(services.now(), services.timeZone());
    // Day buckets start at midnight in this same zone, so today is one bucket, a point per tool.
    const byTool = log().rollups({ since }, 'day', 'tool');
    const today = byTool.reduce(
      (sum, p) => ({ requests: sum.requests + p.requests, errors: sum.errors + p.errors, fallbacks: sum.fallbacks + p.fallbacks, cached: sum.cached + p.cachedRequests, cost: sum.cost + p.cost, wouldCost: sum.wouldCost + p.wouldCost, saved: sum.saved + p.saved }),
      { requests: 0, errors: 0, fallbacks: 0, cached: 0, cost: 0, wouldCost: 0, saved: 0 },
    );
    return {
      since: new Date(since).toISOString(),
      requests: today.requests,
      errors: today.errors,
      fallbackRate: today.requests ? today.fallbacks / today.requests : 0,
      cacheHitRate: today.requests ? today.cached / today.requests : 0,
      cost: today.cost,
      wouldCost: today.wouldCost,
      saved: today.saved,
      comparedWith: (services.config().settings?.usage?.compareWith ?? DEFAULT_COMPARISON).label,
      recentFailures: log().list({ status: 'error' }, { limit: 8 }).rows,
      todayByTool: byTool.map((p) => ({ tool: p.group || null, requests: p.requests, cost: p.cost })).sort((a, b) => b.requests - a.requests || Number(a.tool === null) - Number(b.tool === null)),
      // The dashboard's own playground is no tool pointed here.
      tools: log().tools(services.now() - TOOLS_SEEN_MS, 13).filter((seen) => seen.tool !== PLAYGROUND).slice(0, 12),
    };
  });

  app.get('/cache', { schema: { response: { 200: CacheStatsSchema } } }, async () => {
    const settings = services.config().settings?.cache;
    return services.cache.stats((settings?.maxMiB ?? DEFAULT_CACHE_MAX_MIB) * 1024 * 1024);
  });

  app.delete('/cache', { schema: { response: { 200: PurgedSchema } } }, async () => ({ purged: await services.cache.purge() }));

  app.get('/keys', { schema: { response: { 200: ClientKeyListSchema } } }, async () => {
    const config = services.config();
    return { keys: services.keys.list().map((key) => ({ ...key, unknownRoutes: key.allowedRoutes ? unknownModels(config, key.allowedRoutes) : [] })) };
  });

  app.post<{ Body: ClientKeyInput }>('/keys', { schema: { body: ClientKeyInputSchema, response: { 201: ClientKeyCreatedSchema } } }, async (request, reply) => {
    const { name, rateLimitPerMinute, allowedRoutes } = request.body;
    const unknown = unknownModels(services.config(), allowedRoutes ?? []);
    if (unknown.length > 0) throw new GatewayError('invalid_request', `No route, deployment or alias is named ${unknown.map((n) => `"${n}"`).join(', ')}`, { param: 'allowedRoutes' });
    try {
      const created = services.keys.create(name, { rateLimitPerMinute: rateLimitPerMinute ?? null, allowedRoutes: allowedRoutes?.length ? allowedRoutes : null });
      return reply.code(201).send(created);
    } catch (error) {
      if (error instanceof ClientKeyError) throw new GatewayError('invalid_request', error.message, { param: 'name', status: error.taken ? 409 : 400 });
      throw error;
    }
  });

  app.delete<{ Params: { name: string } }>('/keys/:name', { schema: { params: NameParams, response: { 200: RevokedSchema } } }, async (request) => {
    if (!services.keys.revoke(request.params.name)) throw new GatewayError('not_found', `No active key is named "${request.params.name}"`, { param: 'name' });
    return { revoked: request.params.name };
  });
}

function filterFrom(query: UsageQuery, timeZone: string): UsageFilter {
  const filter: UsageFilter = {};
  const time = (name: 'since' | 'until') => {
    const value = query[name];
    if (value === undefined || value === '') return;
    const ms = parseInstant(value, timeZone);
    if (ms === undefined) throw new GatewayError('invalid_request', `${name} must be ${INSTANT_FORMS}, in the gateway's time zone (${timeZone}) unless it says its offset`, { param: name });
    filter[name] = ms;
  };
  time('since');
  time('until');
  for (const key of ['route', 'deployment', 'provider', 'clientKey', 'session', 'tool'] as const) if (query[key]) filter[key] = query[key];
  if (query.status === 'ok' || query.status === 'error') filter.status = query.status;
  else if (query.status && /^\d{3}$/.test(query.status)) filter.status = Number(query.status);
  if (query.cached === 'true' || query.cached === 'false') filter.cached = query.cached === 'true';
  return filter;
}

/** Midnight of the day `now` falls on, in a zone (DST days included). */
function startOfDay(now: number, timeZone: string): number {
  return temporal().Temporal.Instant.fromEpochMilliseconds(now).toZonedDateTimeISO(timeZone).startOfDay().epochMilliseconds;
}
