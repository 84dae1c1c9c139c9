/**
 * createGateway: the whole gateway as one object the CLI and the Electron main process both use.
 * It owns the store, the applied config (swapped whole on change, never half-applied), the provider
 * adapters and the HTTP app.
 */
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { AddressInfo } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import packageJson from '../package.json';
import { buildApp, type ClientTimeouts } from './app';
import { closeServer } from './http/close';
import { startingConfig } from './config/defaults';
import type { Config } from './config/schema';
import { envSecrets, type Secrets } from './config/secrets';
import { validateConfig, type ValidationResult } from './config/validate';
import { createHealthMonitor, type HealthMonitor } from './health/monitor';
import { createTrafficStats } from './health/traffic';
import { closeAdapters, createProviderSet, upstreamContext } from './providers/registry';
import type { ProviderAdapter } from './providers/types';
import { createBreakerBoard, type BreakerBoard } from './routing/breaker-board';
import { createCatalog, type Catalog } from './routing/catalog';
import { createRouter } from './routing/router';
import { systemTimeZone } from './routing/time-windows';
import { daysIn } from './budgets/periods';
import { createConfigStore } from './store/config-store';
import { createHealthHistory } from './store/health-history';
import { createAdminSessions, type AdminSessions } from './store/admin-sessions';
import { createClientKeyStore, type ClientKeyStore } from './store/client-keys';
import { createGatewayAddress } from './store/gateway-address';
import { fileURLToPath } from 'node:url';
import { createResponseCache, type ResponseCache } from './store/response-cache';
import { createResponsesStore } from './store/responses-store';
import { pruneStore } from './store/retention';
import { keepStickySessions, STICKY_SAVE_MS } from './store/sticky-sessions';
import { createBudgets, type Budgets } from './budgets/budgets';
import { createRoutingState } from './routing/live-state';
import { createWarmUp } from './health/warm-up';
import { createUsageLog, type UsageLog } from './store/usage-log';
import { createUsageRecorder } from './usage/recorder';
import { openDatabase, type Db } from './store/db';
import { watchOtherWriters } from './store/other-writers';
import { createSideWrites, guardedCache, guardedHistory, guardedResponses } from './store/side-writes';
import { DEFAULT_HOST, DEFAULT_PORT, localUrl } from './paths';
import { isLoopbackHost } from './http/local-guard';

export const VERSION: string = packageJson.version;

export interface GatewayOptions {
  dataDir: string;
  host?: string;
  port?: number;
  /** A config to import at start, replacing the stored one (`serve --config`). Validated here. */
  config?: unknown;
  env?: Record<string, string | undefined>;
  secrets?: Secrets;
  logger?: FastifyServerOptions['logger'];
  now?: () => number;
  random?: () => number;
  /** Ask the local Ollama for its models when writing a first-start config (default true). */
  discoverOllama?: boolean;
  /** Zone for deployments that name none (default: the machine's). */
  timeZone?: string;
  /** Run the periodic provider probes (default true; tests that count upstream requests turn them off). */
  healthChecks?: boolean;
  /** The built UI to serve (default: out/renderer of this checkout). */
  uiDir?: string;
  /** How long clients may take to send a request (defaults in app.ts; tests shorten them). */
  clientTimeouts?: Partial<ClientTimeouts>;
}

export interface Gateway {
  readonly app: FastifyInstance;
  readonly dataDir: string;
  readonly warnings: ValidationResult['warnings'];
  /** What the gateway fixed or noticed while starting (a data dir readable by others), for the operator. */
  readonly notices: readonly string[];
  /** Circuit breakers of every deployment (read by /health and the admin API, reset by hand). */
  readonly breakers: BreakerBoard;
  readonly health: HealthMonitor;
  readonly usage: UsageLog;
  readonly budgets: Budgets;
  readonly cache: ResponseCache;
  /** The store's one connection (tests cap its size to play a full disk). */
  readonly db: Db;
  readonly keys: ClientKeyStore;
  readonly sessions: AdminSessions;
  /** Deletes usage rows, bodies and cache entries past their retention (runs hourly by itself). */
  prune(): void;
  /** "Local only" (`settings.localOnly`, kept like any config change): while on, no request is routed to a non-local provider. */
  setLocalOnly(on: boolean): void;
  localOnly(): boolean;
  start(): Promise<{ port: number; url: string; baseUrl: string }>;
  /** Starts on another port than configured (0: any free one), e.g. when the usual one is taken. */
  startOn(port: number): Promise<{ port: number; url: string; baseUrl: string }>;
  /** Stops serving; requests in flight get `graceMs` to finish (default 0: cut at once). */
  stop(options?: { graceMs?: number }): Promise<void>;
  /** Validates and applies a config to traffic at once; nothing changes when it is invalid. */
  applyConfig(input: unknown, source: string): ValidationResult;
  config(): Config;
}

export class ConfigError extends Error {
  constructor(readonly result: Extract<ValidationResult, { ok: false }>) {
    super('the config is invalid');
  }
}

export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const env = options.env ?? process.env;
  const secrets = options.secrets ?? envSecrets(env);
  const upstream = upstreamContext(secrets, env);
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
  const starting = await opened(() => startingConfig(configs, given, env, options.discoverOllama !== false, options.port ?? DEFAULT_PORT));
  const initial = starting.config;
  notices.push(...starting.notices);

  providers = createProviderSet(initial.providers, upstream).adapters;
  for (const adapter of providers.values()) if (adapter.unavailableReason) notices.push(`provider ${adapter.config.name} cannot be used: ${adapter.unavailableReason}, so requests skip its deployments`);
  let catalog: Catalog = createCatalog(initial, providers, timeZone);
  let appliedAt = now();
  const traffic = createTrafficStats(now);
  const breakers = createBreakerBoard(now);
  breakers.configure(initial);
  let log: FastifyInstance['log'] | undefined; // the app's, once it exists: a write may fail before
  const writes = createSideWrites((error, message) => (error ? log?.error({ err: error }, message) : log?.warn(message)), now);
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
  });
  const usageLog = createUsageLog(db, daysIn(timeZone));
  const budgets = createBudgets({ config: () => catalog.config, defaultTimeZone: () => catalog.defaultTimeZone, spentSince: (since, scope) => usageLog.costSince(since, scope), now });
  const routingState = createRoutingState({
    catalog: () => catalog, now,
    installed: health.installed, modelFacts: health.modelFacts, remote: health.remote, loaded: health.loaded,
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
  const router = createRouter({ catalog: () => catalog, state: routingState, breakers, cache: servingCache, localOnly, now, random: options.random, onAttempts: (a) => traffic.record(a) });
  const prune = () => pruneStore({ usageLog, cache, responses }, catalog.config.settings, now());

  let boundPort = options.port ?? DEFAULT_PORT;
  let applyConfig: Gateway['applyConfig'];
  const app = await opened(async () => {
    prune();
    return buildApp({
      host,
      port: () => boundPort,
      logger: options.logger,
      clientTimeouts: options.clientTimeouts,
      uiDir: options.uiDir ?? fileURLToPath(new URL('../out/renderer', import.meta.url)),
      services: {
        router,
        catalog: () => catalog,
        configAppliedAt: () => appliedAt,
        traffic,
        breakers,
        health,
        healthHistory: history,
        recorder: createUsageRecorder({ log: usageLog, catalog: () => catalog, now, onError: (error) => writes.failed('a usage row', error), onRow: (row) => (writes.succeeded('a usage row'), budgets.record(row)) }),
        usageLog,
        cache,
        responses,
        routingState,
        budgets,
        keys,
        sessions,
        secrets,
        connectPlaces: { home: env.HOME || homedir(), env, stateDir: join(options.dataDir, 'connect') },
        config: { current: () => catalog.config, apply: (next, source) => applyConfig(next, source), history: configs },
        storeProblem: () => (db.open ? writes.problem() : 'the database is closed'),
        gatewayId: upstream.gatewayId,
        version: VERSION,
        startedAt: now(),
        now,
      },
    });
  });
  log = app.log;
  // Timers start once nothing can fail any more. Rollups need none: they follow traffic (usage-log.ts).
  const saveSessions = () => writes.attempt('the sticky sessions', () => sticky.save());
  const timers = [setInterval(() => writes.attempt('the hourly prune', prune), 3_600_000), setInterval(saveSessions, STICKY_SAVE_MS)];
  for (const timer of timers) timer.unref();

  const swap = (config: Config) => {
    const next = createProviderSet(config.providers, upstream, providers);
    providers = next.adapters;
    catalog = createCatalog(config, providers, timeZone);
    breakers.configure(config);
    appliedAt = now();
    void closeAdapters(next.retired);
  };

  // `switchyard import` writes a new revision, `switchyard keys` creates and revokes keys (a revoked key must stop working).
  const stopWatching = watchOtherWriters(db, () => {
    keys.reload();
    const stored = configs.current();
    if (stored && JSON.stringify(stored) !== JSON.stringify(catalog.config)) swap(stored);
  });

  async function startOn(port: number) {
    boundPort = port;
    await app.listen({ host, port: boundPort });
    boundPort = (app.server.address() as AddressInfo).port;
    if (options.healthChecks !== false) health.start();
    // The URL tools on this machine use: a wildcard address is no Host name the guard accepts.
    const url = localUrl(host, boundPort);
    address.record({ url, exposed: !isLoopbackHost(host) });
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
      for (const timer of timers) clearInterval(timer);
      health.stop();
      await closeServer(app, graceMs);
      saveSessions();
      address.forget();
      await closeAdapters([...providers.values()]);
      // Leaves the file as readers expect it (the next open would move these rows anyway).
      usageLog.settle();
      db.close();
    },
    applyConfig: (applyConfig = (input, source) => {
      const result = validateConfig(input);
      if (!result.ok) return result;
      configs.save(result.config, source);
      swap(result.config);
      return result;
    }),
    config: () => catalog.config,
  };
}
