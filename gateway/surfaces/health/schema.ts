/** The health report's shape: the response schema of `/health` and `/admin/api/health`, and its type. */
import Type from 'typebox';

const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableNumber = Type.Union([Type.Number(), Type.Null()]);

/** What live traffic last said about a provider or deployment. */
const TrafficView = {
  lastOkAt: NullableString,
  lastFailureAt: NullableString,
  lastError: NullableString,
  lastLatencyMs: NullableNumber,
};

export const ProbeViewSchema = Type.Object({
  at: Type.String(),
  ok: Type.Boolean(),
  latencyMs: Type.Number(),
  error: NullableString,
  version: NullableString,
  models: Type.Union([Type.Array(Type.String()), Type.Null()]),
  loaded: Type.Union([Type.Array(Type.String()), Type.Null()]),
});

const ProviderHealthSchema = Type.Object({
  name: Type.String(),
  kind: Type.String(),
  baseUrl: Type.String(),
  status: Type.String(),
  reason: NullableString,
  probe: Type.Union([ProbeViewSchema, Type.Null()]),
  /** How often the gateway probes it; 0: never (its config turns probes off), so only its answers say how it is. */
  probeIntervalMs: Type.Integer(),
  inFlight: Type.Integer(),
  queued: Type.Integer(),
  ...TrafficView,
});

const DeploymentHealthSchema = Type.Object({
  name: Type.String(),
  provider: Type.String(),
  model: Type.String(),
  type: Type.String(),
  enabled: Type.Boolean(),
  status: Type.String(),
  modelAvailable: Type.Union([Type.Boolean(), Type.Null()]),
  /** Where its provider's list lacks its model: the listed one it most likely meant (another tag, a letter or two off). */
  modelMeant: NullableString,
  inTimeWindow: Type.Boolean(),
  windowChangesAt: NullableString,
  breaker: Type.Object({
    state: Type.String(),
    openUntil: NullableString,
    coolingUntil: NullableString,
    consecutiveFailures: Type.Integer(),
    /** Open because its key was refused (auth), its model is missing, or its quota is spent. */
    blockedBy: NullableString,
    blockedMessage: NullableString,
  }),
  /** The context window its requests get, in tokens, and how far it may be raised (numCtx "auto"); null when not known. */
  contextWindow: NullableNumber,
  raiseTo: NullableNumber,
  /** What its model is known to do; null when nothing says. */
  capabilities: Type.Union([Type.Array(Type.String()), Type.Null()]),
  /** A chat deployment whose model its provider says only embeds: chat requests pass it over, and its type should be embedding. */
  misfiled: Type.Boolean(),
  /** The most tokens one answer may have (a request asking for more is sent this); null when not known. */
  maxOutput: NullableNumber,
  /** Paid, and a spent skip-paid budget keeps traffic off it. */
  overBudget: Type.Boolean(),
  /** Runs on this machine or the LAN (not a cloud provider, not an Ollama's cloud model). */
  local: Type.Boolean(),
  /** A cloud deployment while local only is on: the router skips it. */
  skippedLocalOnly: Type.Boolean(),
  /** Its model is in an Ollama's memory now, as the latest probe found it; null for other providers, or before a probe answered. */
  loaded: Type.Union([Type.Boolean(), Type.Null()]),
  ...TrafficView,
});

export const BudgetViewSchema = Type.Object({
  name: Type.String(),
  scope: Type.String(),
  period: Type.String(),
  limitUsd: Type.Number(),
  spentUsd: Type.Number(),
  /** Held by requests in flight to paid deployments (their prompts at the input price): routing counts it as spent. */
  inFlightUsd: Type.Number(),
  remainingUsd: Type.Number(),
  fraction: Type.Number(),
  exceeded: Type.Boolean(),
  onExceeded: Type.String(),
  periodStart: Type.String(),
  resetsAt: Type.String(),
  timeZone: Type.String(),
});

export const HealthReportSchema = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded'), Type.Literal('error')]),
  version: Type.String(),
  uptimeSeconds: Type.Integer(),
  store: Type.Union([Type.Literal('ok'), Type.Literal('error')]),
  /** What the store failed to write, and since when (a full disk): requests are still answered, but not all recorded. */
  storeError: Type.Union([Type.String(), Type.Null()]),
  memory: Type.Object({ rssBytes: Type.Integer() }),
  /** Local only is on: no request goes to a cloud provider. */
  localOnly: Type.Boolean(),
  providers: Type.Array(ProviderHealthSchema),
  deployments: Type.Array(DeploymentHealthSchema),
  budgets: Type.Array(BudgetViewSchema),
});

/**
 * `/health`'s answer: the whole report, or only whether the gateway is up (what anyone may read of one
 * reachable beyond this machine; the rest names providers' hosts, deployments and spend). One object
 * schema with the rest optional, not a union: a union's serialiser compiles a validator, 50 ms of start-up.
 */
export const HealthAnswerSchema = Type.Object({
  ...HealthReportSchema.properties,
  storeError: Type.Optional(HealthReportSchema.properties.storeError),
  memory: Type.Optional(HealthReportSchema.properties.memory),
  localOnly: Type.Optional(HealthReportSchema.properties.localOnly),
  providers: Type.Optional(HealthReportSchema.properties.providers),
  deployments: Type.Optional(HealthReportSchema.properties.deployments),
  budgets: Type.Optional(HealthReportSchema.properties.budgets),
});

export type HealthReport = Type.Static<typeof HealthReportSchema>;
export type BudgetView = Type.Static<typeof BudgetViewSchema>;
