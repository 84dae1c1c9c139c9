/**
 * How a provider and a route hold up when an upstream does not: the provider's timeouts, the
 * breaker of a deployment (or of a route's deployments that set none), and a route's retries. Parts
 * of the config schema (schema.ts), kept apart as settings-schema.ts is.
 */
import Type from 'typebox';

/** A duration in the config: at most a day. */
export const PositiveMs = Type.Integer({ minimum: 1, maximum: 86_400_000 });
export const NonNegativeMs = Type.Integer({ minimum: 0, maximum: 86_400_000 });

export const TimeoutsSchema = Type.Object(
  {
    connectMs: Type.Optional(PositiveMs),
    firstByteMs: Type.Optional(PositiveMs),
    idleMs: Type.Optional(PositiveMs),
    totalMs: Type.Optional(PositiveMs),
  },
  { additionalProperties: false },
);

export const BreakerSchema = Type.Object(
  {
    failures: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    cooldownMs: Type.Optional(PositiveMs),
    maxCooldownMs: Type.Optional(PositiveMs),
    /**
     * The request that carries a half-open probe waits this long for it, then moves on to the next
     * deployment while the probe finishes in the background and decides the breaker (default 3 s).
     */
    probeBudgetMs: Type.Optional(PositiveMs),
    /**
     * How long a refused key (401/403), a missing model (404) or a spent quota keeps the deployment
     * out (default 30 min); a config change or a manual reset lifts it sooner.
     */
    blockMs: Type.Optional(PositiveMs),
    /** Also open when this share of the last requests in the window failed. */
    failureRate: Type.Optional(
      Type.Object(
        {
          threshold: Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
          minRequests: Type.Integer({ minimum: 1, maximum: 100_000 }),
          windowMs: PositiveMs,
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const RetrySchema = Type.Object(
  {
    attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
    backoffMs: Type.Optional(NonNegativeMs),
    maxBackoffMs: Type.Optional(NonNegativeMs),
    retryAfterCapMs: Type.Optional(NonNegativeMs),
  },
  { additionalProperties: false },
);
