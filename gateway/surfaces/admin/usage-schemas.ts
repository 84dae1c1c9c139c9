/** The usage log over the admin API: rows, one request's decision, rollups, the overview, and their query. */
import Type from 'typebox';
import { Name, NullableNumber, NullableString, Strict } from './schema-parts';
import { digitsPattern, STATUS_PATTERN } from '../../config/patterns';
import { MAX_TOOL_CHARS } from '../../config/tool-names';

export const UsageAttemptSchema = Type.Object({
  deployment: Type.String(),
  provider: Type.String(),
  outcome: Type.Union([Type.Literal('ok'), Type.Literal('failed')]),
  failure: Type.Optional(Type.String()),
  status: Type.Optional(Type.Integer()),
  message: Type.Optional(Type.String()),
  latencyMs: Type.Number(),
});
const UsageRowSchema = Type.Object({
  id: Type.String(),
  at: Type.Number(),
  endpoint: Type.String(),
  api: NullableString,
  clientKey: Type.String(),
  model: Type.String(),
  route: NullableString,
  deployment: NullableString,
  provider: NullableString,
  status: Type.Integer(),
  errorClass: NullableString,
  errorMessage: NullableString,
  session: NullableString,
  /** The tool that sent it, as its headers name it: Claude Code, Codex, curl. */
  tool: NullableString,
  attempts: Type.Array(UsageAttemptSchema),
  fallback: Type.Boolean(),
  stream: Type.Boolean(),
  cached: Type.Boolean(),
  inputTokens: NullableNumber,
  outputTokens: NullableNumber,
  cacheReadTokens: NullableNumber,
  cacheWriteTokens: NullableNumber,
  tokensEstimated: Type.Boolean(),
  cost: Type.Number(),
  wouldCost: Type.Number(),
  saved: Type.Number(),
  ttftMs: NullableNumber,
  totalMs: Type.Number(),
});
const Time = Type.String({ maxLength: 64 });
export const UsageQuerySchema = Type.Object(
  {
    since: Type.Optional(Time),
    until: Type.Optional(Time),
    route: Type.Optional(Name),
    deployment: Type.Optional(Name),
    provider: Type.Optional(Name),
    clientKey: Type.Optional(Name),
    /** Rows only: the rollups keep no sessions. */
    session: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    /** The tool that sent the requests, as the rows name it ("Claude Code", "Codex"). */
    tool: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_TOOL_CHARS })),
    status: Type.Optional(Type.String({ pattern: STATUS_PATTERN })),
    cached: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
    limit: Type.Optional(Type.String({ pattern: digitsPattern(4) })),
    before: Type.Optional(Type.String({ maxLength: 128 })),
    granularity: Type.Optional(Type.Union([Type.Literal('minute'), Type.Literal('hour'), Type.Literal('day')])),
    groupBy: Type.Optional(Type.Union(['none', 'deployment', 'provider', 'route', 'clientKey', 'tool'].map((g) => Type.Literal(g)))),
    format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('json')])),
  },
  Strict,
);
export const UsagePageSchema = Type.Object({ rows: Type.Array(UsageRowSchema), next: NullableString });
/** A request's routing decision: the route and how it was chosen, and every deployment in the order considered. */
export const DecisionSchema = Type.Object({
  route: Type.String(),
  direct: Type.Optional(Type.Boolean()),
  alias: Type.Optional(Type.String()),
  rule: Type.Optional(Type.String()),
  strategy: Type.String(),
  cached: Type.Optional(Type.Boolean()),
  sticky: Type.Optional(Type.String()),
  /** Paid deployments tried last: their budget would be spent if the requests in flight cost what they hold. */
  deferred: Type.Optional(Type.Array(Type.String())),
  cold: Type.Optional(Type.Array(Type.String())),
  cut: Type.Optional(Type.Array(Type.String())),
  steps: Type.Array(
    Type.Object({
      deployment: Type.String(),
      outcome: Type.Union([Type.Literal('skipped'), Type.Literal('ok'), Type.Literal('failed')]),
      reason: Type.Optional(Type.String()),
      status: Type.Optional(Type.Integer()),
      ms: Type.Optional(Type.Number()),
      message: Type.Optional(Type.String()),
    }),
  ),
});
/** One session's requests in a range, added up: what a Claude Code or Codex session cost, and what answered it. */
export const SessionSummarySchema = Type.Object({
  session: Type.String(),
  clientKey: Type.String(),
  tool: NullableString,
  requests: Type.Integer(),
  errors: Type.Integer(),
  fallbacks: Type.Integer(),
  inputTokens: Type.Number(),
  outputTokens: Type.Number(),
  cost: Type.Number(),
  saved: Type.Number(),
  firstAt: Type.Number(),
  lastAt: Type.Number(),
  /** The deployments that answered it, most requests first. */
  deployments: Type.Array(Type.String()),
});
export const UsageSessionsSchema = Type.Object({ sessions: Type.Array(SessionSummarySchema) });
/** One client key's session, as the usage log names both (`anonymous` for requests without a key). */
export const SessionRefSchema = Type.Object({ session: Type.String({ minLength: 1, maxLength: 200 }), clientKey: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
/** The routes that keep the session, and the deployment each sends its next request to first. */
export const KeptSessionSchema = Type.Object({ kept: Type.Array(Type.Object({ route: Type.String(), deployment: Type.String() })) });
export const ReleasedSessionSchema = Type.Object({ released: Type.Integer() });
export const UsageDetailSchema = Type.Object({ ...UsageRowSchema.properties, decision: Type.Union([DecisionSchema, Type.Null()]) });
export const RequestIdParams = Type.Object({ requestId: Type.String({ minLength: 1, maxLength: 128 }) });
export const BodyPartParams = Type.Object({ ...RequestIdParams.properties, part: Type.Union([Type.Literal('request'), Type.Literal('answer')]) });
/** The start of a kept prompt (the request as the client sent it, JSON) or answer (its text), and how long it is whole. */
const BodyPreview = Type.Union([Type.Object({ text: Type.String(), length: Type.Integer() }), Type.Null()]);
export const UsageBodiesSchema = Type.Object({ request: BodyPreview, answer: BodyPreview });
export const RollupPointSchema = Type.Object({
  bucket: Type.Number(),
  group: NullableString,
  requests: Type.Integer(),
  errors: Type.Integer(),
  fallbacks: Type.Integer(),
  cachedRequests: Type.Integer(),
  inputTokens: Type.Number(),
  outputTokens: Type.Number(),
  cost: Type.Number(),
  wouldCost: Type.Number(),
  saved: Type.Number(),
  latencyP50Ms: NullableNumber,
  latencyP95Ms: NullableNumber,
});
/** `GET /usage/names?since=`: what the log has rows of, configured now or not. */
export const UsageNamesQuerySchema = Type.Object({ since: Type.Optional(Time) }, Strict);
export const UsageNamesSchema = Type.Object({ routes: Type.Array(Type.String()), deployments: Type.Array(Type.String()), providers: Type.Array(Type.String()), clientKeys: Type.Array(Type.String()), tools: Type.Array(Type.String()) });
/**
 * `buckets`: the start of every bucket in the range, empty ones included, and of every point's,
 * oldest first (a chart's axis); `timeZone`: whose midnights start the day buckets (the gateway's), for labelling them.
 */
export const RollupsSchema = Type.Object({ points: Type.Array(RollupPointSchema), buckets: Type.Array(Type.Number()), timeZone: Type.String() });
export const OverviewSchema = Type.Object({
  since: Type.String(),
  requests: Type.Integer(),
  errors: Type.Integer(),
  fallbackRate: Type.Number(),
  cacheHitRate: Type.Number(),
  cost: Type.Number(),
  wouldCost: Type.Number(),
  saved: Type.Number(),
  /** The cloud model whose price local answers "would have cost" (settings.usage.compareWith, or the default). */
  comparedWith: Type.String(),
  recentFailures: Type.Array(UsageRowSchema),
  /** Today's requests and cost per tool that sent them, the most requests first; `tool` null for those whose headers named none. */
  todayByTool: Type.Array(Type.Object({ tool: NullableString, requests: Type.Integer(), cost: Type.Number() })),
  /** The tools that sent requests in the last 7 days, the most recent first (counted among the newest 5,000 rows); not the playground. */
  tools: Type.Array(Type.Object({ tool: Type.String(), requests: Type.Integer(), lastAt: Type.Number() })),
});

export type UsageRowView = Type.Static<typeof UsageRowSchema>;
export type UsageAttemptView = Type.Static<typeof UsageAttemptSchema>;
export type UsageQuery = Type.Static<typeof UsageQuerySchema>;
export type RollupPointView = Type.Static<typeof RollupPointSchema>;
export type Rollups = Type.Static<typeof RollupsSchema>;
export type UsageNames = Type.Static<typeof UsageNamesSchema>;
export type Overview = Type.Static<typeof OverviewSchema>;
export type UsageDetail = Type.Static<typeof UsageDetailSchema>;
export type UsageBodies = Type.Static<typeof UsageBodiesSchema>;
export type DecisionView = Type.Static<typeof DecisionSchema>;
export type SessionSummaryView = Type.Static<typeof SessionSummarySchema>;
export type SessionRef = Type.Static<typeof SessionRefSchema>;
export type KeptSession = Type.Static<typeof KeptSessionSchema>;
