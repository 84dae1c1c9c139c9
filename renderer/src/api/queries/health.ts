/** Provider health now and over time, resetting a breaker by hand, and loading a local model ahead of its requests or letting it go. */
import { mutationOptions, queryOptions, type QueryClient } from '@tanstack/react-query';
import { api, send } from '../client';
import type { Health, HealthHistory, ModelMemory } from '../types';
import { invalidate, path } from './paths';

export const healthQueries = {
  now: () => queryOptions({ queryKey: ['health'], queryFn: () => api<Health>('/admin/api/health'), refetchInterval: 5_000 }),
  history: () => queryOptions({ queryKey: ['health', 'history'], queryFn: () => api<HealthHistory>('/admin/api/health/history').then((r) => r.history), refetchInterval: 30_000 }),
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
