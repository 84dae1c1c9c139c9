/**
 * Every change the UI makes, as mutationOptions factories beside the queries they invalidate: a
 * page picks one and adds only what is its own (closing a form, clearing a field).
 */
import { mutationOptions, type QueryClient } from '@tanstack/react-query';
import { send } from './client';
import type { ClientKeyCreated, ConnectInput, ConnectResult, ClientKeyInput, ConfigPreview, DeploymentConfig, ProbeOutcome, ProviderInput, ProviderTest, ProviderView, RouteConfig, Settings } from './types';

const path = (list: string, name?: string, tail = '') => `/admin/api/${list}${name === undefined ? '' : `/${encodeURIComponent(name)}`}${tail}`;
const invalidate = (client: QueryClient, key: string) => () => client.invalidateQueries({ queryKey: [key] });

export const providerMutations = {
  /** Creates a provider, or updates the one named `original`. */
  save: (client: QueryClient, original: string | null) =>
    mutationOptions({
      mutationKey: ['config', 'providers', 'save', original],
      mutationFn: (body: ProviderInput) => (original ? send<ProviderView>(path('providers', original), 'PUT', body) : send<ProviderView>(path('providers'), 'POST', body)),
      onSuccess: invalidate(client, 'config'),
    }),
  remove: (client: QueryClient) => mutationOptions({ mutationFn: (name: string) => send(path('providers', name), 'DELETE'), onSuccess: invalidate(client, 'config') }),
  /** Tests a saved provider. */
  test: () => mutationOptions({ mutationFn: (name: string) => send<ProbeOutcome>(path('providers', name, '/test'), 'POST') }),
  /** Tests a provider as typed in a form, before it is saved. */
  testDraft: () => mutationOptions({ mutationFn: (provider: ProviderTest) => send<ProbeOutcome>(path('providers', undefined, '/test'), 'POST', provider) }),
};

export const deploymentMutations = {
  save: (client: QueryClient, original: string | null) =>
    mutationOptions({
      mutationFn: (body: DeploymentConfig) => (original ? send<DeploymentConfig>(path('deployments', original), 'PUT', body) : send<DeploymentConfig>(path('deployments'), 'POST', body)),
      onSuccess: invalidate(client, 'config'),
    }),
  remove: (client: QueryClient) => mutationOptions({ mutationFn: (name: string) => send(path('deployments', name), 'DELETE'), onSuccess: invalidate(client, 'config') }),
};

export const routeMutations = {
  create: (client: QueryClient) => mutationOptions({ mutationFn: (route: RouteConfig) => send<RouteConfig>(path('routes'), 'POST', route), onSuccess: invalidate(client, 'config') }),
  update: (client: QueryClient, name: string) => mutationOptions({ mutationFn: (route: RouteConfig) => send<RouteConfig>(path('routes', name), 'PUT', route), onSuccess: invalidate(client, 'config') }),
  /** The fallback order; settled either way, so the list shows what the gateway holds. */
  reorder: (client: QueryClient, name: string) =>
    mutationOptions({ mutationFn: (deployments: string[]) => send<RouteConfig>(path('routes', name, '/order'), 'PUT', { deployments }), onSettled: invalidate(client, 'config') }),
  remove: (client: QueryClient) => mutationOptions({ mutationFn: (name: string) => send(path('routes', name), 'DELETE'), onSuccess: invalidate(client, 'config') }),
};

export const settingsMutations = {
  save: (client: QueryClient) => mutationOptions({ mutationFn: (settings: Settings) => send<{ settings: Settings }>(path('settings'), 'PUT', { settings }), onSuccess: invalidate(client, 'config') }),
  previewImport: () => mutationOptions({ mutationFn: (config: unknown) => send<ConfigPreview>(path('config', undefined, '/preview'), 'POST', { config }) }),
  importConfig: (client: QueryClient) => mutationOptions({ mutationFn: (config: unknown) => send(path('config', undefined, '/import'), 'POST', { config }), onSuccess: invalidate(client, 'config') }),
};

export const keyMutations = {
  create: (client: QueryClient) => mutationOptions({ mutationFn: (key: ClientKeyInput) => send<ClientKeyCreated>(path('keys'), 'POST', key), onSuccess: invalidate(client, 'keys') }),
  revoke: (client: QueryClient) => mutationOptions({ mutationFn: (name: string) => send(path('keys', name), 'DELETE'), onSuccess: invalidate(client, 'keys') }),
};

export const cacheMutations = {
  purge: (client: QueryClient) => mutationOptions({ mutationFn: () => send<{ purged: number }>(path('cache'), 'DELETE'), onSuccess: invalidate(client, 'cache') }),
};

export const breakerMutations = {
  reset: (client: QueryClient) => mutationOptions({ mutationFn: (deployment: string) => send(path('breakers', deployment, '/reset'), 'POST'), onSuccess: invalidate(client, 'health') }),
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
