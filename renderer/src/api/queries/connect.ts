/** Connecting tools: every tool's settings for a route, and connecting or undoing one. */
import { mutationOptions, queryOptions, type QueryClient } from '@tanstack/react-query';
import { api, send } from '../client';
import type { ConnectGuides, ConnectInput, ConnectResult } from '../types';
import { path } from './paths';

export const connectQueries = {
  /** Every tool's settings, for the route named (else the first). */
  guides: (route: string) => queryOptions({ queryKey: ['connect', route], queryFn: () => api<ConnectGuides>(`/admin/api/connect${route ? `?route=${encodeURIComponent(route)}` : ''}`), placeholderData: (previous) => previous }),
};

export const connectMutations = {
  /** Plans (dryRun), makes or undoes a tool's connection; a made one may have created a client key. */
  run: (client: QueryClient, tool: string) =>
    mutationOptions({
      mutationFn: (input: ConnectInput) => send<ConnectResult>(path('connect', tool), 'POST', input),
      onSuccess: (result) => {
        if (!result.applied) return;
        void client.invalidateQueries({ queryKey: ['connect'] });
        void client.invalidateQueries({ queryKey: ['keys'] });
      },
    }),
};
