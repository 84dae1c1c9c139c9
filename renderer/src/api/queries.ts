/** Every query as a queryOptions factory with hierarchical keys; mutations.ts invalidates their branches. */
import { queryOptions } from '@tanstack/react-query';
import { api, send } from './client';
import type {
  CacheStats,
  ClientKey,
  ConnectGuides,
  DeploymentConfig,
  Health,
  HealthHistory,
  Overview,
  ProviderView,
  RollupPoint,
  RouteConfig,
  Schedule,
  Session,
  SettingsView,
  TimeWindow,
  UsageDetail,
  UsageRow,
} from './types';

export const sessionQuery = () => queryOptions({ queryKey: ['session'], queryFn: () => api<Session>('/admin/api/session') });

export const configQueries = {
  providers: () => queryOptions({ queryKey: ['config', 'providers'], queryFn: () => api<{ providers: ProviderView[] }>('/admin/api/providers').then((r) => r.providers) }),
  deployments: () => queryOptions({ queryKey: ['config', 'deployments'], queryFn: () => api<{ deployments: DeploymentConfig[] }>('/admin/api/deployments').then((r) => r.deployments) }),
  routes: () => queryOptions({ queryKey: ['config', 'routes'], queryFn: () => api<{ routes: RouteConfig[] }>('/admin/api/routes').then((r) => r.routes) }),
  settings: () => queryOptions({ queryKey: ['config', 'settings'], queryFn: () => api<SettingsView>('/admin/api/settings') }),
  models: (provider: string) =>
    queryOptions({
      queryKey: ['config', 'providers', provider, 'models'],
      queryFn: () => api<{ models: string[]; error: string | null }>(`/admin/api/providers/${encodeURIComponent(provider)}/models`),
      staleTime: 30_000,
    }),
  /** The week grid and the live line for windows being edited (computed by the gateway, nothing saved). */
  schedule: (timeWindows: TimeWindow[], timeZone: string) =>
    queryOptions({
      queryKey: ['schedule', timeWindows, timeZone],
      queryFn: () => send<Schedule>('/admin/api/schedule/preview', 'POST', { timeWindows, ...(timeZone ? { timeZone } : {}) }),
      retry: false,
      refetchInterval: 60_000,
    }),
};

export const healthQueries = {
  now: () => queryOptions({ queryKey: ['health'], queryFn: () => api<Health>('/admin/api/health'), refetchInterval: 5_000 }),
  history: () => queryOptions({ queryKey: ['health', 'history'], queryFn: () => api<HealthHistory>('/admin/api/health/history').then((r) => r.history), refetchInterval: 30_000 }),
};

export type UsageParams = Record<string, string | undefined>;
const qs = (params: UsageParams) => new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')).toString();

export const usageQueries = {
  overview: () => queryOptions({ queryKey: ['usage', 'overview'], queryFn: () => api<Overview>('/admin/api/overview'), refetchInterval: 10_000 }),
  rows: (params: UsageParams) => queryOptions({ queryKey: ['usage', 'rows', params], queryFn: () => api<{ rows: UsageRow[]; next: string | null }>(`/admin/api/usage?${qs(params)}`) }),
  rollups: (params: UsageParams) => queryOptions({ queryKey: ['usage', 'rollups', params], queryFn: () => api<{ points: RollupPoint[] }>(`/admin/api/usage/rollups?${qs(params)}`).then((r) => r.points) }),
  exportUrl: (params: UsageParams) => `/admin/api/usage/export?${qs(params)}`,
  /** One request's row with its routing decision. */
  detail: (requestId: string) => queryOptions({ queryKey: ['usage', 'detail', requestId], queryFn: () => api<UsageDetail>(`/admin/api/usage/${encodeURIComponent(requestId)}`) }),
};

export const keyQueries = { all: () => queryOptions({ queryKey: ['keys'], queryFn: () => api<{ keys: ClientKey[] }>('/admin/api/keys').then((r) => r.keys) }) };
export const cacheQueries = { stats: () => queryOptions({ queryKey: ['cache'], queryFn: () => api<CacheStats>('/admin/api/cache') }) };
export const connectQueries = {
  /** Every tool's settings, for the route named (else the first). */
  guides: (route: string) => queryOptions({ queryKey: ['connect', route], queryFn: () => api<ConnectGuides>(`/admin/api/connect${route ? `?route=${encodeURIComponent(route)}` : ''}`), placeholderData: (previous) => previous }),
};
