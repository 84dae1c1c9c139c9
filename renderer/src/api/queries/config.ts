/**
 * The config: providers, deployments, routes and settings, read as queryOptions factories with
 * hierarchical keys (['config', ...]), and changed by mutationOptions factories that invalidate that
 * branch. A page picks one and adds only what is its own (closing a form, clearing a field).
 */
import { mutationOptions, queryOptions, type QueryClient } from '@tanstack/react-query';
import { api, send } from '../client';
import { mergePatchBetween } from '../merge-patch';
import type { Alias, AliasList, BudgetConfig, ClientBasics, Config, ConfigPreview, ConfigRevisionList, ConfigWarnings, DeploymentConfig, DeploymentList, ModelList, NoticeTestResult, ProbeOutcome, ProviderInput, ProviderList, ProviderTest, ProviderView, QuirkList, RouteConfig, RouteList, RoutePatch, RouteRename, Schedule, SettingsPatch, SettingsSaved, SettingsView, TimeWindow, WebhookInput } from '../types';
import { invalidate, path } from './paths';

export const configQueries = {
  providers: () => queryOptions({ queryKey: ['config', 'providers'], queryFn: () => api<ProviderList>('/admin/api/providers').then((r) => r.providers) }),
  deployments: () => queryOptions({ queryKey: ['config', 'deployments'], queryFn: () => api<DeploymentList>('/admin/api/deployments').then((r) => r.deployments) }),
  routes: () => queryOptions({ queryKey: ['config', 'routes'], queryFn: () => api<RouteList>('/admin/api/routes').then((r) => r.routes) }),
  settings: () => queryOptions({ queryKey: ['config', 'settings'], queryFn: () => api<SettingsView>('/admin/api/settings') }),
  /** What client tools need (a key or not, the chat models to ask for): under 'config', so every config change refreshes it. */
  clients: () => queryOptions({ queryKey: ['config', 'clients'], queryFn: () => api<ClientBasics>('/admin/api/clients') }),
  models: (provider: string) =>
    queryOptions({
      queryKey: ['config', 'providers', provider, 'models'],
      queryFn: () => api<ModelList>(`/admin/api/providers/${encodeURIComponent(provider)}/models`),
      staleTime: 30_000,
    }),
  /** What each provider's server was found to refuse, and what is sent it instead. */
  quirks: () => queryOptions({ queryKey: ['config', 'quirks'], queryFn: () => api<QuirkList>(path('quirks')).then((r) => r.quirks) }),
  aliases: () => queryOptions({ queryKey: ['config', 'aliases'], queryFn: () => api<AliasList>('/admin/api/aliases').then((r) => r.aliases) }),
  /** Budgets as the config holds them (GET /admin/api/budgets has them with their spend, for meters). */
  budgets: () => queryOptions({ queryKey: ['config', 'budgets'], queryFn: () => api<Config>('/admin/api/config').then((c) => c.budgets ?? []) }),
  /** What the config in force is taken with but may not mean: under 'config', so every config change refreshes it. */
  warnings: () => queryOptions({ queryKey: ['config', 'warnings'], queryFn: () => api<ConfigWarnings>(path('config/warnings')).then((r) => r.warnings) }),
  /** Every applied config, newest (the one in force) first. */
  revisions: () => queryOptions({ queryKey: ['config', 'revisions'], queryFn: () => api<ConfigRevisionList>('/admin/api/config/revisions').then((r) => r.revisions) }),
  revision: (id: number) => queryOptions({ queryKey: ['config', 'revisions', id], queryFn: () => api<Config>(`/admin/api/config/revisions/${id}`), staleTime: Infinity }),
  /** The week grid and the live line for windows being edited (computed by the gateway, nothing saved). */
  schedule: (timeWindows: TimeWindow[], timeZone: string) =>
    queryOptions({
      queryKey: ['schedule', timeWindows, timeZone],
      queryFn: () => send<Schedule>('/admin/api/schedule/preview', 'POST', { timeWindows, ...(timeZone ? { timeZone } : {}) }),
      retry: false,
      refetchInterval: 60_000,
    }),
};

export const providerMutations = {
  /** Creates a provider, or sends an edit's changes from `original` (the provider as the form opened it): fields changed elsewhere meanwhile stay. */
  save: (client: QueryClient, original: ProviderInput | null) =>
    mutationOptions({
      mutationKey: ['config', 'providers', 'save', original?.name ?? null],
      mutationFn: (body: ProviderInput) =>
        original ? send<ProviderView>(path('providers', original.name), 'PATCH', mergePatchBetween(original, body)) : send<ProviderView>(path('providers'), 'POST', body),
      onSuccess: invalidate(client, 'config'),
    }),
  remove: (client: QueryClient) => mutationOptions({ mutationFn: (name: string) => send(path('providers', name), 'DELETE'), onSuccess: invalidate(client, 'config') }),
  /** Tests a saved provider. */
  test: () => mutationOptions({ mutationFn: (name: string) => send<ProbeOutcome>(path('providers', name, '/test'), 'POST') }),
  /** Forgets what the provider's server was found to refuse (it was upgraded): its next requests go as clients send them. */
  forgetQuirks: (client: QueryClient) =>
    mutationOptions({ mutationFn: (name: string) => send<QuirkList>(path('providers', name, '/quirks'), 'DELETE'), onSuccess: invalidate(client, 'config') }),
  /** Tests a provider as typed in a form, before it is saved. */
  testDraft: () => mutationOptions({ mutationFn: (provider: ProviderTest) => send<ProbeOutcome>(path('providers', undefined, '/test'), 'POST', provider) }),
};

export const deploymentMutations = {
  /**
   * An edit sends only what changed from `original` (the deployment as the form opened it): fields
   * changed elsewhere meanwhile stay. `keepAlias` with a new name keeps the old one as an alias of it.
   */
  save: (client: QueryClient, original: DeploymentConfig | null) =>
    mutationOptions({
      mutationFn: ({ keepAlias, ...body }: DeploymentConfig & { keepAlias?: boolean }) =>
        original ? send<DeploymentConfig>(path('deployments', original.name), 'PATCH', { ...mergePatchBetween(original, body), ...(keepAlias ? { keepAlias } : {}) }) : send<DeploymentConfig>(path('deployments'), 'POST', body),
      onSuccess: invalidate(client, 'config'),
    }),
  remove: (client: QueryClient) => mutationOptions({ mutationFn: (name: string) => send(path('deployments', name), 'DELETE'), onSuccess: invalidate(client, 'config') }),
};

export const aliasMutations = {
  set: (client: QueryClient) => mutationOptions({ mutationFn: ({ alias, target }: Alias) => send<Alias>(path('aliases', alias), 'PUT', { target }), onSuccess: invalidate(client, 'config') }),
  remove: (client: QueryClient) => mutationOptions({ mutationFn: (alias: string) => send(path('aliases', alias), 'DELETE'), onSuccess: invalidate(client, 'config') }),
};

export const budgetMutations = {
  /** Creates a budget, or sends an edit's changes from `original` (the budget as the form opened it): fields changed elsewhere meanwhile stay; the health report's spend follows. */
  save: (client: QueryClient, original: BudgetConfig | null) =>
    mutationOptions({
      mutationFn: (budget: BudgetConfig) =>
        original ? send<BudgetConfig>(path('budgets', original.name), 'PATCH', mergePatchBetween(original, budget)) : send<BudgetConfig>(path('budgets'), 'POST', budget),
      onSuccess: invalidate(client, 'config', 'health'),
    }),
  remove: (client: QueryClient) =>
    mutationOptions({ mutationFn: (name: string) => send(path('budgets', name), 'DELETE'), onSuccess: invalidate(client, 'config', 'health') }),
};

export const routeMutations = {
  create: (client: QueryClient) => mutationOptions({ mutationFn: (route: RouteConfig) => send<RouteConfig>(path('routes'), 'POST', route), onSuccess: invalidate(client, 'config') }),
  /** Only the fields an edit changes (a merge patch): the route's others stay as the gateway holds them now, not as this page read them. */
  patch: (client: QueryClient, name: string) => mutationOptions({ mutationFn: (change: RoutePatch) => send<RouteConfig>(path('routes', name), 'PATCH', change), onSuccess: invalidate(client, 'config') }),
  /** The fallback order; settled either way, so the list shows what the gateway holds. */
  reorder: (client: QueryClient, name: string) =>
    mutationOptions({ mutationFn: (deployments: string[]) => send<RouteConfig>(path('routes', name, '/order'), 'PUT', { deployments }), onSettled: invalidate(client, 'config') }),
  remove: (client: QueryClient) => mutationOptions({ mutationFn: (name: string) => send(path('routes', name), 'DELETE'), onSuccess: invalidate(client, 'config') }),
  /** A new name, every reference following it (and the client keys limited to it); the old one kept as an alias when asked. */
  rename: (client: QueryClient, name: string) => mutationOptions({ mutationFn: (rename: RouteRename) => send<RouteConfig>(path('routes', name, '/rename'), 'POST', rename), onSuccess: invalidate(client, 'config', 'keys', 'connect') }),
};

export const settingsMutations = {
  /** Only the settings an edit changes (a merge patch): the others stay as the gateway holds them now (the tray or another window may have changed them since this page read them). */
  save: (client: QueryClient) => mutationOptions({ mutationFn: (change: SettingsPatch) => send<SettingsSaved>(path('settings'), 'PATCH', { settings: change }), onSuccess: invalidate(client, 'config') }),
  /** Local only; the health report says it too. */
  localOnly: (client: QueryClient) =>
    mutationOptions({ mutationFn: (on: boolean) => send<SettingsSaved>(path('settings'), 'PATCH', { settings: { localOnly: on } }), onSuccess: invalidate(client, 'config', 'health') }),
  /** Posts a test notice to the webhook notices go to, and says whether it arrived. */
  testNotice: () => mutationOptions({ mutationFn: () => send<NoticeTestResult>('/admin/api/notices/test', 'POST') }),
  /** A webhook URL pasted in: kept by the desktop's key store, named in the settings by reference. */
  webhook: (client: QueryClient) => mutationOptions({ mutationFn: (input: WebhookInput) => send<SettingsSaved>('/admin/api/notices/webhook', 'PUT', input), onSuccess: invalidate(client, 'config') }),
  /** A key the desktop's key store keeps for no provider, deleted from it. */
  forgetKey: (client: QueryClient) => mutationOptions({ mutationFn: (name: string) => send<{ forgotten: string }>(path('secrets', name), 'DELETE'), onSuccess: invalidate(client, 'config') }),
  /** The webhook set here removed: out of the settings, and out of the desktop's key store. */
  removeWebhook: (client: QueryClient) => mutationOptions({ mutationFn: () => send<SettingsSaved>('/admin/api/notices/webhook', 'DELETE'), onSuccess: invalidate(client, 'config') }),
  previewImport: () => mutationOptions({ mutationFn: (config: unknown) => send<ConfigPreview>(path('config', undefined, '/preview'), 'POST', { config }) }),
  /** What applying an earlier revision again would change. */
  previewRevision: (client: QueryClient) =>
    mutationOptions({
      mutationFn: async (id: number) => {
        const config = await client.fetchQuery(configQueries.revision(id));
        return { id, result: await send<ConfigPreview>(path('config', undefined, '/preview'), 'POST', { config }) };
      },
    }),
  /** Applies an earlier revision again (as a new one). */
  restore: (client: QueryClient) => mutationOptions({ mutationFn: (id: number) => send(path('config/revisions', String(id), '/restore'), 'POST'), onSuccess: invalidate(client, 'config') }),
  importConfig: (client: QueryClient) => mutationOptions({ mutationFn: (config: unknown) => send(path('config', undefined, '/import'), 'POST', { config }), onSuccess: invalidate(client, 'config') }),
};
