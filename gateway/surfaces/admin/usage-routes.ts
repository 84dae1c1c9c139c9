/** Usage (rows, rollups, export, today's overview), the response cache, and client keys over the admin API. */
import type { FastifyInstance } from 'fastify';
import { Readable } from 'node:stream';
import { GatewayError } from '../../errors';
import { ClientKeyError } from '../../store/client-keys';
import type { Granularity, GroupBy, UsageFilter } from '../../store/usage-types';
import type { UsageLog } from '../../store/usage-log';
import type { ResponseCache } from '../../store/response-cache';
import type { ClientKeyStore } from '../../store/client-keys';
import type { Config } from '../../config/schema';
import { exportLines } from '../../usage/export';
import { DEFAULT_CACHE_MAX_MIB } from '../../routing/cache-policy';

export interface UsageRouteServices {
  usageLog: UsageLog;
  cache: ResponseCache;
  keys: ClientKeyStore;
  config: () => Config;
  now: () => number;
}

export function usageRoutes(app: FastifyInstance, services: UsageRouteServices): void {
  const log = () => services.usageLog;

  app.get('/usage', async (request) => {
    const query = request.query as Record<string, string | undefined>;
    return log().list(filterFrom(query), { limit: Number(query.limit ?? 50), before: query.before });
  });

  app.get('/usage/rollups', async (request) => {
    const query = request.query as Record<string, string | undefined>;
    const granularity = (query.granularity ?? 'hour') as Granularity;
    const groupBy = (query.groupBy ?? 'none') as GroupBy;
    if (!['minute', 'hour', 'day'].includes(granularity)) throw new GatewayError('invalid_request', 'granularity must be minute, hour or day', { param: 'granularity' });
    if (!['none', 'deployment', 'provider', 'route', 'clientKey'].includes(groupBy)) throw new GatewayError('invalid_request', 'groupBy must be none, deployment, provider, route or clientKey', { param: 'groupBy' });
    return { points: log().rollups(filterFrom(query), granularity, groupBy) };
  });

  app.get('/usage/export', async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const format = query.format === 'json' ? 'json' : 'csv';
    reply.header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="switchyard-usage.${format}"`);
    return reply.send(Readable.from(exportLines(log().iterate(filterFrom(query)), format)));
  });

  /** Today at a glance, for the overview. */
  app.get('/overview', async () => {
    const since = startOfToday(services.now());
    const [today] = log().rollups({ since }, 'day', 'none');
    const requests = today?.requests ?? 0;
    return {
      since: new Date(since).toISOString(),
      requests,
      errors: today?.errors ?? 0,
      fallbackRate: requests ? (today?.fallbacks ?? 0) / requests : 0,
      cacheHitRate: requests ? (today?.cachedRequests ?? 0) / requests : 0,
      cost: today?.cost ?? 0,
      wouldCost: today?.wouldCost ?? 0,
      saved: today?.saved ?? 0,
      recentFailures: log().list({ status: 'error' }, { limit: 8 }).rows,
    };
  });

  app.get('/cache', async () => {
    const settings = services.config().settings?.cache;
    return services.cache.stats((settings?.maxMiB ?? DEFAULT_CACHE_MAX_MIB) * 1024 * 1024);
  });

  app.delete('/cache', async () => ({ purged: services.cache.purge() }));

  app.get('/keys', async () => ({ keys: services.keys.list() }));

  app.post('/keys', async (request, reply) => {
    const body = (request.body ?? {}) as { name?: unknown; rateLimitPerMinute?: unknown; allowedRoutes?: unknown };
    if (typeof body.name !== 'string') throw new GatewayError('invalid_request', 'name is required', { param: 'name' });
    const rpm = body.rateLimitPerMinute;
    if (rpm !== undefined && rpm !== null && (!Number.isInteger(rpm) || (rpm as number) < 1)) {
      throw new GatewayError('invalid_request', 'rateLimitPerMinute must be a whole number of at least 1', { param: 'rateLimitPerMinute' });
    }
    try {
      const created = services.keys.create(body.name, {
        rateLimitPerMinute: (rpm as number | undefined) ?? null,
        allowedRoutes: Array.isArray(body.allowedRoutes) && body.allowedRoutes.length > 0 ? (body.allowedRoutes as string[]) : null,
      });
      return reply.code(201).send(created);
    } catch (error) {
      if (error instanceof ClientKeyError) throw new GatewayError('invalid_request', error.message, { param: 'name' });
      throw error;
    }
  });

  app.delete<{ Params: { name: string } }>('/keys/:name', async (request) => {
    if (!services.keys.revoke(request.params.name)) throw new GatewayError('not_found', `No active key is named "${request.params.name}"`, { param: 'name' });
    return { revoked: request.params.name };
  });
}

function filterFrom(query: Record<string, string | undefined>): UsageFilter {
  const filter: UsageFilter = {};
  const time = (name: 'since' | 'until') => {
    const value = query[name];
    if (value === undefined || value === '') return;
    const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
    if (!Number.isFinite(ms)) throw new GatewayError('invalid_request', `${name} must be an ISO-8601 time or epoch milliseconds`, { param: name });
    filter[name] = ms;
  };
  time('since');
  time('until');
  for (const key of ['route', 'deployment', 'provider', 'clientKey'] as const) if (query[key]) filter[key] = query[key];
  if (query.status === 'ok' || query.status === 'error') filter.status = query.status;
  else if (query.status && /^\d{3}$/.test(query.status)) filter.status = Number(query.status);
  if (query.cached === 'true' || query.cached === 'false') filter.cached = query.cached === 'true';
  return filter;
}

function startOfToday(now: number): number {
  const date = new Date(now);
  date.setHours(0, 0, 0, 0);
  return date.getTime();
}
