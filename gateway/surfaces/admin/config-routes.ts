/**
 * Providers, deployments and routes over the admin API: list, create, update, delete, reorder,
 * plus settings and whole-config export, preview and import. Every change is validated as a whole
 * config exactly as the config file is, applied to traffic at once, or refused with field errors
 * and nothing changed. Provider API keys are write-only: responses say only whether one is set and
 * its last 4 characters.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { addItem, diffConfigs, EditError, removeItem, reorderRoute, replaceItem, replaceSettings } from '../../config/edit';
import type { Config, ProviderConfig, Settings } from '../../config/schema';
import { GatewayError } from '../../errors';
import { validateConfig, type ConfigIssue, type ValidationResult } from '../../config/validate';
import type { Secrets } from '../../config/secrets';
import { weekSchedule } from '../../routing/schedule';

type Entity = 'providers' | 'deployments' | 'routes';
const ENTITIES: Entity[] = ['providers', 'deployments', 'routes'];

export interface ConfigRouteServices {
  config: { current(): Config; apply(next: unknown, source: string): ValidationResult };
  secrets: Secrets;
  /** Zone of deployments that name none. */
  defaultTimeZone: () => string;
  server(): { host: string; port: number; exposed: boolean };
  now: () => number;
}

export function configRoutes(app: FastifyInstance, services: ConfigRouteServices): void {

  /** Applies an edit or answers with field errors; returns the applied config. */
  const apply = (reply: FastifyReply, next: Config | (() => Config), focus?: { list: Entity; name: string }): Config | undefined => {
    let candidate: Config;
    try {
      candidate = typeof next === 'function' ? next() : next;
    } catch (error) {
      if (error instanceof EditError) {
        void reply.code(error.status).send(fieldErrors(error.message, [{ path: error.path, message: error.message }]));
        return undefined;
      }
      throw error;
    }
    const result = services.config.apply(candidate, 'admin api');
    if (!result.ok) {
      const index = focus ? (candidate[focus.list] as { name: string }[]).findIndex((item) => item.name === focus.name) : -1;
      const prefix = focus && index >= 0 ? `${focus.list}[${index}].` : undefined;
      const errors = result.errors.map((e) => ({ ...e, field: prefix && e.path.startsWith(prefix) ? e.path.slice(prefix.length) : null }));
      void reply.code(400).send(fieldErrors(`The change is invalid: ${result.errors[0]?.path} ${result.errors[0]?.message}`, errors));
      return undefined;
    }
    return result.config;
  };

  const view = (list: Entity, item: unknown) => (list === 'providers' ? providerView(item as ProviderConfig) : item);
  const providerView = (provider: ProviderConfig) => {
    const { apiKey, ...rest } = provider;
    const value = apiKey ? services.secrets.resolve(apiKey) : undefined;
    return { ...rest, apiKey: { reference: apiKey ?? null, set: value !== undefined, last4: value ? value.slice(-4) : null } };
  };

  for (const list of ENTITIES) {
    app.get(`/${list}`, async () => ({ [list]: (services.config.current()[list] as unknown[]).map((item) => view(list, item)) }));

    app.post(`/${list}`, async (request, reply) => {
      const item = list === 'providers' ? withKey(request.body, undefined) : entityBody(request.body);
      const applied = apply(reply, () => addItem(services.config.current(), list, item as never), { list, name: item.name });
      if (applied) return reply.code(201).send(view(list, find(applied, list, item.name)));
      return reply;
    });

    app.put<{ Params: { name: string } }>(`/${list}/:name`, async (request, reply) => {
      const current = services.config.current();
      const existing = (current[list] as { name: string }[]).find((i) => i.name === request.params.name) as ProviderConfig | undefined;
      const item = list === 'providers' ? withKey(request.body, existing?.apiKey) : entityBody(request.body);
      const applied = apply(reply, () => replaceItem(current, list, request.params.name, item as never), { list, name: item.name });
      return applied ? view(list, find(applied, list, item.name)) : reply;
    });

    app.delete<{ Params: { name: string } }>(`/${list}/:name`, async (request, reply) => {
      const applied = apply(reply, () => removeItem(services.config.current(), list, request.params.name));
      return applied ? { deleted: request.params.name } : reply;
    });
  }

  app.put<{ Params: { name: string } }>('/routes/:name/order', async (request, reply) => {
    const order = (request.body as { deployments?: unknown })?.deployments;
    if (!Array.isArray(order) || !order.every((d) => typeof d === 'string')) {
      return reply.code(400).send(fieldErrors('deployments must be a list of deployment names', [{ path: 'deployments', message: 'must be a list of deployment names' }]));
    }
    const applied = apply(reply, () => reorderRoute(services.config.current(), request.params.name, order as string[]), { list: 'routes', name: request.params.name });
    return applied ? find(applied, 'routes', request.params.name) : reply;
  });

  /** The week grid and "blocked now, usable again at..." for windows being edited (nothing is saved). */
  app.post('/schedule/preview', async (request, reply) => {
    const body = (request.body ?? {}) as { timeZone?: string; timeWindows?: unknown };
    const zone = body.timeZone || services.defaultTimeZone();
    const probe = validateConfig({
      version: 1,
      providers: [{ name: 'p', kind: 'openai', baseUrl: 'http://127.0.0.1' }],
      deployments: [{ name: 'd', provider: 'p', model: 'm', timeZone: zone, timeWindows: body.timeWindows ?? [] }],
      routes: [],
    });
    if (!probe.ok) {
      const errors = probe.errors.map((e) => ({ ...e, field: e.path.replace(/^deployments\[0\]\./, '') }));
      return reply.code(400).send(fieldErrors(errors[0]?.message ?? 'invalid', errors));
    }
    return weekSchedule(probe.config.deployments[0]?.timeWindows, zone, services.now());
  });

  app.get('/settings', async () => {
    const { config, server, secrets } = services;
    return { settings: config.current().settings ?? {}, server: server(), secrets: secrets.describe?.() ?? { backend: 'environment', protected: true, canStore: false } };
  });

  app.put('/settings', async (request, reply) => {
    const settings = (request.body as { settings?: unknown })?.settings;
    if (!settings || typeof settings !== 'object') return reply.code(400).send(fieldErrors('settings must be an object', [{ path: 'settings', message: 'must be an object' }]));
    const applied = apply(reply, () => replaceSettings(services.config.current(), settings as Settings));
    return applied ? { settings: applied.settings ?? {} } : reply;
  });

  app.get('/config', async (_request, reply) => {
    reply.header('content-disposition', 'attachment; filename="switchyard-config.json"');
    return services.config.current();
  });

  app.post('/config/preview', async (request) => {
    const result = validateConfig((request.body as { config?: unknown })?.config);
    return {
      valid: result.ok,
      errors: result.ok ? [] : result.errors,
      warnings: result.warnings,
      changes: result.ok ? diffConfigs(services.config.current(), result.config) : [],
    };
  });

  app.post('/config/import', async (request, reply) => {
    const applied = apply(reply, (request.body as { config?: Config })?.config as Config);
    return applied ? { applied: true, config: applied } : reply;
  });

  /** A provider body, with its key: `apiKey` (an env reference, or null to remove) or `apiKeyValue` (stored as a secret). */
  function withKey(body: unknown, existingKey: string | undefined): ProviderConfig {
    const { apiKeyValue, apiKey, ...rest } = entityBody(body) as ProviderConfig & { apiKeyValue?: unknown; apiKey?: unknown };
    const provider = rest as ProviderConfig;
    if (typeof apiKeyValue === 'string' && apiKeyValue !== '') {
      const store = services.secrets.store;
      if (!store) {
        throw new GatewayError(
          'invalid_request',
          'This gateway reads API keys from environment variables: set one (e.g. OPENAI_API_KEY) and enter env:OPENAI_API_KEY as the key reference',
          { param: 'apiKeyValue' },
        );
      }
      provider.apiKey = store(provider.name, apiKeyValue);
    } else if (apiKey === null) {
      delete provider.apiKey;
    } else if (typeof apiKey === 'string') {
      provider.apiKey = apiKey;
    } else if (existingKey) {
      provider.apiKey = existingKey;
    }
    return provider;
  }
}

function entityBody(body: unknown): { name: string } & Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body) || typeof (body as { name?: unknown }).name !== 'string') {
    throw new GatewayError('invalid_request', 'The body must be a JSON object with a "name"', { param: 'name' });
  }
  return body as { name: string } & Record<string, unknown>;
}

function find(config: Config, list: Entity, name: string): unknown {
  return (config[list] as { name: string }[]).find((item) => item.name === name);
}

function fieldErrors(message: string, errors: (ConfigIssue & { field?: string | null })[]) {
  return {
    error: { message, type: 'invalid_request_error', param: errors[0]?.field ?? errors[0]?.path ?? null, code: 'invalid_config' },
    errors,
  };
}
