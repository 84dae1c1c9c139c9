/**
 * Client keys on a model surface. By default any bearer token is accepted on loopback (tools insist
 * on sending one) and attributed to "anonymous", or to the key's name when it is a known key. When
 * keys are required (a setting, forced on beyond loopback) a request without a valid key gets 401.
 * Per-key rate limits answer 429 with Retry-After; per-key route lists answer 403 for a model that is
 * neither one of them nor an alias of one.
 * Registered inside each model surface, so its hooks run for that surface's routes only.
 */
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { GatewayError } from '../errors';
import { playgroundRun } from '../playground-run';
import type { ClientKey, ClientKeyStore } from '../store/client-keys';

declare module 'fastify' {
  interface FastifyRequest {
    clientKey?: ClientKey;
  }
}

export interface ClientKeysOptions {
  keys: ClientKeyStore;
  /** Whether a valid key is required now (the setting, or a server bound beyond loopback). */
  required(): boolean;
  now: () => number;
  /** The route or deployment a model name stands for (itself, or an alias's target): a key limited to a route may use it by any alias. */
  targetOf(model: string): string | undefined;
  /** The model a body asks for, as this surface reads it (default: `model`). */
  modelOf?: ((body: Record<string, unknown>) => unknown) | undefined;
}

/** Token buckets are shared by every surface: a key's limit is per key, not per front door. */
const bucketsByStore = new WeakMap<ClientKeyStore, Map<string, Bucket>>();

interface Bucket {
  tokens: number;
  at: number;
}

export const clientKeysPlugin = fp<ClientKeysOptions>(
  async (app, options) => {
    let buckets = bucketsByStore.get(options.keys);
    if (!buckets) bucketsByStore.set(options.keys, (buckets = new Map()));
    const shared = buckets;

    app.addHook('onRequest', async (request) => {
      if (playgroundRun()) {
        // The admin session already authorised it.
        if (request.usage) request.usage.clientKey = 'playground';
        return;
      }
      const key = requiredKey(request, options);
      if (!key) return;
      request.clientKey = key;
      if (request.usage) request.usage.clientKey = key.name;
      // A key out of requests is turned away before its body is read; one is taken only once the model is one the key may use.
      if (key.rateLimitPerMinute) limited(key, waitFor(shared, key.name, key.rateLimitPerMinute, options.now()));
    });

    app.addHook('preValidation', async (request) => {
      const key = request.clientKey;
      if (!key) return;
      const allowed = key.allowedRoutes;
      const body = request.body as Record<string, unknown> | undefined;
      const model = allowed && body && (options.modelOf ? options.modelOf(body) : body.model);
      // A model the key may not use costs none of its requests: a tool asking for one (Claude Code's
      // background model) in a loop would otherwise use up the rate of the requests it may make.
      if (allowed && typeof model === 'string' && !allowed.includes(model)) {
        const target = options.targetOf(model);
        if (target === undefined || !allowed.includes(target)) throw new GatewayError('model_not_allowed', `Client key "${key.name}" may use only ${allowed.join(', ')}`, { param: 'model' });
      }
      if (key.rateLimitPerMinute) limited(key, take(shared, key.name, key.rateLimitPerMinute, options.now()));
    });
  },
  { name: 'switchyard-client-keys' },
);

/** The valid key a request carries; a 401 when keys are required and it carries none. */
export function requiredKey(request: FastifyRequest, options: Pick<ClientKeysOptions, 'keys' | 'required'>): ClientKey | undefined {
  const key = clientKeyOf(request, options.keys);
  if (!key && options.required()) {
    throw new GatewayError('invalid_api_key', tokenOf(request) ? 'The client key is not valid (unknown or revoked)' : 'A client key is required: send it as "Authorization: Bearer <key>"');
  }
  return key;
}

/** The live client key a request carries, if any. */
export function clientKeyOf(request: FastifyRequest, keys: ClientKeyStore): ClientKey | undefined {
  const token = tokenOf(request);
  return token ? keys.verify(token) : undefined;
}

/** `Authorization: Bearer <key>` (OpenAI, Ollama, Claude Code's auth token) or `x-api-key` (Anthropic's SDK). */
function tokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.toLowerCase().startsWith('bearer ')) return header.slice(7).trim() || undefined;
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey ? apiKey : undefined;
}

/** A key's 429, when it must wait `wait` ms for its next request. */
function limited(key: ClientKey, wait: number): void {
  if (wait > 0) throw new GatewayError('client_rate_limited', `Client key "${key.name}" is limited to ${key.rateLimitPerMinute} requests per minute`, { retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)) });
}

/** Token bucket per key: `perMinute` capacity, refilled continuously. Returns ms to wait, 0 if a request may go. */
function waitFor(buckets: Map<string, Bucket>, name: string, perMinute: number, now: number): number {
  const bucket = buckets.get(name) ?? { tokens: perMinute, at: now };
  bucket.tokens = Math.min(perMinute, bucket.tokens + ((now - bucket.at) * perMinute) / 60_000);
  bucket.at = now;
  buckets.set(name, bucket);
  return bucket.tokens >= 1 ? 0 : ((1 - bucket.tokens) * 60_000) / perMinute;
}

/** `waitFor`, and the request's token taken when it may go. */
function take(buckets: Map<string, Bucket>, name: string, perMinute: number, now: number): number {
  const wait = waitFor(buckets, name, perMinute, now);
  if (wait === 0) (buckets.get(name) as Bucket).tokens -= 1;
  return wait;
}
