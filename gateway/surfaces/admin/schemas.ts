/**
 * Every admin API body, request and response, as TypeBox schemas: Fastify validates requests and
 * serialises responses with them, the handlers are typed by them, and the renderer's types are
 * derived from them (import type only), so the three cannot drift apart. The usage log's are in
 * usage-schemas.ts, and what is said of providers' servers (models, pulls, quirks) in
 * server-schemas.ts, both exported from here too.
 */
import Type from 'typebox';
import { BudgetSchema, DeploymentSchema, ProviderSchema, RouteSchema, SettingsSchema, TimeWindowSchema, ConfigSchema } from '../../config/schema';
import { BudgetViewSchema, HealthReportSchema } from '../health/schema';
import { ChatBodySchema } from '../openai/schemas';
import { mergePatchOf, Name, NullableNumber, NullableString, Strict } from './schema-parts';
import { DecisionSchema, UsageAttemptSchema } from './usage-schemas';
import { NoticesViewSchema } from './server-schemas';
import { digitsPattern, KEY_NAME_PATTERN } from '../../config/patterns';
import { ALLOWED_ROUTES_MAX, RATE_LIMIT_MAX, ROUTE_NAME_MAX } from '../../store/client-keys';

export * from './usage-schemas';
export * from './server-schemas';
export const NameParams = Type.Object({ name: Name });
export const DeploymentParams = Type.Object({ deployment: Name });

/** A field error: `path` in the whole config, `field` relative to the item being edited when known. */
const IssueSchema = Type.Object({ path: Type.String(), message: Type.String(), field: Type.Optional(NullableString) });
/** Every admin error's body (validation.ts, the error handler): the OpenAI-style error and, for a config, its field errors. */
export const ErrorBodySchema = Type.Object({
  error: Type.Object({ message: Type.String(), type: Type.String(), param: NullableString, code: NullableString }, { additionalProperties: true }),
  errors: Type.Optional(Type.Array(IssueSchema)),
});

// --- session; `loginLink`: what `login-link` needs for a link this gateway takes (session.ts)
export const SessionSchema = Type.Object({ authenticated: Type.Boolean(), version: Type.String(), loginLink: Type.Object({ dataDir: NullableString, hiddenDataDir: Type.Boolean() }) });

// --- providers, deployments, routes
const { apiKey: _apiKey, ...providerFields } = ProviderSchema.properties;
/**
 * A provider as the API shows it: its key never, only its reference, whether it is set, its last 4,
 * and why a key that is set cannot be sent (a space or line break inside it), null when it can; each
 * header that names a key, and whether that is set; and whether it counts as local (free, used while
 * local only is on): its `local`, else its address's guess.
 */
export const ProviderViewSchema = Type.Object({
  ...providerFields,
  runsLocally: Type.Boolean(),
  apiKey: Type.Object({ reference: NullableString, set: Type.Boolean(), last4: NullableString, problem: NullableString }),
  headerKeys: Type.Array(Type.Object({ header: Type.String(), reference: Type.String(), set: Type.Boolean() })),
});
/** Keys typed for a provider's headers, by header: each kept as the API key is, and named by its header's value. */
const HeaderKeyValues = Type.Record(Type.String({ pattern: '^[A-Za-z0-9-]{1,128}$' }), Type.String({ minLength: 1, maxLength: 8192 }), { maxProperties: 64 });
/** A provider as the API takes it: `apiKey` a reference (or null to remove it), or `apiKeyValue` to store a key; `headerKeyValues` to store headers' keys. */
export const ProviderInputSchema = Type.Object(
  { ...providerFields, apiKey: Type.Optional(Type.Union([ProviderSchema.properties.apiKey, Type.Null()])), apiKeyValue: Type.Optional(Type.String({ minLength: 1, maxLength: 8192 })), headerKeyValues: Type.Optional(HeaderKeyValues) },
  Strict,
);
/** A provider's fields to change, the rest kept as they are now; `apiKey` and `apiKeyValue` as in a PUT, the key kept when neither is given. */
export const ProviderPatchSchema = mergePatchOf(ProviderInputSchema.properties);
export const ProviderListSchema = Type.Object({ providers: Type.Array(ProviderViewSchema) });
export const DeploymentListSchema = Type.Object({ deployments: Type.Array(DeploymentSchema) });
export const RouteListSchema = Type.Object({ routes: Type.Array(RouteSchema) });
export const DeletedSchema = Type.Object({ deleted: Type.String() });
export const RouteOrderSchema = Type.Object({ deployments: Type.Array(Name, { maxItems: 32 }) }, Strict);
/** `keepAlias`: the old name stays an alias of the route, so tools that ask for it still reach it. */
export const RouteRenameSchema = Type.Object({ name: Name, keepAlias: Type.Boolean() }, Strict);
/** A deployment's fields to change, the rest kept as they are now; a new name renames it everywhere (`keepAlias`: the old one stays an alias of it). */
export const DeploymentPatchSchema = mergePatchOf({ ...DeploymentSchema.properties, keepAlias: Type.Boolean() });
/** A budget's scope is a union: patched as the object it is (`{"route": null, "clientKey": "ci"}` moves it to a key), or replaced by "global". */
const ScopePatch = Type.Union([Type.Literal('global'), Type.Object({ route: Type.Optional(NullableString), clientKey: Type.Optional(NullableString), provider: Type.Optional(NullableString), tool: Type.Optional(NullableString) }, Strict)]);
export const BudgetPatchSchema = mergePatchOf({ ...BudgetSchema.properties, scope: ScopePatch });
const { name: _routeName, ...routeFields } = RouteSchema.properties;
/** A route's fields to change, the rest kept as they are now (a rename is a PUT). */
export const RoutePatchSchema = mergePatchOf(routeFields);

export const SchedulePreviewSchema = Type.Object({ timeZone: Type.Optional(Type.String({ maxLength: 64 })), timeWindows: Type.Optional(Type.Array(TimeWindowSchema, { maxItems: 64 })) }, Strict);
export const ScheduleSchema = Type.Object({
  timeZone: Type.String(),
  grid: Type.Array(Type.Array(Type.Boolean())),
  usableNow: Type.Boolean(),
  changesAt: NullableString,
  summary: Type.String(),
});

// --- settings and the whole config
/** Where keys live; `unreadable` names stored keys that could not be decrypted (enter them again), `unused` kept keys the config names nowhere (kept-keys.ts). */
const SecretsViewSchema = Type.Object({ backend: Type.String(), protected: Type.Boolean(), canStore: Type.Boolean(), unreadable: Type.Optional(Type.Array(Type.String())), unused: Type.Array(Type.String()) });
const ServerViewSchema = Type.Object({ host: Type.String(), port: Type.Integer(), exposed: Type.Boolean(), notices: NoticesViewSchema, configFile: NullableString });
/**
 * Where the gateway keeps its data (`argument`: the dir as one word of a command line, quoted as
 * this machine's shell needs), and the database's size on disk (file, WAL and shared memory).
 */
const DataViewSchema = Type.Object({ dir: Type.String(), argument: Type.String(), bytes: Type.Integer() });
export const SettingsViewSchema = Type.Object({ settings: SettingsSchema, server: ServerViewSchema, data: DataViewSchema, secrets: SecretsViewSchema });
export const SettingsInputSchema = Type.Object({ settings: SettingsSchema }, Strict);
/** The settings to change, the rest kept as they are now (the tray or another window may have changed them). */
export const SettingsPatchSchema = Type.Object({ settings: mergePatchOf(SettingsSchema.properties) }, Strict);
export const SettingsSavedSchema = Type.Object({ settings: SettingsSchema });
/** A config to preview or import: any JSON, validated in full (shape and meaning) by validateConfig. */
export const ConfigInputSchema = Type.Object({ config: Type.Unknown() }, Strict);
const ConfigChangeSchema = Type.Object({
  change: Type.Union([Type.Literal('added'), Type.Literal('removed'), Type.Literal('changed'), Type.Literal('renamed')]),
  kind: Type.Union([Type.Literal('provider'), Type.Literal('deployment'), Type.Literal('route'), Type.Literal('settings')]),
  name: Type.String(),
  from: Type.Optional(Type.String()), // a renamed item's name before
});
export const ConfigPreviewSchema = Type.Object({ valid: Type.Boolean(), errors: Type.Array(IssueSchema), warnings: Type.Array(IssueSchema), changes: Type.Array(ConfigChangeSchema) });
/** What the config in force is taken with but may not mean (a route of one deployment, a key written as plain text). */
export const ConfigWarningsSchema = Type.Object({ warnings: Type.Array(IssueSchema) });
export const ConfigImportedSchema = Type.Object({ applied: Type.Literal(true), config: ConfigSchema });
export const RevisionParams = Type.Object({ id: Type.String({ pattern: digitsPattern(12) }) });
const ConfigRevisionSchema = Type.Object({ id: Type.Integer(), createdAt: Type.Number(), source: Type.String() });
/** Newest first; the first is the config in force. */
export const ConfigRevisionListSchema = Type.Object({ revisions: Type.Array(ConfigRevisionSchema) });

// --- provider tools
export const ProbeOutcomeSchema = Type.Object({
  ok: Type.Boolean(), latencyMs: NullableNumber, error: NullableString,
  /** Null when the provider keeps no models list (its server answered 404 or 405 for it). */
  models: Type.Union([Type.Array(Type.String()), Type.Null()]),
  loaded: Type.Optional(Type.Union([Type.Array(Type.String()), Type.Null()])),
  version: NullableString,
});
/** A provider as typed in a form, to test before saving: a stored key reference, or a key typed in for this test only. */
export const ProviderTestSchema = Type.Object({ ...ProviderSchema.properties, apiKeyValue: Type.Optional(Type.String({ minLength: 1, maxLength: 8192 })), headerKeyValues: Type.Optional(HeaderKeyValues) }, Strict);
export const ModelListSchema = Type.Object({ models: Type.Array(Type.String()), error: NullableString });

// --- health, budgets and breakers
export { HealthReportSchema };
export const BudgetListSchema = Type.Object({ budgets: Type.Array(BudgetViewSchema) });
export const ProbeSampleSchema = Type.Object({ at: Type.Number(), ok: Type.Boolean(), latencyMs: NullableNumber });
export const HealthHistorySchema = Type.Object({ history: Type.Record(Type.String(), Type.Array(ProbeSampleSchema)) });
const BreakerState = Type.Union([Type.Literal('closed'), Type.Literal('open'), Type.Literal('half-open')]);
export const BreakerViewSchema = Type.Object({
  deployment: Type.String(),
  state: BreakerState,
  openUntil: NullableNumber,
  coolingUntil: NullableNumber,
  probeInFlight: Type.Boolean(),
  consecutiveFailures: Type.Integer(),
  cooldownMs: Type.Number(),
  lastTransitionAt: NullableNumber,
  blockedBy: NullableString,
  blockedMessage: NullableString,
});
const TransitionSchema = Type.Object({ deployment: Type.String(), from: BreakerState, to: BreakerState, at: Type.Number(), reason: Type.String() });
export const BreakersSchema = Type.Object({ breakers: Type.Array(BreakerViewSchema), transitions: Type.Array(TransitionSchema) });

// --- cache and client keys
export const CacheStatsSchema = Type.Object({ entries: Type.Integer(), bytes: Type.Integer(), hits: Type.Integer(), maxBytes: Type.Integer() });
export const PurgedSchema = Type.Object({ purged: Type.Integer() });
const ClientKeySchema = Type.Object({
  name: Type.String(),
  prefix: Type.String(),
  createdAt: Type.Number(),
  revokedAt: NullableNumber,
  rateLimitPerMinute: Type.Union([Type.Integer(), Type.Null()]),
  allowedRoutes: Type.Union([Type.Array(Type.String()), Type.Null()]),
});
/** A key as listed: with the names of its route list that nothing in the config answers to now (requests for them are refused). */
const ClientKeyListedSchema = Type.Object({ ...ClientKeySchema.properties, unknownRoutes: Type.Array(Type.String()) });
export const ClientKeyListSchema = Type.Object({ keys: Type.Array(ClientKeyListedSchema) });
export const ClientKeyInputSchema = Type.Object(
  {
    name: Type.String({ pattern: KEY_NAME_PATTERN }),
    rateLimitPerMinute: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: RATE_LIMIT_MAX }), Type.Null()])),
    allowedRoutes: Type.Optional(Type.Union([Type.Array(Type.String({ minLength: 1, maxLength: ROUTE_NAME_MAX }), { maxItems: ALLOWED_ROUTES_MAX }), Type.Null()])),
  },
  Strict,
);
export const ClientKeyCreatedSchema = Type.Object({ key: Type.String(), record: ClientKeySchema });
export const RevokedSchema = Type.Object({ revoked: Type.String() });

// --- playground
/** A chat request checked as /v1/chat/completions checks it (a bad one is the client's 400, never sent upstream), and the deployments to fail. */
export const PlaygroundInputSchema = Type.Object(
  { ...ChatBodySchema.properties, simulateFailures: Type.Optional(Type.Array(Name, { maxItems: 32 })) },
  { additionalProperties: true },
);
const SkipSchema = Type.Object({ deployment: Type.String(), provider: Type.String(), reason: Type.String(), message: Type.String(), until: NullableNumber });
export const TraceSchema = Type.Object({
  deployment: Type.String(),
  provider: Type.String(),
  cache: Type.String(),
  attempts: Type.Array(UsageAttemptSchema),
  skipped: Type.Array(SkipSchema),
  tokens: Type.Union([Type.Object({ input: Type.Number(), output: Type.Number() }), Type.Null()]),
  cost: Type.Number(),
  totalMs: Type.Number(),
  firstTokenMs: NullableNumber,
  decision: Type.Optional(DecisionSchema),
});
/** A request the gateway sent upstream for a playground run, as it went (translated or passed through). */
export const UpstreamSentSchema = Type.Object({ provider: Type.String(), method: Type.String(), url: Type.String(), body: Type.Unknown() });
/** A whole playground answer: the completion as the upstream answered (unchanged), beside the trace. */
export const PlaygroundAnswerSchema = Type.Object({ completion: Type.Unknown(), ...TraceSchema.properties, upstream: Type.Array(UpstreamSentSchema) });
/** A request in any front door's API, sent through that front door as a client would send it. */
export const PlaygroundWireInputSchema = Type.Object(
  {
    api: Type.Union((['openai', 'anthropic', 'responses', 'ollama', 'embeddings', 'ollama-embed'] as const).map((api) => Type.Literal(api))),
    body: Type.Record(Type.String(), Type.Unknown()),
    simulateFailures: Type.Optional(Type.Array(Name, { maxItems: 32 })),
  },
  Strict,
);
/** What the front door answered (JSON, or the SSE text of a stream), its usage row, and what went upstream. */
export const PlaygroundWireAnswerSchema = Type.Object({
  status: Type.Integer(),
  contentType: Type.String(),
  answer: Type.Unknown(),
  requestId: Type.String(),
  deployment: NullableString,
  provider: NullableString,
  cache: Type.String(),
  attempts: Type.Array(UsageAttemptSchema),
  tokens: Type.Union([Type.Object({ input: Type.Number(), output: Type.Number() }), Type.Null()]),
  cost: Type.Number(),
  totalMs: Type.Number(),
  firstTokenMs: NullableNumber,
  decision: Type.Union([DecisionSchema, Type.Null()]),
  upstream: Type.Array(UpstreamSentSchema),
});

// --- connect a tool
export const ToolGuideSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  api: Type.Union(['anthropic', 'responses', 'openai', 'ollama'].map((a) => Type.Literal(a))),
  connect: Type.Optional(Type.String()),
  configFile: Type.Optional(Type.String()),
  settings: Type.Array(Type.Object({ label: Type.String(), value: Type.String() })),
  snippet: Type.Optional(Type.Object({ language: Type.String(), text: Type.String() })),
  seenAs: Type.Optional(Type.Array(Type.String())),
});
export const ConnectGuidesSchema = Type.Object({
  url: Type.String(),
  keyRequired: Type.Boolean(),
  model: NullableString,
  models: Type.Array(Type.String()),
  tools: Type.Array(ToolGuideSchema),
  /** Tools whose config Switchyard has written (and can undo). */
  connected: Type.Array(Type.String()),
  /** Where each tool's settings file points it now: this gateway (`here`), another address (`other`), something else (`off`), no file (`none`). */
  connections: Type.Array(Type.Object({ tool: Type.String(), state: Type.Union([Type.Literal('here'), Type.Literal('other'), Type.Literal('off'), Type.Literal('none')]), url: NullableString, route: NullableString, unknownRoute: Type.Boolean() })),
});
/** What any client tool needs, for the dashboard's snippets: whether it must send a key, and the chat and embedding models it can ask for (first: the one to suggest). */
export const ClientBasicsSchema = Type.Object({ keyRequired: Type.Boolean(), models: Type.Array(Type.String()), embeddingModels: Type.Array(Type.String()) });
export const ConnectQuerySchema = Type.Object({ route: Type.Optional(Name) }, Strict);
export const ConnectToolParams = Type.Object({ tool: Type.String({ minLength: 1, maxLength: 64 }) });
export const ConnectInputSchema = Type.Object(
  { route: Type.Optional(Name), dryRun: Type.Optional(Type.Boolean()), undo: Type.Optional(Type.Boolean()), force: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export const ConnectResultSchema = Type.Object({
  tool: Type.String(),
  file: Type.String(),
  diff: Type.String(),
  changed: Type.Boolean(),
  applied: Type.Boolean(),
  backup: Type.Optional(Type.String()),
  createdKey: Type.Optional(Type.String()),
});

/** An alias in the path (it may hold `*` and `/`, URL-encoded), and what it stands for. */
export const AliasParams = Type.Object({ alias: Type.String({ minLength: 1, maxLength: 256 }) });
export const AliasTargetSchema = Type.Object({ target: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false });
export const AliasSchema = Type.Object({ alias: Type.String(), target: Type.String() });
export const AliasListSchema = Type.Object({ aliases: Type.Array(AliasSchema) });
export type Alias = Type.Static<typeof AliasSchema>;
export type ProviderView = Type.Static<typeof ProviderViewSchema>;
export type ProviderInput = Type.Static<typeof ProviderInputSchema>;
export type ProviderPatch = Type.Static<typeof ProviderPatchSchema>;
export type ProviderTest = Type.Static<typeof ProviderTestSchema>;
export type SettingsView = Type.Static<typeof SettingsViewSchema>;
export type RoutePatch = Type.Static<typeof RoutePatchSchema>;
export type RouteRename = Type.Static<typeof RouteRenameSchema>;
export type ErrorBody = Type.Static<typeof ErrorBodySchema>;
export type BudgetPatch = Type.Static<typeof BudgetPatchSchema>;
export type SettingsPatch = Type.Static<typeof SettingsPatchSchema>['settings'];
export type Schedule = Type.Static<typeof ScheduleSchema>;
export type ConfigPreview = Type.Static<typeof ConfigPreviewSchema>;
export type ConfigRevision = Type.Static<typeof ConfigRevisionSchema>;
export type ProbeOutcome = Type.Static<typeof ProbeOutcomeSchema>;
export type ProbeSample = Type.Static<typeof ProbeSampleSchema>;
export type Breakers = Type.Static<typeof BreakersSchema>;
export type CacheStatsView = Type.Static<typeof CacheStatsSchema>;
export type ClientKeyView = Type.Static<typeof ClientKeyListedSchema>;
export type ClientKeyInput = Type.Static<typeof ClientKeyInputSchema>;
export type ClientKeyCreated = Type.Static<typeof ClientKeyCreatedSchema>;
export type Trace = Type.Static<typeof TraceSchema>;
export type PlaygroundAnswer = Type.Static<typeof PlaygroundAnswerSchema>;
export type PlaygroundWireInput = Type.Static<typeof PlaygroundWireInputSchema>;
export type PlaygroundWireAnswer = Type.Static<typeof PlaygroundWireAnswerSchema>;
export type UpstreamSent = Type.Static<typeof UpstreamSentSchema>;
export type ToolGuide = Type.Static<typeof ToolGuideSchema>;
export type ClientBasics = Type.Static<typeof ClientBasicsSchema>;
export type ConnectGuides = Type.Static<typeof ConnectGuidesSchema>;
export type ConnectInput = Type.Static<typeof ConnectInputSchema>;
export type ConnectResultView = Type.Static<typeof ConnectResultSchema>;
export type Session = Type.Static<typeof SessionSchema>;
export type HealthHistory = Type.Static<typeof HealthHistorySchema>;
export type { BudgetView, HealthReport } from '../health/schema';
