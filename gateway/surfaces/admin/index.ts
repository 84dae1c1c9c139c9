/**
 * The admin API under `/admin/api`, one encapsulated plugin: the own-origin and session hooks, the
 * usage row of the playground and the OpenAI-shaped error handler belong to its routes and no other's. Model routes
 * never need a session; admin routes never take a client key.
 */
import type { FastifyInstance } from 'fastify';
import { ownOriginOnly, type GatewayAddress } from '../../http/local-guard';
import { requestIdPlugin } from '../../http/request-id';
import { usageRowPlugin } from '../../http/usage-row';
import type { HealthHistory } from '../../store/health-history';
import type { AdminSessions } from '../../store/admin-sessions';
import type { UsageRecorder } from '../../usage/recorder';
import type { Router } from '../../routing/router';
import { budgetView } from '../../budgets/budgets';
import { healthReport, type HealthSources } from '../health/report';
import { breakerRoutes } from './breakers';
import { keptSessions } from './kept-sessions';
import { modelLoading } from './model-loading';
import { modelPulls } from './model-pulls';
import type { Pulls } from '../../models/pulls';
import type { QuirkMemory } from '../../providers/types';
import { schedulePreview } from './schedule-preview';
import { configRoutes, type ConfigRouteServices } from './config-routes';
import { connectRoutes, type ConnectRouteServices } from './connect-routes';
import { noticeTestRoute } from './notice-routes';
import type { WebhookChannel } from '../../notices/webhook-channel';
import { playground } from './playground';
import { providerQuirks } from './provider-quirks';
import { providerTools } from './provider-tools';
import { registerSession, type LoginLinkHint } from './session';
import { usageBodies } from './usage-bodies';
import { usageRoutes, type UsageRouteServices } from './usage-routes';
import { BudgetListSchema, HealthHistorySchema, HealthReportSchema } from './schemas';
import { NoQuery } from './schema-parts';
import { adminErrorHandler } from './validation';

export interface AdminOptions {
  sessions: AdminSessions;
  /** What `login-link` needs for a link this gateway takes, as the sign-in page says it. */
  loginLink: LoginLinkHint;
  port: () => number;
  /** Its own origin alone may call it, whatever origins the model APIs take. */
  address: GatewayAddress;
  router: Router;
  recorder: UsageRecorder;
  health: HealthSources;
  healthHistory: HealthHistory;
  config: ConfigRouteServices;
  usage: UsageRouteServices;
  connect: ConnectRouteServices;
  /** Sent with a connection test, so a provider that points back at this gateway says so. */
  gatewayId: string;
  pulls: Pulls;
  /** What each provider's server was found to refuse. */
  quirks: QuirkMemory;
  /** The webhook notices are posted to (Settings' "Send a test notice"). */
  webhook: WebhookChannel;
}

export async function adminSurface(app: FastifyInstance, options: AdminOptions): Promise<void> {
  const { catalog, breakers, now } = options.health;
  ownOriginOnly(app, options.address);
  await app.register(usageRowPlugin, { recorder: options.recorder, api: 'openai' });
  await app.register(requestIdPlugin);
  app.setErrorHandler(adminErrorHandler(options.config.config.current));
  // As a body names every field it takes, so does a query: `?hours=1` on the health history filtered nothing and said nothing.
  app.addHook('onRoute', (route) => {
    if (!route.schema?.querystring) route.schema = { ...route.schema, querystring: NoQuery };
  });
  registerSession(app, { sessions: options.sessions, port: options.port, version: options.health.version, loginLink: options.loginLink });

  app.get('/health', { schema: { response: { 200: HealthReportSchema } } }, async () => healthReport(options.health));
  /** Probe latency and status over the last day, per provider, for the sparklines. */
  app.get('/health/history', { schema: { response: { 200: HealthHistorySchema } } }, async () => {
    const since = now() - 86_400_000;
    const history: Record<string, { at: number; ok: boolean; latencyMs: number | null }[]> = {};
    for (const provider of catalog().config.providers) {
      history[provider.name] = options.healthHistory.probes(provider.name, since, 200).reverse().map((s) => ({ at: s.at, ok: s.ok, latencyMs: s.latencyMs }));
    }
    return { history };
  });
  /** Every budget with its spend in the current period and when it resets. */
  app.get('/budgets', { schema: { response: { 200: BudgetListSchema } } }, async () => ({ budgets: (options.health.budgets?.status() ?? []).map(budgetView) }));
  breakerRoutes(app, { catalog, breakers, history: options.healthHistory, now });
  modelLoading(app, { catalog, health: options.health.health });
  modelPulls(app, { catalog, pulls: options.pulls });
  // A config route's body is config, so its errors are the config's (`invalid_config`); any other body only asks.
  await app.register(async (edits) => {
    edits.addHook('onRoute', (route) => void (route.config = { ...route.config, editsConfig: true }));
    configRoutes(edits, options.config);
  });
  schedulePreview(app, options.config);
  providerTools(app, { catalog, secrets: options.config.secrets, config: options.config.config.current, gatewayId: options.gatewayId });
  providerQuirks(app, { catalog, quirks: options.quirks });
  usageRoutes(app, options.usage);
  usageBodies(app, { usageLog: options.usage.usageLog });
  keptSessions(app, { catalog, sessions: options.health.routing?.sessions });
  connectRoutes(app, options.connect);
  noticeTestRoute(app, options.webhook);
  playground(app, { router: options.router, catalog, usageLog: options.usage.usageLog, port: options.port });
}
