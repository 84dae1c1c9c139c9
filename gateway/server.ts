/**
 * createGateway: the whole gateway as one object the CLI and the Electron main process both use.
 * It owns the store, the applied config (swapped whole on change, never half-applied), the provider
 * adapters and the HTTP app.
 */
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildApp } from './app';
import { shellWord } from './shell-word';
import { closeServer } from './http/close';
import { createKeyBindings } from './config/key-binding';
import { startingConfig } from './config/defaults';
import type { Config } from './config/schema';
import { envSecrets } from './config/secrets';
import { validateConfig, type ValidationResult } from './config/validate';
import { createHealthMonitor } from './health/monitor';
import { createTrafficStats } from './health/traffic';
import { closeAdapters, createProviderSet, upstreamContext } from './providers/registry';
import type { ProviderAdapter } from './providers/types';
import { nameChanges } from './config/renames';
import { createBreakerBoard } from './routing/breaker-board';
import { createCatalog, type Catalog } from './routing/catalog';
import { createRouter } from './routing/router';
import { systemTimeZone } from './routing/time-windows';
import { daysIn } from './budgets/periods';
import { createConfigStore } from './store/config-store';
import { createHealthHistory } from './store/health-history';
import { createAdminSessions } from './store/admin-sessions';
import { createClientKeyStore } from './store/client-keys';
import { createGatewayAddress } from './store/gateway-address';
import { fileURLToPath } from 'node:url';
import { createResponseCache } from './store/response-cache';
import { createResponsesStore } from './store/responses-store';
import { pruneStore } from './store/retention';
import { scopeNames } from './store/scope-names';
import { keepStickySessions } from './store/sticky-sessions';
import { createBudgets } from './budgets/budgets';
import { createRoutingState } from './routing/live-state';
import { createWarmUp } from './health/warm-up';
import { createPulls } from './models/pulls';
import { createWebhookChannel } from './notices/webhook-channel';
import { createUsageLog } from './store/usage-log';
import { createUsageRecorder } from './usage/recorder';
import { createMetricsTally } from './metrics/tally';
import { databaseBytes, openDatabase } from './store/db';
import { watchOtherWriters } from './store/other-writers';
import { beginUpkeep } from './store/upkeep';
import { createSideWrites, guardedCache, guardedHistory, guardedQuirks, guardedResponses } from './store/side-writes';
import { createQuirkStore } from './store/upstream-quirks';
import { serverOf } from './providers/quirk-memory';
import { DEFAULT_HOST, DEFAULT_PORT, defaultDataDir, localUrl } from './paths';
import { isLoopbackHost } from './providers/hosts';
import { VERSION } from './version';
import { healthReport, type HealthSources } from './surfaces/health/report';
import type { Gateway, GatewayOptions } from './gateway-types';

export type { Gateway, GatewayOptions };

export class ConfigError extends Error {
  constructor(readonly result: Extract<ValidationResult, { ok: false }>) {
    super('the config is invalid');
  }
}

export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const env = options.env ?? process.env;
  const secrets = options.secrets ?? envSecrets(env);
  const now = options.now ?? Date.now;
  const host = options.host ?? DEFAULT_HOST;
  const timeZone = options.timeZone ?? systemTimeZone();

  // A config given at start is validated before anything is opened.
  let given: Config | undefined;
  let warnings: ValidationResult['warnings'] = [];
  if (options.config !== undefined) {
    const result = validateConfig(options.config);
    if (!result.ok) throw new ConfigError(result);
    given = result.config;
    warnings = result.warnings;
  }

  const notices: string[] = [];
  const db = openDatabase(options.dataDir, { onWarning: (message) => notices.push(message) });
  // Anything that fails from here on must not leave the database open behind it.
  let providers: Map<string, ProviderAdapter> = new Map();
  const opened = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      await closeAdapters([...providers.values()]);
      db.close();
      throw error;
    }
  };
  const configs = createConfigStore(db, now);
  const starting = await opened(() => startingConfig(configs, given && { config: given, file: options.configFile ?? 'the config file' }, env, options.discoverOllama !== false, options.port ?? DEFAULT_PORT));
  const initial = starting.config;
  notices.push(...starting.notices);

  let log: FastifyInstance['log'] | undefined; // the app's, once it exists: a write may fail before
  const writes = createSideWrites((error, message) => (error ? log?.error({ err: error }, message) : log?.warn(message)), now);
  const upstream = upstreamContext(secrets, env, guardedQuirks(createQuirkStore(db, now), writes));
  providers = createProviderSet(initial.providers, upstream).adapters;
  for (const adapter of providers.values()) if (adapter.unavailableReason) notices.push(`provider ${adapter.config.name} cannot be used: ${adapter.unavailableReason}, so requests skip its deployments`);
  let catalog: Catalog = createCatalog(initial, providers, timeZone);
  let appliedAt = now();
  const traffic = createTrafficStats(now);
  const breakers = createBreakerBoard(now);
  breakers.configure(initial);
  const history = guardedHistory(createHealthHistory(db), writes);
  breakers.onTransition((transition) => history.addTransition(transition));
  const health = createHealthMonitor({
    catalog: () => catalog,
    history,
    now,
    // A model pulled after a 404 blocked its deployment is usable again at once.
    onInstalled: (provider, installed) => {
      for (const d of catalog.config.deployments) if (d.provider === provider && installed.has(d.model)) breakers.unblock(d.name, 'model_missing', 'the model is installed now');
    },
    // What an older version refused, a new one may take: its next requests go as clients send them (one refusal relearns the rest).
    onUpgraded: (provider) => {
      const config = catalog.providers.get(provider)?.config;
      if (config) upstream.quirks.forget(serverOf(config));
    },
  });
  const usageLog = createUsageLog(db, daysIn(timeZone), (message) => void (log ? log.warn(message) : notices.push(message)));
  const metrics = createMetricsTally();
  const budgets = createBudgets({ config: () => catalog.config, defaultTimeZone: () => catalog.defaultTimeZone, spentSince: (since, scope) => usageLog.costSince(since, scope), now, names: scopeNames(db) });
  const routingState = createRoutingState({
    catalog: () => catalog, now,
    installed: health.installed, recheck: health.recheck, modelFacts: health.modelFacts, remote: health.remote, loaded: health.loaded, listed: health.listedLimits,
    warm: createWarmUp({ catalog: () => catalog, probe: (provider) => health.probe(provider), now, warn: (message) => log?.warn(message) }),
    latencyMs: (deployment) => traffic.latencyMs(deployment),
    budgets: (request) => budgets.verdict(request),
  });
  const sticky = keepStickySessions(db, routingState.sessions, now);
  const cache = createResponseCache(db, now);
  const servingCache = guardedCache(cache, writes);
  const responses = guardedResponses(createResponsesStore(db), writes);
  const keys = createClientKeyStore(db, now);
  const sessions = createAdminSessions(db, now);
  const address = createGatewayAddress(db);
  const other = address.running();
  if (other) notices.push(`another Switchyard (${other.url}) is serving this data dir: the two share its config, keys and usage log`);
  const localOnly = () => catalog.config.settings?.localOnly === true;
  const recorder = createUsageRecorder({ log: usageLog, catalog: () => catalog, now, onError: (error) => writes.failed('a usage row', error), onRow: (row) => (writes.succeeded('a usage row'), budgets.record(row)), count: (row) => metrics.record(row) });
  const router = createRouter({ catalog: () => catalog, state: routingState, breakers, cache: servingCache, localOnly, now, random: options.random, onAttempts: (a) => traffic.record(a) });
  const digestOf = (provider: string, model: string) => {
    const result = health.latest(provider)?.result;
    return result ? (result.digests?.get(model) ?? null) : undefined;
  };
  const pulls = createPulls({ catalog: () => catalog, probe: (provider) => health.probe(provider), digestOf, now });
  const webhook = createWebhookChannel({ reference: () => catalog.config.settings?.notices?.webhook, resolve: (reference) => secrets.resolve(reference), env, proxy: upstream.proxy, undelivered: options.notices?.undelivered ?? (() => undefined) });
  const prune = () => pruneStore({ usageLog, cache, responses, healthHistory: history, sessions, configs }, catalog.config.settings, now());

  const reportSources: HealthSources = {
    catalog: () => catalog,
    routing: routingState,
    budgets,
    traffic,
    breakers,
    health,
    storeProblem: () => (db.open ? [writes.problem(), usageLog.waitingForLock()].filter(Boolean).join('; ') || undefined : 'the database is closed'),
    version: VERSION,
    startedAt: now(),
    now,
  };

  let boundPort = options.port ?? DEFAULT_PORT;
  let applyConfig: Gateway['applyConfig'];
  const app = await opened(async () => {
    await prune();
    return buildApp({
      host,
      port: () => boundPort,
      logger: options.logger,
      clientTimeouts: options.clientTimeouts,
      uiDir: options.uiDir ?? fileURLToPath(new URL('../out/renderer', import.meta.url)),
      services: {
        router, catalog: () => catalog,
        configAppliedAt: () => appliedAt,
        health: reportSources, healthHistory: history,
        recorder,
        metrics,
        pulls,
        quirks: upstream.quirks,
        usageLog,
        cache,
        responses,
        routingState,
        keys,
        sessions,
        secrets,
        connectPlaces: { home: env.HOME || homedir(), env, stateDir: join(options.dataDir, 'connect') },
        data: () => ({ dir: options.dataDir, argument: shellWord(resolve(options.dataDir)), bytes: databaseBytes(options.dataDir), isDefault: resolve(options.dataDir) === resolve(defaultDataDir(env)) }),
        notices: { desktop: options.notices?.desktop ?? false, webhook },
        config: { current: () => catalog.config, apply: (next, source, renamed) => applyConfig(next, source, renamed), history: configs, keyBindings: createKeyBindings(configs), file: options.configFile ?? null },
        gatewayId: upstream.gatewayId,
        now,
      },
    });
  });
  log = app.log;
  const upkeep = beginUpkeep(db, writes, prune, sticky);

  /** Adapters a config change replaced that still have work under way. */
  const retiring = new Set<ProviderAdapter>();
  const swap = (config: Config) => {
    const next = createProviderSet(config.providers, upstream, providers);
    const { renamed, replaced, providers: providersRenamed } = nameChanges(catalog.config, config);
    routingState.sessions?.renamed(renamed, catalog.config.routes, config.routes);
    providers = next.adapters;
    catalog = createCatalog(config, providers, timeZone);
    breakers.configure(config, renamed);
    traffic.configured(renamed, replaced, providersRenamed);
    for (const name of health.configured()) traffic.forget(name, config.deployments.filter((d) => d.provider === name).map((d) => d.name));
    appliedAt = now();
    // What they still have under way goes on with them (a queued request, a pull); the stop ends it.
    for (const adapter of next.retired) {
      retiring.add(adapter);
      void adapter.retire().finally(() => retiring.delete(adapter));
    }
  };

  // `switchyard import` writes a new revision, `switchyard keys` creates and revokes keys (a revoked key must stop working).
  const stopWatching = watchOtherWriters(db, () => {
    keys.reload();
    const stored = configs.current();
    if (stored && JSON.stringify(stored) !== JSON.stringify(catalog.config)) swap(stored);
  }, (error) => app.log.error({ err: error }, 'checking for changes another process made (switchyard import, keys) failed; checking again every 2 s'));

  async function startOn(port: number) {
    boundPort = port;
    await app.listen({ host, port: boundPort });
    boundPort = (app.server.address() as AddressInfo).port;
    if (options.healthChecks !== false) health.start();
    // The URL tools on this machine use: a wildcard address is no Host name the guard accepts.
    const url = localUrl(host, boundPort);
    address.record({ url, exposed: !isLoopbackHost(host) }, (error) => app.log.error({ err: error }, `where this gateway listens could not be written: login-link and connect will not find it at ${url}`));
    return { port: boundPort, url, baseUrl: `${url}/v1` };
  }

  return {
    app,
    dataDir: options.dataDir,
    warnings,
    notices,
    breakers,
    health,
    usage: usageLog,
    budgets,
    cache,
    db,
    keys,
    sessions,
    metrics,
    pulls,
    webhook,
    healthReport: () => healthReport(reportSources),
    prune,
    setLocalOnly: (on) => {
      if (on === localOnly()) return;
      const config = catalog.config;
      applyConfig({ ...config, settings: { ...config.settings, localOnly: on } }, on ? 'local only on' : 'local only off');
    },
    localOnly,
    start: () => startOn(boundPort),
    startOn,
    async stop({ graceMs = 0 } = {}) {
      stopWatching();
      upkeep.stop();
      health.stop();
      await closeServer(app, graceMs);
      await recorder.settled(); // the rows of requests just cut (one may wait for a token estimate)
      upkeep.saveSessions();
      address.forget();
      await closeAdapters([...providers.values(), ...retiring]);
      // Leaves the file as readers expect it (the next open would move these rows anyway).
      await usageLog.close();
      db.close();
      // A chat that is down must not hold the stop: a post waiting to be tried again is given up.
      await webhook.close({ giveUpRetries: true });
    },
    applyConfig: (applyConfig = (input, source, renamed) => {
      const result = validateConfig(input);
      if (!result.ok) return result;
      configs.save(result.config, source, renamed);
      keys.reload();
      swap(result.config);
      return result;
    }),
    config: () => catalog.config,
    history: configs,
  };
}
