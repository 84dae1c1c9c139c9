/**
 * Shapes of the admin API, derived from the gateway's own schemas (the same TypeBox schemas that
 * validate and serialise them). Imported as types only: no gateway code reaches the bundle.
 */
import type { Static } from 'typebox';
import type { AliasListSchema, ClientKeyListSchema, ConfigRevisionListSchema, ConfigWarningsSchema, DeploymentListSchema, ModelListSchema, ProviderListSchema, PurgedSchema, QuirkListSchema, RouteListSchema, SettingsSavedSchema } from '../../../gateway/surfaces/admin/schemas';
import type { ReleasedSessionSchema, UsagePageSchema, UsageSessionsSchema } from '../../../gateway/surfaces/admin/usage-schemas';
export type { BreakerConfig, BudgetConfig, Capability, Config, DeploymentConfig, ProviderConfig, RouteConfig, Settings, TimeWindow } from '../../../gateway/config/schema';
export type {
  Alias,
  Breakers,
  BudgetView,
  DecisionView,
  CacheStatsView as CacheStats,
  ClientBasics,
  ClientKeyCreated,
  ClientKeyInput,
  ClientKeyView as ClientKey,
  ConnectGuides,
  ConnectInput,
  ConnectResultView as ConnectResult,
  ConfigPreview,
  ConfigRevision,
  HealthHistory,
  HealthReport as Health,
  KeptSession,
  ModelMemory,
  NoticeTestResult,
  PullList,
  PullView as Pull,
  Overview,
  PlaygroundAnswer,
  PlaygroundWireAnswer,
  PlaygroundWireInput,
  ProbeOutcome,
  ProbeSample,
  ProviderInput,
  ProviderTest,
  ProviderView,
  QuirkView,
  RollupPointView as RollupPoint,
  Rollups,
  RoutePatch,
  RouteRename,
  Schedule,
  Session,
  SessionRef,
  SessionSummaryView as UsageSession,
  SettingsPatch,
  SettingsView,
  ToolGuide,
  Trace,
  UpstreamSent,
  UsageAttemptView as Attempt,
  ErrorBody,
  UsageBodies,
  UsageDetail,
  UsageNames,
  UsageQuery,
  UsageRowView as UsageRow,
  WebhookInput,
} from '../../../gateway/surfaces/admin/schemas';

/** The bodies the admin API wraps its lists and counts in, as their response schemas say. */
export type AliasList = Static<typeof AliasListSchema>;
export type ClientKeyList = Static<typeof ClientKeyListSchema>;
export type ConfigRevisionList = Static<typeof ConfigRevisionListSchema>;
export type ConfigWarnings = Static<typeof ConfigWarningsSchema>;
export type DeploymentList = Static<typeof DeploymentListSchema>;
export type ModelList = Static<typeof ModelListSchema>;
export type ProviderList = Static<typeof ProviderListSchema>;
export type Purged = Static<typeof PurgedSchema>;
export type QuirkList = Static<typeof QuirkListSchema>;
export type RouteList = Static<typeof RouteListSchema>;
export type SettingsSaved = Static<typeof SettingsSavedSchema>;
export type ReleasedSessions = Static<typeof ReleasedSessionSchema>;
export type UsagePage = Static<typeof UsagePageSchema>;
export type UsageSessions = Static<typeof UsageSessionsSchema>;
