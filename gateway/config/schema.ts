/**
 * The config file's schema: one source for the TypeScript types, the JSON Schema that validates
 * the file, and the admin API's bodies. Cross-references and time zones are checked in
 * validate.ts, which a JSON Schema cannot express. The gateway-wide settings are in settings-schema.ts,
 * timeouts, breakers and retries in resilience-schema.ts.
 */
import Type from 'typebox';
import { FAILURE_CLASSES } from '../errors';
import { BreakerSchema, NonNegativeMs, PositiveMs, RetrySchema, TimeoutsSchema } from './resilience-schema';
import { SettingsSchema } from './settings-schema';
import { HHMM_PATTERN, KEY_REFERENCE_PATTERN, NAME_PATTERN } from './patterns';
import { MAX_TOOL_CHARS } from './tool-names';

export { SettingsSchema };

const Name = Type.String({ pattern: NAME_PATTERN });
export const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export const ProviderSchema = Type.Object(
  {
    name: Name,
    kind: Type.Union([Type.Literal('ollama'), Type.Literal('openai'), Type.Literal('anthropic')]),
    baseUrl: Type.String({ minLength: 1, maxLength: 2048 }),
    /**
     * Only a reference: `env:NAME` (an environment variable), or `secret:NAME` (a key the desktop app
     * stored encrypted). Values never live in the config.
     */
    apiKey: Type.Optional(Type.String({ pattern: KEY_REFERENCE_PATTERN })),
    /**
     * The header the key goes in: `authorization` as a bearer token (the default, what OpenAI-compatible
     * servers and Anthropic take), or as it is in `api-key` (Azure OpenAI's classic API) or `x-api-key`.
     */
    keyHeader: Type.Optional(Type.Union([Type.Literal('authorization'), Type.Literal('api-key'), Type.Literal('x-api-key')])),
    /**
     * Sent with every request. A value that is a key reference (`env:NAME`, `secret:NAME`) is sent as
     * the key it names, and bound to this provider's origin as its `apiKey` is: Azure OpenAI's
     * `api-key`, a proxy's `authorization`, Cloudflare Access's `CF-Access-Client-Secret`.
     */
    headers: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z0-9-]{1,128}$' }), Type.String({ maxLength: 8192 }), { maxProperties: 64 })),
    timeouts: Type.Optional(TimeoutsSchema),
    /** Requests in flight at once (default 2 for Ollama, no cap for OpenAI-compatible). */
    maxConcurrent: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    queue: Type.Optional(
      Type.Object(
        { max: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })), timeoutMs: Type.Optional(NonNegativeMs) },
        { additionalProperties: false },
      ),
    ),
    /** Periodic probes; intervalMs 0 turns them off. */
    healthCheck: Type.Optional(Type.Object({ intervalMs: Type.Optional(NonNegativeMs) }, { additionalProperties: false })),
    /** Whether "local only" keeps this provider (default: an Ollama on this machine or the LAN, or any server on loopback). */
    local: Type.Optional(Type.Boolean()),
    /** Larger answers count as a failure of the deployment (default 32 MiB). */
    maxResponseBytes: Type.Optional(Type.Integer({ minimum: 1024, maximum: 1024 * 1024 * 1024 })),
    /**
     * The APIs this upstream serves itself, so requests in them pass through with only the model
     * changed: `chat` (chat completions), `responses` (OpenAI Responses), `messages` (Anthropic),
     * `completions` (OpenAI's legacy text completions, which LM Studio, vLLM and llama.cpp serve
     * with real fill-in-the-middle). Default: OpenAI's own API serves chat and responses, other
     * OpenAI-compatible servers chat, Anthropic messages, and an Ollama what its version serves
     * (found by its health probe; its own generate takes text completions).
     */
    apis: Type.Optional(Type.Array(Type.Union([Type.Literal('chat'), Type.Literal('responses'), Type.Literal('messages'), Type.Literal('completions')]), { maxItems: 4, uniqueItems: true })),
  },
  { additionalProperties: false },
);

export const CAPABILITIES = ['completion', 'tools', 'vision', 'thinking', 'insert', 'embedding'] as const;

export const TimeWindowSchema = Type.Object(
  {
    start: Type.String({ pattern: HHMM_PATTERN }),
    end: Type.String({ pattern: HHMM_PATTERN }),
    days: Type.Optional(Type.Array(Type.Enum(DAY_NAMES), { minItems: 1, maxItems: 7 })),
    /** `block` (default): not used inside. `allow`: where any allow window exists, used only inside one. */
    action: Type.Optional(Type.Union([Type.Literal('block'), Type.Literal('allow')])),
  },
  { additionalProperties: false },
);

const PerMTok = Type.Number({ minimum: 0, maximum: 100_000 });

/**
 * The prices every token of a request pays once its whole prompt passes `aboveTokens` (Claude Haiku
 * 5.5 over 100,000, Sonnet 4.5 over 200,000, GPT-5.5 over 272,000). An unset cache rate rises as the input price does.
 */
const LongContextPricingSchema = Type.Object(
  {
    aboveTokens: Type.Integer({ minimum: 1, maximum: 100_000_000 }),
    inputPerMTok: PerMTok,
    outputPerMTok: PerMTok,
    cacheReadPerMTok: Type.Optional(PerMTok),
    cacheWritePerMTok: Type.Optional(PerMTok),
  },
  { additionalProperties: false },
);

export const PricingSchema = Type.Object(
  {
    inputPerMTok: PerMTok,
    outputPerMTok: PerMTok,
    /** Prompt tokens read from the provider's prompt cache, and written to it; unset, they cost the input price. */
    cacheReadPerMTok: Type.Optional(PerMTok),
    cacheWritePerMTok: Type.Optional(PerMTok),
    longContext: Type.Optional(LongContextPricingSchema),
  },
  { additionalProperties: false },
);

export const DeploymentSchema = Type.Object(
  {
    name: Name,
    provider: Type.String({ minLength: 1 }),
    model: Type.String({ minLength: 1, maxLength: 256 }),
    type: Type.Optional(Type.Union([Type.Literal('chat'), Type.Literal('embedding')])),
    enabled: Type.Optional(Type.Boolean()),
    timeZone: Type.Optional(Type.String({ minLength: 1 })),
    timeWindows: Type.Optional(Type.Array(TimeWindowSchema, { maxItems: 64 })),
    pricing: Type.Optional(PricingSchema),
    /** Ollama `options` sent with every request (num_ctx, num_gpu, ...); client options win, but for the larger num_ctx. */
    options: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    /** Ollama `keep_alive` (e.g. "30m", or seconds). */
    keepAlive: Type.Optional(Type.Union([Type.String(), Type.Number()])),
    /**
     * Ollama: what a request does while the model is not in memory. `wait` (the default) waits for
     * it to load; `fallback` tries the route's other deployments first and loads it in the
     * background, so requests come back once it is in memory.
     */
    coldStart: Type.Optional(Type.Union([Type.Literal('wait'), Type.Literal('fallback')])),
    /** Ollama `think` sent when the request does not say (true, false, or a level for models that take one). */
    think: Type.Optional(Type.Union([Type.Boolean(), Type.Literal('low'), Type.Literal('medium'), Type.Literal('high')])),
    /** What the model can do, over what its provider reports (`/api/show` tells clients). */
    capabilities: Type.Optional(Type.Array(Type.Enum(CAPABILITIES), { maxItems: 6, uniqueItems: true })),
    /** The context window in tokens, over what its provider reports or the bundled table knows. */
    contextWindow: Type.Optional(Type.Integer({ minimum: 256, maximum: 100_000_000 })),
    /** The most tokens one answer may have, over what the bundled table knows: a request asking for more is sent this. */
    maxOutputTokens: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000 })),
    /**
     * Ollama: `"auto"` raises `num_ctx` for a request that needs more, up to the model's trained
     * maximum and `maxNumCtx`, so a long prompt is never cut silently.
     */
    numCtx: Type.Optional(Type.Literal('auto')),
    maxNumCtx: Type.Optional(Type.Integer({ minimum: 256, maximum: 100_000_000 })),
    breaker: Type.Optional(BreakerSchema),
  },
  { additionalProperties: false },
);

export const STRATEGIES = ['ordered', 'lowest-latency', 'lowest-cost', 'weighted'] as const;

const RuleSchema = Type.Object(
  {
    when: Type.Object(
      {
        /** The prompt is estimated at this many tokens or more. */
        minPromptTokens: Type.Optional(Type.Integer({ minimum: 1 })),
        hasImages: Type.Optional(Type.Boolean()),
        hasTools: Type.Optional(Type.Boolean()),
        /** The request asks for reasoning (reasoning_effort, thinking, think). */
        thinking: Type.Optional(Type.Boolean()),
        /** The request's client key has this name. */
        clientKey: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
        /** The tool that sent it, as its headers name it ("Codex"; the usage log's names). */
        tool: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_TOOL_CHARS })),
      },
      { additionalProperties: false, minProperties: 1 },
    ),
    /** The route to use instead. */
    use: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);

export const BudgetSchema = Type.Object(
  {
    name: Name,
    /** What is counted: all traffic, one route's, one client key's, one provider's, or one tool's (as its headers name it: "Claude Code"). */
    scope: Type.Union([
      Type.Literal('global'),
      Type.Object({ route: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
      Type.Object({ clientKey: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
      Type.Object({ provider: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
      Type.Object({ tool: Type.String({ minLength: 1, maxLength: MAX_TOOL_CHARS }) }, { additionalProperties: false }),
    ]),
    period: Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')]),
    limitUsd: Type.Number({ minimum: 0, maximum: 10_000_000 }),
    /** The zone the period starts in (default: the gateway's); weeks start on Monday. */
    timeZone: Type.Optional(Type.String({ minLength: 1 })),
    /** `skip-paid` (default): keep serving on free and local deployments; `refuse`: answer 429. */
    onExceeded: Type.Optional(Type.Union([Type.Literal('skip-paid'), Type.Literal('refuse')])),
  },
  { additionalProperties: false },
);

export const RouteSchema = Type.Object(
  {
    name: Name,
    deployments: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 32 }),
    /**
     * How the usable deployments are ordered: `ordered` (as listed, the default), `lowest-latency`
     * (recent median time to first byte from live traffic, with some exploration), `lowest-cost`
     * (from pricing; local is free) or `weighted` (random by `weights`). Filters come first and
     * `x-switchyard-prefer` still wins.
     */
    strategy: Type.Optional(Type.Union([Type.Literal('ordered'), Type.Literal('lowest-latency'), Type.Literal('lowest-cost'), Type.Literal('weighted')])),
    /** For `weighted`: each deployment's share (default 1). */
    weights: Type.Optional(Type.Record(Type.String({ minLength: 1 }), Type.Number({ minimum: 0, maximum: 1_000_000 }), { maxProperties: 32 })),
    /** Traits of a request that send it to another route instead, tried in order; the first that matches wins. */
    rules: Type.Optional(Type.Array(RuleSchema, { maxItems: 32 })),
    retry: Type.Optional(RetrySchema),
    deadlineMs: Type.Optional(PositiveMs),
    /** Breaker settings for the route's deployments that set none themselves. */
    breaker: Type.Optional(BreakerSchema),
    /** Cache every answer of this route, not only temperature-0 requests. */
    cache: Type.Optional(Type.Boolean()),
    /**
     * Keep each session on the deployment that last answered it, while that one is usable: a
     * session is what its client names one (Claude Code's session id, Codex's prompt cache key,
     * `x-switchyard-session`); one idle for 30 minutes is forgotten.
     */
    stickySessions: Type.Optional(Type.Boolean()),
    /** Failure classes (or upstream status codes) that move on to the next deployment. */
    fallbackOn: Type.Optional(
      Type.Array(Type.Union([Type.Enum(FAILURE_CLASSES), Type.Integer({ minimum: 400, maximum: 599 })]), { maxItems: 64 }),
    ),
  },
  { additionalProperties: false },
);

export const ConfigSchema = Type.Object(
  {
    version: Type.Literal(1),
    providers: Type.Array(ProviderSchema, { maxItems: 64 }),
    deployments: Type.Array(DeploymentSchema, { maxItems: 512 }),
    routes: Type.Array(RouteSchema, { maxItems: 256 }),
    /**
     * Other model names for routes and deployments: `"claude-*": "coder"`. Keys may use `*` as a
     * wildcard; exact names of routes and deployments win, then exact aliases, then patterns in order.
     */
    // Bounded: a name no alias matches is tried against every pattern (each at most 256 x 256 steps).
    aliases: Type.Optional(Type.Record(Type.String({ minLength: 1, maxLength: 256 }), Type.String({ minLength: 1 }), { maxProperties: 256 })),
    budgets: Type.Optional(Type.Array(BudgetSchema, { maxItems: 64 })),
    settings: Type.Optional(SettingsSchema),
  },
  { additionalProperties: false },
);

export type Config = Type.Static<typeof ConfigSchema>;
export type ProviderConfig = Type.Static<typeof ProviderSchema>;
export type DeploymentConfig = Type.Static<typeof DeploymentSchema>;
export type Pricing = Type.Static<typeof PricingSchema>;
export type RouteConfig = Type.Static<typeof RouteSchema>;
export type TimeWindow = Type.Static<typeof TimeWindowSchema>;
export type Timeouts = Type.Static<typeof TimeoutsSchema>;
export type BreakerConfig = Type.Static<typeof BreakerSchema>;
export type Settings = Type.Static<typeof SettingsSchema>;
export type BudgetConfig = Type.Static<typeof BudgetSchema>;
export type Strategy = (typeof STRATEGIES)[number];
export type DayName = (typeof DAY_NAMES)[number];
export type Capability = (typeof CAPABILITIES)[number];
export type NativeApiName = NonNullable<ProviderConfig['apis']>[number];
