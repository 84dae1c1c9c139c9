/** Client keys: the list, making one and revoking one. */
import { mutationOptions, queryOptions, type QueryClient } from '@tanstack/react-query';
import { api, send } from '../client';
import type { ClientKeyCreated, ClientKeyInput, ClientKeyList } from '../types';
import { invalidate, path } from './paths';

export const keyQueries = { all: () => queryOptions({ queryKey: ['keys'], queryFn: () => api<ClientKeyList>('/admin/api/keys').then((r) => r.keys) }) };

export const keyMutations = {
  create: (client: QueryClient) => mutationOptions({ mutationFn: (key: ClientKeyInput) => send<ClientKeyCreated>(path('keys'), 'POST', key), onSuccess: invalidate(client, 'keys') }),
  revoke: (client: QueryClient) => mutationOptions({ mutationFn: (name: string) => send(path('keys', name), 'DELETE'), onSuccess: invalidate(client, 'keys') }),
};
