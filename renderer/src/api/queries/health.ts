/** Provider health now and over time, and resetting a breaker by hand. */
import { mutationOptions, queryOptions, type QueryClient } from '@tanstack/react-query';
import { api, send } from '../client';
import type { Health, HealthHistory } from '../types';
import { invalidate, path } from './paths';

export const healthQueries = {
  now: () => queryOptions({ queryKey: ['health'], queryFn: () => api<Health>('/admin/api/health'), refetchInterval: 5_000 }),
  history: () => queryOptions({ queryKey: ['health', 'history'], queryFn: () => api<HealthHistory>('/admin/api/health/history').then((r) => r.history), refetchInterval: 30_000 }),
};

export const breakerMutations = {
  reset: (client: QueryClient) => mutationOptions({ mutationFn: (deployment: string) => send(path('breakers', deployment, '/reset'), 'POST'), onSuccess: invalidate(client, 'health') }),
};
