/** The usage log: the overview, rows, rollups, one request's detail and kept bodies, and the export link. */
import { mutationOptions, queryOptions, type QueryClient } from '@tanstack/react-query';
import { api, send } from '../client';
import { invalidate } from './paths';
import type { KeptSession, Overview, ReleasedSessions, Rollups, SessionRef, UsageBodies, UsageDetail, UsageNames, UsagePage, UsageQuery, UsageSessions } from '../types';

/** The usage API's query: its keys from the gateway's schema (a misspelt one does not compile), values as form fields hold them. */
export type UsageParams = { [K in keyof UsageQuery]?: string };
const qs = (params: UsageParams) => new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')).toString();

// The usage views follow the log while the page is shown (not in a hidden tab or window): the newest
// page of requests every few seconds, so a tool's requests appear as it makes them; an older page
// stays as it was read, so the rows being read do not move.
export const usageQueries = {
  overview: () => queryOptions({ queryKey: ['usage', 'overview'], queryFn: () => api<Overview>('/admin/api/overview'), refetchInterval: 10_000 }),
  rows: (params: UsageParams) => queryOptions({ queryKey: ['usage', 'rows', params], queryFn: () => api<UsagePage>(`/admin/api/usage?${qs(params)}`), refetchInterval: params.before ? false : 3_000 }),
  /** Points per bucket, and the zone whose midnights start day buckets (the gateway's, maybe not this browser's). */
  rollups: (params: UsageParams) => queryOptions({ queryKey: ['usage', 'rollups', params], queryFn: () => api<Rollups>(`/admin/api/usage/rollups?${qs(params)}`), refetchInterval: 30_000 }),
  /** The sessions in the range, each added up, the most recently active first. */
  sessions: (params: UsageParams) => queryOptions({ queryKey: ['usage', 'sessions', params], queryFn: () => api<UsageSessions>(`/admin/api/usage/sessions?${qs(params)}`), refetchInterval: 10_000 }),
  /** The routes, deployments, providers and keys the log has rows of since an instant, configured now or not. */
  names: (since: string) => queryOptions({ queryKey: ['usage', 'names', since], queryFn: () => api<UsageNames>(`/admin/api/usage/names?${qs({ since })}`), refetchInterval: 30_000 }),
  exportUrl: (params: UsageParams) => `/admin/api/usage/export?${qs(params)}`,
  /** The routes that keep a session (sticky sessions), and where each sends its next request first. */
  kept: (ref: SessionRef) => queryOptions({ queryKey: ['usage', 'kept', ref], queryFn: () => api<KeptSession>(`/admin/api/usage/sessions/kept?${new URLSearchParams(ref)}`), refetchInterval: 10_000 }),
  /** One request's row with its routing decision. */
  detail: (requestId: string) => queryOptions({ queryKey: ['usage', 'detail', requestId], queryFn: () => api<UsageDetail>(`/admin/api/usage/${encodeURIComponent(requestId)}`) }),
  /** The start of its kept prompt and answer (both null when none were kept). */
  bodies: (requestId: string) => queryOptions({ queryKey: ['usage', 'bodies', requestId], queryFn: () => api<UsageBodies>(`/admin/api/usage/${encodeURIComponent(requestId)}/bodies`) }),
  /** Where either one downloads whole. */
  bodyUrl: (requestId: string, part: 'request' | 'answer') => `/admin/api/usage/${encodeURIComponent(requestId)}/bodies/${part}`,
};

export const usageMutations = {
  /** Lets a session go: its next request follows each route's order again. */
  release: (client: QueryClient) => mutationOptions({ mutationFn: (ref: SessionRef) => send<ReleasedSessions>(`/admin/api/usage/sessions/kept?${new URLSearchParams(ref)}`, 'DELETE'), onSuccess: invalidate(client, 'usage') }),
};
