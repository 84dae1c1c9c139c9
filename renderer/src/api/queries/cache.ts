/** The answer cache: its stats, and purging it. */
import { mutationOptions, queryOptions, type QueryClient } from '@tanstack/react-query';
import { api, send } from '../client';
import type { CacheStats, Purged } from '../types';
import { invalidate, path } from './paths';

export const cacheQueries = { stats: () => queryOptions({ queryKey: ['cache'], queryFn: () => api<CacheStats>('/admin/api/cache') }) };

export const cacheMutations = {
  purge: (client: QueryClient) => mutationOptions({ mutationFn: () => send<Purged>(path('cache'), 'DELETE'), onSuccess: invalidate(client, 'cache') }),
};
