/**
 * What the store keeps, and for how long: past it, usage rows, bodies, cached answers, kept responses,
 * the health history (probes and breaker transitions), expired login links and sessions, and config
 * revisions beyond the newest thousand go. Run at start and hourly.
 */
import type { Settings } from '../config/schema';
import type { AdminSessions } from './admin-sessions';
import type { ConfigStore } from './config-store';
import type { HealthHistory } from './health-history';
import type { ResponseCache } from './response-cache';
import { RESPONSES_RETENTION_DAYS, type ResponsesStore } from './responses-store';
import type { UsageLog } from './usage-log';

const DAY_MS = 86_400_000;
/** A probe every 30 s per provider is ~2,900 rows a day: a week covers the charts and the breaker events shown. */
const HEALTH_RETENTION_DAYS = 7;

/** The small tables at once; the cache, kept responses and the usage log (hundreds of MiB, millions of rows) in steps, resolved when done. */
export async function pruneStore(stores: { usageLog: UsageLog; cache: ResponseCache; responses: ResponsesStore; healthHistory: HealthHistory; sessions: AdminSessions; configs: Pick<ConfigStore, 'prune'> }, settings: Settings | undefined, now: number): Promise<void> {
  await stores.cache.pruneExpired();
  await stores.responses.prune(now - (settings?.responses?.retentionDays ?? RESPONSES_RETENTION_DAYS) * DAY_MS);
  stores.healthHistory.prune(now - HEALTH_RETENTION_DAYS * DAY_MS);
  stores.sessions.prune(now);
  stores.configs.prune();
  const usage = settings?.usage;
  return stores.usageLog.prune(now - (usage?.retentionDays ?? 90) * DAY_MS, now - (usage?.bodyRetentionDays ?? 7) * DAY_MS);
}
