/** Shapes of the admin API, as the UI uses them. The gateway's own types are imported as types only. */
import type { Config, DeploymentConfig, ProviderConfig, RouteConfig, Settings, TimeWindow } from '../../../gateway/config/schema';
import type { RollupPoint, UsageRow } from '../../../gateway/store/usage-log';
import type { ClientKey } from '../../../gateway/store/client-keys';
import type { Attempt } from '../../../gateway/routing/execute';

export type { Config, DeploymentConfig, RouteConfig, Settings, TimeWindow, RollupPoint, UsageRow, ClientKey, Attempt };

export type ProviderView = Omit<ProviderConfig, 'apiKey'> & { apiKey: { reference: string | null; set: boolean; last4: string | null } };

export interface Health {
  status: string;
  version: string;
  providers: { name: string; kind: string; baseUrl: string; status: string; reason: string | null; probe: { ok: boolean; latencyMs: number; version: string | null; models: string[] | null; error: string | null } | null; lastError: string | null }[];
  deployments: {
    name: string;
    provider: string;
    model: string;
    status: string;
    modelAvailable: boolean | null;
    inTimeWindow: boolean;
    windowChangesAt: string | null;
    breaker: { state: string; openUntil: string | null; coolingUntil: string | null; consecutiveFailures: number };
    lastError: string | null;
    lastLatencyMs: number | null;
  }[];
}

export interface Overview {
  requests: number;
  errors: number;
  fallbackRate: number;
  cacheHitRate: number;
  cost: number;
  wouldCost: number;
  saved: number;
  recentFailures: UsageRow[];
}

export interface Schedule {
  timeZone: string;
  grid: boolean[][];
  usableNow: boolean;
  summary: string;
}

export interface ProbeSample {
  at: number;
  ok: boolean;
  latencyMs: number | null;
}



export interface Trace {
  deployment: string;
  provider: string;
  cache: string;
  attempts: Attempt[];
  skipped: { deployment: string; reason: string; message: string }[];
  tokens: { input: number; output: number } | null;
  cost: number;
  totalMs: number;
  firstTokenMs: number | null;
}
