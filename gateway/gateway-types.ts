/** What createGateway (server.ts) takes, and the gateway it gives: what the CLI, the desktop app and tests hold. */
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { ClientTimeouts } from './app';
import type { Budgets } from './budgets/budgets';
import type { Config } from './config/schema';
import type { Secrets } from './config/secrets';
import type { ValidationResult } from './config/validate';
import type { HealthMonitor } from './health/monitor';
import type { MetricsTally } from './metrics/tally';
import type { WebhookChannel } from './notices/webhook-channel';
import type { HealthReport } from './surfaces/health/schema';
import type { Pulls } from './models/pulls';
import type { BreakerBoard } from './routing/breaker-board';
import type { AdminSessions } from './store/admin-sessions';
import type { ClientKeyStore } from './store/client-keys';
import type { ConfigHistory } from './store/config-store';
import type { Db } from './store/db';
import type { ResponseCache } from './store/response-cache';
import type { UsageLog } from './store/usage-log';

export interface GatewayOptions {
  dataDir: string;
  host?: string;
  port?: number;
  /** A config to import at start, replacing the stored one (`serve --config`). Validated here. */
  config?: unknown;
  /** The file `config` was read from: named where it replaces changes made since, and on the dashboard, which it owns. */
  configFile?: string;
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
  /**
   * Who shows its notices: `desktop` when the desktop app does (Settings says so); `undelivered`
   * hears of a notice the webhook did not take (`serve` prints it). Posting them is `webhook`'s.
   */
  notices?: { desktop: boolean; undelivered?: (problem: string) => void };
  /** How long clients may take to send a request (defaults in app.ts; tests shorten them). */
  clientTimeouts?: Partial<ClientTimeouts>;
}

export interface Gateway {
  readonly app: FastifyInstance;
  readonly dataDir: string;
  readonly warnings: ValidationResult['warnings'];
  /** The applied configs, newest first (a reload of the config file says which it replaced). */
  readonly history: ConfigHistory;
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
  /** The whole health report, as `/health` gives it to a caller allowed to read it all (the notices read it in process). */
  healthReport(): HealthReport;
  /** What the requests since start add up to (`/metrics`; the notices read its fallbacks). */
  readonly metrics: MetricsTally;
  /** Models being pulled to an Ollama (from the dashboard), and those that ended in the last minutes. */
  readonly pulls: Pulls;
  /** The chat webhook notices are posted to (settings.notices.webhook, else SWITCHYARD_WEBHOOK_URL); closed by stop(). */
  readonly webhook: WebhookChannel;
  /** Deletes usage rows, bodies and cache entries past their retention (runs hourly by itself); the usage log in steps, resolved when done. */
  prune(): Promise<void>;
  /** "Local only" (`settings.localOnly`, kept like any config change): while on, no request is routed to a non-local provider. */
  setLocalOnly(on: boolean): void;
  localOnly(): boolean;
  start(): Promise<{ port: number; url: string; baseUrl: string }>;
  /** Starts on another port than configured (0: any free one), e.g. when the usual one is taken. */
  startOn(port: number): Promise<{ port: number; url: string; baseUrl: string }>;
  /** Stops serving; requests in flight get `graceMs` to finish (default 0: cut at once). */
  stop(options?: { graceMs?: number }): Promise<void>;
  /** Validates and applies a config to traffic at once; nothing changes when it is invalid. `renamed`: names it renames (store/config-store.ts). */
  applyConfig(input: unknown, source: string, renamed?: ReadonlyMap<string, string>): ValidationResult;
  config(): Config;
}
