/**
 * Providers, deployments, routes and budgets over the admin API: list, create, update, delete, reorder,
 * plus settings, whole-config export, preview and import, and the revisions to restore. Bodies are checked by their schemas
 * first; every change is then validated as a whole config exactly as the config file is, applied to
 * traffic at once, or refused with field errors and nothing changed. Providers' own routes (their
 * write-only keys) are in provider-routes.ts, the notices' webhook URL (write-only too) in notice-routes.ts.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type Type from 'typebox';
import { addItem, diffConfigs, EditError, keepingOldName, patchedItem, type Entity, patchRoute, patchSettings, removeAlias, removeItem, renameRoute, reorderRoute, replaceItem, replaceSettings, setAlias } from '../../config/edit';
import type { BudgetConfig, Config, DeploymentConfig, RouteConfig } from '../../config/schema';
import { BudgetSchema, ConfigSchema, DeploymentSchema, RouteSchema } from '../../config/schema';
import type { Secrets } from '../../config/secrets';
import { keyFollowsOriginIssues, type KeyBindings } from '../../config/key-binding';
import { validateConfig, type ValidationResult } from '../../config/validate';
import type { ConfigIssue } from '../../config/schema-errors';
import { fieldErrors } from './validation';
import { providerRoutes } from './provider-routes';
import { keptKeyRoutes, unusedKeys } from './kept-keys';
import { webhookRoute } from './notice-routes';
import type { ConfigHistory } from '../../store/config-store';
import { GatewayError } from '../../errors';
import {
  AliasListSchema,
  AliasParams,
  AliasSchema,
  AliasTargetSchema,
  BudgetPatchSchema,
  ConfigImportedSchema,
  ConfigInputSchema,
  ConfigPreviewSchema,
  ConfigWarningsSchema,
  ConfigRevisionListSchema,
  DeletedSchema,
  DeploymentListSchema,
  DeploymentPatchSchema,
  NameParams,
  RouteListSchema,
  RouteOrderSchema,
  RouteRenameSchema,
  type RouteRename,
  RoutePatchSchema,
  RevisionParams,
  SettingsInputSchema,
  SettingsPatchSchema,
  SettingsSavedSchema,
  SettingsViewSchema,
  type BudgetPatch,
} from './schemas';

export interface ConfigRouteServices {
  config: { current(): Config; apply(next: unknown, source: string, renamed?: ReadonlyMap<string, string>): ValidationResult; history: ConfigHistory; keyBindings: KeyBindings };
  secrets: Secrets;
  /** Zone of deployments that name none. */
  defaultTimeZone: () => string;
  server(): { host: string; port: number; exposed: boolean };
  data(): { dir: string; argument: string; bytes: number };
  now: () => number;
}

type Params = { Params: Type.Static<typeof NameParams> };
export function configRoutes(app: FastifyInstance, services: ConfigRouteServices): void {
  const current = () => services.config.current();

  /** Where a valid candidate would send keys it may not: what every revision bound, and the gateway's exposure. */
  const keyIssues = (candidate: Config, fresh?: ReadonlySet<string>) => keyFollowsOriginIssues(services.config.keyBindings.bound(current()), candidate, fresh, services.server().exposed);
  const issuesOf = (candidate: Config, fresh?: ReadonlySet<string>) => {
    const validated = validateConfig(candidate);
    return validated.ok ? keyIssues(candidate, fresh) : validated.errors;
  };
  /**
   * What a refused edit is told. A problem the stored config already had (an earlier version let it
   * in) refuses every edit until it is mended: said as such, not as the fault of an edit elsewhere.
   */
  const refusal = (issues: readonly ConfigIssue[]): string => {
    const standing = validateConfig(current());
    const had = new Set(standing.ok ? [] : standing.errors.map((e) => `${e.path}\u0000${e.message}`));
    const caused = issues.find((e) => !had.has(`${e.path}\u0000${e.message}`));
    if (caused) return `The change is invalid: ${caused.path} ${caused.message}`;
    return `No change can be saved until the stored config is mended: it has what this version refuses (an earlier one saved it): ${issues[0]?.path} ${issues[0]?.message}`;
  };
  /** Whether an edit would be applied (apply() says why not). */
  const wouldApply = (next: () => Config, fresh: ReadonlySet<string>): boolean => {
    try {
      return issuesOf(next(), fresh).length === 0;
    } catch (error) {
      if (error instanceof EditError) return false;
      throw error;
    }
  };
  /**
   * Applies an edit, or answers with field errors (relative to the edited item when known) and
   * changes nothing. `fresh` names key references typed in with this change (bound to no origin yet).
   */
  const apply = (reply: FastifyReply, next: () => Config, focus?: { list: Entity; name: string; renamedFrom?: string }, fresh?: ReadonlySet<string>, source = describe(reply)): Config | undefined => {
    let candidate: Config;
    try {
      candidate = next();
    } catch (error) {
      if (!(error instanceof EditError)) throw error;
      void reply.code(error.status).send(fieldErrors(error.message, [{ path: error.path, message: error.message, field: error.path }]));
      return undefined;
    }
    const errors = issuesOf(candidate, fresh);
    const renamed = focus?.renamedFrom !== undefined && focus.renamedFrom !== focus.name ? new Map([[focus.renamedFrom, focus.name]]) : undefined;
    const result = errors.length === 0 ? services.config.apply(candidate, source, renamed) : undefined;
    if (!result?.ok) {
      const issues = result && !result.ok ? result.errors : errors;
      const index = focus ? (candidate[focus.list] ?? []).findIndex((item) => item.name === focus.name) : -1;
      const prefix = focus && index >= 0 ? `${focus.list}[${index}].` : undefined;
      const fields = issues.map((e) => ({ ...e, field: prefix && e.path.startsWith(prefix) ? e.path.slice(prefix.length) : null }));
      void reply.code(400).send(fieldErrors(refusal(issues), fields));
      return undefined;
    }
    return result.config;
  };

  /** Applies an edit that may rename a deployment or route (`renamed`: its name after), a rename its maker is sure of (client keys limited to it follow even when more of it changed). */
  const replace = (reply: FastifyReply, list: 'deployments' | 'routes', name: string, renamed: string, next: () => Config): Config | undefined =>
    apply(reply, next, { list, name: renamed, renamedFrom: name });

  providerRoutes(app, { current, apply, wouldApply, keyOrigins: () => services.config.keyBindings.bound(current()), secrets: services.secrets });
  webhookRoute(app, { current, apply: (reply, next) => apply(reply, next), secrets: services.secrets });
  keptKeyRoutes(app, { current, secrets: services.secrets });

  // --- deployments and routes: their config schemas are their bodies
  app.get('/deployments', { schema: { response: { 200: DeploymentListSchema } } }, async () => ({ deployments: current().deployments }));
  app.post<{ Body: DeploymentConfig }>('/deployments', { config: { entity: 'deployments' }, schema: { body: DeploymentSchema, response: { 201: DeploymentSchema } } }, async (request, reply) => {
    const applied = apply(reply, () => addItem(current(), 'deployments', request.body), { list: 'deployments', name: request.body.name });
    return applied ? reply.code(201).send(find(applied, 'deployments', request.body.name)) : reply;
  });
  app.put<Params & { Body: DeploymentConfig }>('/deployments/:name', { config: { entity: 'deployments' }, schema: { params: NameParams, body: DeploymentSchema, response: { 200: DeploymentSchema } } }, async (request, reply) => {
    const applied = replace(reply, 'deployments', request.params.name, request.body.name, () => replaceItem(current(), 'deployments', request.params.name, request.body));
    return applied ? find(applied, 'deployments', request.body.name) : reply;
  });
  app.patch<Params & { Body: Type.Static<typeof DeploymentPatchSchema> }>('/deployments/:name', { config: { entity: 'deployments' }, schema: { params: NameParams, body: DeploymentPatchSchema, response: { 200: DeploymentSchema } } }, async (request, reply) => {
    const { keepAlias, ...patch } = request.body;
    const { name } = request.params;
    const renamed = patch.name ?? name;
    const edited = () => replaceItem(current(), 'deployments', name, patchedItem(current(), 'deployments', name, patch));
    const applied = replace(reply, 'deployments', name, renamed, () => (keepAlias ? keepingOldName(edited(), name, renamed) : edited()));
    return applied ? find(applied, 'deployments', renamed) : reply;
  });
  app.get('/routes', { schema: { response: { 200: RouteListSchema } } }, async () => ({ routes: current().routes }));
  app.post<{ Body: RouteConfig }>('/routes', { config: { entity: 'routes' }, schema: { body: RouteSchema, response: { 201: RouteSchema } } }, async (request, reply) => {
    const applied = apply(reply, () => addItem(current(), 'routes', request.body), { list: 'routes', name: request.body.name });
    return applied ? reply.code(201).send(find(applied, 'routes', request.body.name)) : reply;
  });
  app.put<Params & { Body: RouteConfig }>('/routes/:name', { config: { entity: 'routes' }, schema: { params: NameParams, body: RouteSchema, response: { 200: RouteSchema } } }, async (request, reply) => {
    const applied = replace(reply, 'routes', request.params.name, request.body.name, () => replaceItem(current(), 'routes', request.params.name, request.body));
    return applied ? find(applied, 'routes', request.body.name) : reply;
  });
  app.patch<Params & { Body: Type.Static<typeof RoutePatchSchema> }>('/routes/:name', { schema: { params: NameParams, body: RoutePatchSchema, response: { 200: RouteSchema } } }, async (request, reply) => {
    const applied = apply(reply, () => patchRoute(current(), request.params.name, request.body), { list: 'routes', name: request.params.name });
    return applied ? find(applied, 'routes', request.params.name) : reply;
  });
  app.post<Params & { Body: RouteRename }>('/routes/:name/rename', { schema: { params: NameParams, body: RouteRenameSchema, response: { 200: RouteSchema } } }, async (request, reply) => {
    const { name: to, keepAlias } = request.body;
    const applied = replace(reply, 'routes', request.params.name, to, () => renameRoute(current(), request.params.name, to, keepAlias));
    return applied ? find(applied, 'routes', to) : reply;
  });
  app.put<Params & { Body: Type.Static<typeof RouteOrderSchema> }>(
    '/routes/:name/order',
    { schema: { params: NameParams, body: RouteOrderSchema, response: { 200: RouteSchema } } },
    async (request, reply) => {
      const applied = apply(reply, () => reorderRoute(current(), request.params.name, request.body.deployments), { list: 'routes', name: request.params.name });
      return applied ? find(applied, 'routes', request.params.name) : reply;
    },
  );

  // Budgets: GET /budgets (with their spend) is the admin plugin's; these change them.
  app.post<{ Body: BudgetConfig }>('/budgets', { config: { entity: 'budgets' }, schema: { body: BudgetSchema, response: { 201: BudgetSchema } } }, async (request, reply) => {
    const applied = apply(reply, () => addItem(current(), 'budgets', request.body), { list: 'budgets', name: request.body.name });
    return applied ? reply.code(201).send(find(applied, 'budgets', request.body.name)) : reply;
  });
  app.put<Params & { Body: BudgetConfig }>('/budgets/:name', { config: { entity: 'budgets' }, schema: { params: NameParams, body: BudgetSchema, response: { 200: BudgetSchema } } }, async (request, reply) => {
    const applied = apply(reply, () => replaceItem(current(), 'budgets', request.params.name, request.body), { list: 'budgets', name: request.body.name });
    return applied ? find(applied, 'budgets', request.body.name) : reply;
  });
  app.patch<Params & { Body: BudgetPatch }>('/budgets/:name', { config: { entity: 'budgets' }, schema: { params: NameParams, body: BudgetPatchSchema, response: { 200: BudgetSchema } } }, async (request, reply) => {
    const renamed = request.body.name ?? request.params.name;
    const applied = apply(reply, () => replaceItem(current(), 'budgets', request.params.name, patchedItem(current(), 'budgets', request.params.name, request.body)), { list: 'budgets', name: renamed });
    return applied ? find(applied, 'budgets', renamed) : reply;
  });

  // Aliases: other names tools send (`claude-*`), each standing for a route or deployment.
  app.get('/aliases', { schema: { response: { 200: AliasListSchema } } }, async () => ({ aliases: Object.entries(current().aliases ?? {}).map(([alias, target]) => ({ alias, target })) }));
  app.put<{ Params: Type.Static<typeof AliasParams>; Body: Type.Static<typeof AliasTargetSchema> }>('/aliases/:alias', { schema: { params: AliasParams, body: AliasTargetSchema, response: { 200: AliasSchema } } }, async (request, reply) => {
    const applied = apply(reply, () => setAlias(current(), request.params.alias, request.body.target));
    return applied ? { alias: request.params.alias, target: request.body.target } : reply;
  });
  app.delete<{ Params: Type.Static<typeof AliasParams> }>('/aliases/:alias', { schema: { params: AliasParams, response: { 200: DeletedSchema } } }, async (request, reply) => {
    const applied = apply(reply, () => removeAlias(current(), request.params.alias));
    return applied ? { deleted: request.params.alias } : reply;
  });

  for (const list of ['providers', 'deployments', 'routes', 'budgets'] as const) {
    app.delete<Params>(`/${list}/:name`, { schema: { params: NameParams, response: { 200: DeletedSchema } } }, async (request, reply) => {
      const applied = apply(reply, () => removeItem(current(), list, request.params.name));
      return applied ? { deleted: request.params.name } : reply;
    });
  }

  // --- settings and the whole config
  app.get('/settings', { schema: { response: { 200: SettingsViewSchema } } }, async () => ({
    settings: current().settings ?? {},
    server: services.server(), data: services.data(),
    secrets: { ...(services.secrets.describe?.() ?? { backend: 'environment', protected: true, canStore: false }), unused: unusedKeys(current(), services.secrets) },
  }));
  app.put<{ Body: Type.Static<typeof SettingsInputSchema> }>('/settings', { schema: { body: SettingsInputSchema, response: { 200: SettingsSavedSchema } } }, async (request, reply) => {
    const applied = apply(reply, () => replaceSettings(current(), request.body.settings));
    return applied ? { settings: applied.settings ?? {} } : reply;
  });

  app.patch<{ Body: Type.Static<typeof SettingsPatchSchema> }>('/settings', { schema: { body: SettingsPatchSchema, response: { 200: SettingsSavedSchema } } }, async (request, reply) => {
    const applied = apply(reply, () => patchSettings(current(), request.body.settings));
    return applied ? { settings: applied.settings ?? {} } : reply;
  });

  app.get('/config', { schema: { response: { 200: ConfigSchema } } }, async (_request, reply) => {
    reply.header('content-disposition', 'attachment; filename="switchyard-config.json"');
    return current();
  });
  // Worked out once for each config in force (a config is replaced, never changed).
  const warningsOf = new WeakMap<Config, ConfigIssue[]>();
  app.get('/config/warnings', { schema: { response: { 200: ConfigWarningsSchema } } }, async () => {
    const config = current();
    let warnings = warningsOf.get(config);
    if (!warnings) warningsOf.set(config, (warnings = validateConfig(config).warnings));
    return { warnings };
  });
  app.post<{ Body: Type.Static<typeof ConfigInputSchema> }>('/config/preview', { schema: { body: ConfigInputSchema, response: { 200: ConfigPreviewSchema } } }, async (request) => {
    const result = validateConfig(request.body.config);
    const errors = result.ok ? keyIssues(result.config) : result.errors;
    return {
      valid: errors.length === 0,
      errors,
      warnings: result.warnings,
      changes: result.ok ? diffConfigs(current(), result.config) : [],
    };
  });
  app.post<{ Body: Type.Static<typeof ConfigInputSchema> }>('/config/import', { schema: { body: ConfigInputSchema, response: { 200: ConfigImportedSchema } } }, async (request, reply) => {
    const applied = apply(reply, () => request.body.config as Config);
    return applied ? { applied: true as const, config: applied } : reply;
  });

  // --- history: a restore applies an earlier revision as a new one, through the same checks as an import
  const revision = (id: string): Config => {
    const config = services.config.history.get(Number(id));
    if (!config) throw new GatewayError('not_found', `There is no config revision ${id}`, { param: 'id' });
    return config;
  };
  app.get('/config/revisions', { schema: { response: { 200: ConfigRevisionListSchema } } }, async () => ({ revisions: services.config.history.list(REVISIONS_SHOWN) }));
  app.get<{ Params: Type.Static<typeof RevisionParams> }>('/config/revisions/:id', { schema: { params: RevisionParams, response: { 200: ConfigSchema } } }, async (request) =>
    revision(request.params.id),
  );
  app.post<{ Params: Type.Static<typeof RevisionParams> }>(
    '/config/revisions/:id/restore',
    { schema: { params: RevisionParams, response: { 200: ConfigImportedSchema } } },
    async (request, reply) => {
      const restored = revision(request.params.id);
      const applied = apply(reply, () => restored, undefined, undefined, `restore ${request.params.id}`);
      return applied ? { applied: true as const, config: applied } : reply;
    },
  );
}

const REVISIONS_SHOWN = 50;

/** A revision's source for an edit made here: what was asked, e.g. "admin api: DELETE /admin/api/routes/coder". */
function describe(reply: FastifyReply): string {
  return `admin api: ${reply.request.method} ${reply.request.url.split('?')[0]?.slice(0, 200)}`;
}

function find(config: Config, list: Entity, name: string): unknown {
  return (config[list] ?? []).find((item) => item.name === name);
}
