/**
 * When a request may be answered from the cache, and its key. On by default only where the answer
 * is meant to be repeatable: chat at temperature 0, and embeddings (deterministic); a route can opt
 * in for everything. `Cache-Control: no-cache` skips the lookup, `no-store` skips the cache entirely.
 * The key covers the route or deployment named, the messages and every parameter that changes the
 * output; not `stream` (a stream and a JSON answer share an entry), not `user` or `metadata`.
 */
import { hash } from 'node:crypto';
import type { RouteConfig, Settings } from '../config/schema';

export const DEFAULT_CACHE_TTL_SECONDS = 86_400;
export const DEFAULT_CACHE_MAX_MIB = 256;

export type CacheKind = 'chat' | 'generate' | 'embedding';

export interface CacheDecision {
  lookup: boolean;
  store: boolean;
  key: string | undefined;
  ttlMs: number;
  maxBytes: number;
}

const NOT_PART_OF_KEY = new Set(['stream', 'stream_options', 'user', 'metadata', 'store', 'service_tier', 'keep_alive']);

export function cacheDecision(
  kind: CacheKind,
  body: Record<string, unknown>,
  native: unknown,
  route: RouteConfig,
  settings: Settings | undefined,
  cacheControl: string | undefined,
): CacheDecision {
  const ttlMs = (settings?.cache?.ttlSeconds ?? DEFAULT_CACHE_TTL_SECONDS) * 1000;
  const maxBytes = (settings?.cache?.maxMiB ?? DEFAULT_CACHE_MAX_MIB) * 1024 * 1024;
  const directive = (cacheControl ?? '').toLowerCase();
  const eligible =
    settings?.cache?.enabled !== false &&
    !directive.includes('no-store') &&
    (route.cache === true || kind === 'embedding' || temperatureOf(body, native) === 0);
  if (!eligible) return { lookup: false, store: false, key: undefined, ttlMs, maxBytes };
  return { lookup: !directive.includes('no-cache'), store: true, key: cacheKey(kind, body, native), ttlMs, maxBytes };
}

function temperatureOf(body: Record<string, unknown>, native: unknown): number | undefined {
  if (typeof body.temperature === 'number') return body.temperature;
  const options = (native as { options?: { temperature?: unknown } } | undefined)?.options ?? (body.options as { temperature?: unknown } | undefined);
  return typeof options?.temperature === 'number' ? options.temperature : undefined;
}

export function cacheKey(kind: CacheKind, body: Record<string, unknown>, native: unknown): string {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) if (!NOT_PART_OF_KEY.has(key) && value !== undefined) fields[key] = value;
  return hash('sha256', canonicalJson({ kind, fields, native: native ?? null }), 'hex');
}

/** JSON with object keys sorted, so equal requests hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
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
