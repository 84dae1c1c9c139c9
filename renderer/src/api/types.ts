/**
 * Shapes of the admin API, derived from the gateway's own schemas (the same TypeBox schemas that
 * validate and serialise them). Imported as types only: no gateway code reaches the bundle.
 */
export type { Config, DeploymentConfig, ProviderConfig, RouteConfig, Settings, TimeWindow } from '../../../gateway/config/schema';
export type {
  Breakers,
  BudgetView,
  DecisionView,
  CacheStatsView as CacheStats,
  ClientKeyCreated,
  ClientKeyInput,
  ClientKeyView as ClientKey,
  ConnectGuides,
  ConnectInput,
  ConnectResultView as ConnectResult,
  ConfigPreview,
  HealthHistory,
  HealthReport as Health,
  Overview,
  PlaygroundAnswer,
  PlaygroundWireAnswer,
  PlaygroundWireInput,
  ProbeOutcome,
  ProbeSample,
  ProviderInput,
  ProviderTest,
  ProviderView,
  RollupPointView as RollupPoint,
  Schedule,
  Session,
  SettingsView,
  ToolGuide,
  Trace,
  UpstreamSent,
  UsageAttemptView as Attempt,
  UsageDetail,
  UsageRowView as UsageRow,
} from '../../../gateway/surfaces/admin/schemas';
