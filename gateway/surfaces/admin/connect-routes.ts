/**
 * The Connect page's API: every tool's settings to copy, and the desktop app's "Connect" button,
 * which writes a tool's own config file (on the machine the gateway runs on, for its user) exactly
 * as `switchyard connect` does, diff first.
 */
import { fileURLToPath } from 'node:url';
import { REBUILT, replacedSince } from '../../build-replaced';
import { chatModelNames, clientKeysRequired, embeddingModelNames } from '../../config/for-clients';
import { originMatcher } from '../../config/origins';
import { localUrl } from '../../paths';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/schema';
import { GatewayError } from '../../errors';
import type { Places } from '../../connect/connect';
import type { WindowOf } from '../../connect/context-window';
import type { ClientKeyStore } from '../../store/client-keys';
import { ClientBasicsSchema, ConnectGuidesSchema, ConnectInputSchema, ConnectQuerySchema, ConnectResultSchema, ConnectToolParams, type ConnectInput } from './schemas';

export interface ConnectRouteServices {
  config: () => Config;
  server: () => { host: string; port: number; exposed: boolean };
  keys: ClientKeyStore;
  places: Places;
  /** What each deployment can take, from the router's facts (the probes' too). */
  windowOf?: WindowOf;
}

export function connectRoutes(app: FastifyInstance, s: ConnectRouteServices): void {
  // The editors and their parsers load on first use: most gateways never connect a tool. A rebuild
  // since start has deleted the chunk they are in (this file's own has gone with it).
  const rebuilt = replacedSince(fileURLToPath(import.meta.url));
  const load = () =>
    import('../../connect').catch((error: unknown) => {
      if (rebuilt()) throw new GatewayError('restart_required', `${REBUILT}, so the Connect page cannot load: restart the gateway to use it`, { retryable: false });
      throw error;
    });

  // Light: the Overview and the playground ask on every visit, and need none of the editors.
  app.get('/clients', { schema: { response: { 200: ClientBasicsSchema } } }, async () => {
    const config = s.config();
    return { keyRequired: clientKeysRequired(s.server().exposed, config.settings), models: chatModelNames(config), embeddingModels: embeddingModelNames(config) };
  });

  app.get<{ Querystring: { route?: string } }>('/connect', { schema: { querystring: ConnectQuerySchema, response: { 200: ConnectGuidesSchema } } }, async (request) => {
    const { toolGuides, toolConnections, isConnected, modelWindows, OPEN_KEY, WRITABLE_TOOLS } = await load();
    const config = s.config();
    const { host, port, exposed } = s.server();
    const keyRequired = clientKeysRequired(exposed, config.settings);
    const models = chatModelNames(config);
    const asked = request.query.route;
    if (asked && !models.includes(asked)) throw new GatewayError('invalid_request', `No route or chat deployment is named "${asked}"`, { param: 'route' });
    const model = asked ?? models[0] ?? null;
    const url = localUrl(host, port);
    return {
      url,
      keyRequired,
      model,
      models,
      tools: toolGuides({ url, key: keyRequired ? '<your client key>' : OPEN_KEY, keyRequired, model: model ?? '<model>', models, embedModel: embeddingModelNames(config)[0], windows: modelWindows(config, models, s.windowOf), allowsOrigin: originMatcher(config?.settings?.allowedOrigins ?? []) }),
      connected: WRITABLE_TOOLS.filter((tool) => isConnected(tool, s.places)),
      connections: toolConnections(s.places, url, config),
    };
  });

  app.post<{ Params: { tool: string }; Body: ConnectInput }>('/connect/:tool', { schema: { params: ConnectToolParams, body: ConnectInputSchema, response: { 200: ConnectResultSchema } } }, async (request) => {
    const { ConnectError, runConnect } = await load();
    const config = s.config();
    const { host, port, exposed } = s.server();
    try {
      return runConnect({
        tool: request.params.tool,
        config,
        url: localUrl(host, port),
        route: request.body.route,
        keyRequired: clientKeysRequired(exposed, config.settings),
        keys: s.keys,
        dryRun: request.body.dryRun,
        undo: request.body.undo,
        force: request.body.force,
        places: s.places,
        windowOf: s.windowOf,
      });
    } catch (error) {
      if (error instanceof ConnectError) throw new GatewayError('invalid_request', error.message);
      throw error;
    }
  });
}
