/**
 * When a request may be answered from the cache, and its key. On by default only where the answer
 * is meant to be repeatable: chat at temperature 0, and embeddings (deterministic); a route can opt
 * in for everything. `Cache-Control: no-cache` skips the lookup, `no-store` skips the cache entirely.
 * The key covers the front door's API, what the route would do (its deployments in order with their
 * models and providers, and the versions of those models their servers say: a reorder, an edit or a
 * model pulled again must not serve yesterday's answers), and the request fields the surface says
 * change the answer (not `stream`, `user` or `metadata`: a stream and a whole answer of one API
 * share an entry), the client key: an answer one key paid for is not served to another, whose
 * cache hit would tell it what the first asked; and the deployment `x-switchyard-prefer` names: a
 * client that asks for one deployment's answer first is not given another's from the cache.
 */
import { hash } from 'node:crypto';
import type { RouteConfig, Settings } from '../config/schema';

const DEFAULT_CACHE_TTL_SECONDS = 86_400;
export const DEFAULT_CACHE_MAX_MIB = 256;

export interface CacheDecision {
  lookup: boolean;
  store: boolean;
  key: string | undefined;
  ttlMs: number;
  maxBytes: number;
}

/** What of a request the cache reads, beside its fields. */
interface CachedRequest {
  api: string;
  cacheControl?: string | undefined;
  clientKey?: string | undefined;
  prefer?: string | undefined;
}

export function cacheDecision(
  request: CachedRequest,
  fields: () => Record<string, unknown>,
  repeatable: boolean,
  route: RouteConfig,
  routeFingerprint: () => string,
  settings: Settings | undefined,
): CacheDecision {
  const ttlMs = (settings?.cache?.ttlSeconds ?? DEFAULT_CACHE_TTL_SECONDS) * 1000;
  const maxBytes = (settings?.cache?.maxMiB ?? DEFAULT_CACHE_MAX_MIB) * 1024 * 1024;
  const directive = (request.cacheControl ?? '').toLowerCase();
  const eligible = settings?.cache?.enabled !== false && !directive.includes('no-store') && (route.cache === true || repeatable);
  if (!eligible) return { lookup: false, store: false, key: undefined, ttlMs, maxBytes };
  // The key is worked out only here: most requests are not cacheable, and it costs a hash of the body.
  const key = canonicalJson({ api: request.api, route: routeFingerprint(), fields: fields(), clientKey: request.clientKey, prefer: request.prefer || undefined });
  return { lookup: !directive.includes('no-cache'), store: true, key: hash('sha256', key, 'hex'), ttlMs, maxBytes };
}

/** JSON with object keys sorted, so equal requests hash equally whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What every API's cache key leaves out: it does not change the answer. */
const NOT_PART_OF_KEY = new Set(['stream', 'stream_options', 'user', 'metadata', 'store', 'service_tier', 'keep_alive']);

/** A request body as cache key fields. */
export function keyFields(body: Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) if (!NOT_PART_OF_KEY.has(key) && value !== undefined) fields[key] = value;
  return fields;
}
