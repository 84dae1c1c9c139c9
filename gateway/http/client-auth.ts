/**
 * Client keys on the model endpoints (OpenAI and Ollama compatible). By default any bearer token is
 * accepted on loopback (tools insist on sending one) and attributed to "anonymous", or to the key's
 * name when it is a known key. When keys are required (a setting, forced on beyond loopback) a
 * request without a valid key gets 401. Per-key rate limits answer 429 with Retry-After; per-key
 * route lists answer 403 for other models.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatewayError } from '../errors';
import type { ClientKey } from '../store/client-keys';
import { addModelRouteHooks } from './model-route-hooks';

declare module 'fastify' {
  interface FastifyRequest {
    clientKey?: ClientKey;
  }
}

export interface ClientAuthOptions {
  /** True when the server listens beyond loopback: keys are then always required. */
  exposed: boolean;
  now: () => number;
}

export function registerClientAuth(app: FastifyInstance, options: ClientAuthOptions): void {
  const buckets = new Map<string, { tokens: number; at: number }>();

  addModelRouteHooks(app, () => ({ onRequest: admit, preValidation: allowedModel }));

  async function admit(request: FastifyRequest): Promise<void> {
    const { keys, catalog } = app.switchyard;
    const token = tokenOf(request);
    const key = token ? keys.verify(token) : undefined;
    const required = options.exposed || catalog().config.settings?.clientKeys?.required === true;
    if (!key && required) {
      throw new GatewayError('invalid_api_key', token ? 'The client key is not valid (unknown or revoked)' : 'A client key is required: send it as "Authorization: Bearer <key>"');
    }
    if (!key) return;
    request.clientKey = key;
    if (request.usage) request.usage.clientKey = key.name;
    if (key.rateLimitPerMinute) {
      const wait = take(buckets, key.name, key.rateLimitPerMinute, options.now());
      if (wait > 0) {
        throw new GatewayError('client_rate_limited', `Client key "${key.name}" is limited to ${key.rateLimitPerMinute} requests per minute`, {
          retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)),
        });
      }
    }
  }

  async function allowedModel(request: FastifyRequest): Promise<void> {
    const allowed = request.clientKey?.allowedRoutes;
    const model = (request.body as { model?: unknown } | undefined)?.model;
    if (!allowed || typeof model !== 'string' || allowed.includes(model)) return;
    throw new GatewayError('model_not_allowed', `Client key "${request.clientKey?.name}" may use only ${allowed.join(', ')}`, { param: 'model' });
  }
}

function tokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.toLowerCase().startsWith('bearer ')) return header.slice(7).trim() || undefined;
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey ? apiKey : undefined;
}

/** Token bucket per key: `perMinute` capacity, refilled continuously. Returns ms to wait, 0 if admitted. */
function take(buckets: Map<string, { tokens: number; at: number }>, name: string, perMinute: number, now: number): number {
  const bucket = buckets.get(name) ?? { tokens: perMinute, at: now };
  bucket.tokens = Math.min(perMinute, bucket.tokens + ((now - bucket.at) * perMinute) / 60_000);
  bucket.at = now;
  buckets.set(name, bucket);
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return 0;
  }
  return ((1 - bucket.tokens) * 60_000) / perMinute;
}
