/** Provider health now and over time, resetting a breaker by hand, and local models: loaded ahead of their requests, let go, pulled. */
import { mutationOptions, queryOptions, type QueryClient } from '@tanstack/react-query';
import { api, send } from '../client';
import type { Breakers, Health, HealthHistory, ModelMemory, Pull, PullList } from '../types';
import { invalidate, path } from './paths';

export const healthQueries = {
  now: () => queryOptions({ queryKey: ['health'], queryFn: () => api<Health>('/admin/api/health'), refetchInterval: 5_000 }),
  history: () => queryOptions({ queryKey: ['health', 'history'], queryFn: () => api<HealthHistory>('/admin/api/health/history').then((r) => r.history), refetchInterval: 30_000 }),
  /** The last day's breaker transitions, oldest first (under 'health': a reset by hand asks again). */
  breakerEvents: () => queryOptions({ queryKey: ['health', 'breakers'], queryFn: () => api<Breakers>('/admin/api/breakers').then((r) => r.transitions), refetchInterval: 10_000 }),
};

export const breakerMutations = {
  reset: (client: QueryClient) => mutationOptions({ mutationFn: (deployment: string) => send(path('breakers', deployment, '/reset'), 'POST'), onSuccess: invalidate(client, 'health') }),
};

export const modelMutations = {
  /** Puts an Ollama deployment's model in memory; the health report then says it is loaded. */
  load: (client: QueryClient) => mutationOptions({ mutationFn: (deployment: string) => send<ModelMemory>(path('deployments', deployment, '/load'), 'POST'), onSuccess: invalidate(client, 'health') }),
  /** Frees it (once its requests finish); the health report then says it is not loaded. */
  unload: (client: QueryClient) => mutationOptions({ mutationFn: (deployment: string) => send<ModelMemory>(path('deployments', deployment, '/unload'), 'POST'), onSuccess: invalidate(client, 'health') }),
};

export const pullQueries = {
  /** The pulls under way and just ended; asked every second while one runs. */
  list: () =>
    queryOptions({
      queryKey: ['pulls'],
      queryFn: () => api<PullList>('/admin/api/pulls').then((r) => r.pulls),
      refetchInterval: (query) => (query.state.data?.some((p) => p.state === 'pulling') ? 1_000 : false),
    }),
};

export const pullMutations = {
  /** Starts pulling a deployment's model to its Ollama (in the background: the list follows it). */
  start: (client: QueryClient) => mutationOptions({ mutationFn: (deployment: string) => send<Pull>(path('deployments', deployment, '/pull'), 'POST'), onSuccess: invalidate(client, 'pulls') }),
  cancel: (client: QueryClient) => mutationOptions({ mutationFn: (deployment: string) => send<Pull>(path('deployments', deployment, '/pull'), 'DELETE'), onSuccess: invalidate(client, 'pulls') }),
};
