/** What the store keeps, and for how long: past it, usage rows, bodies, cached answers and kept responses go. */
import type { Settings } from '../config/schema';
import type { ResponseCache } from './response-cache';
import { RESPONSES_RETENTION_DAYS, type ResponsesStore } from './responses-store';
import type { UsageLog } from './usage-log';

const DAY_MS = 86_400_000;

export function pruneStore(stores: { usageLog: UsageLog; cache: ResponseCache; responses: ResponsesStore }, settings: Settings | undefined, now: number): void {
  const usage = settings?.usage;
  stores.usageLog.prune(now - (usage?.retentionDays ?? 90) * DAY_MS, now - (usage?.bodyRetentionDays ?? 7) * DAY_MS);
  stores.cache.pruneExpired();
  stores.responses.prune(now - (settings?.responses?.retentionDays ?? RESPONSES_RETENTION_DAYS) * DAY_MS);
}
