/**
 * A usage row as SQLite's columns hold it: the order `usage_inbox` and `usage` are written in, and
 * the shape of a journal line (usage-journal.ts), so the journal replays into the same columns.
 */
import type { Decision } from '../routing/decision';
import type { UsageRow } from './usage-types';

export const COLUMN_COUNT = 30;
export const COLUMNS = `request_id, at, endpoint, client_key, model, route, deployment, provider, status, error_class, attempt_count, fallback, stream,
  cached, input_tokens, output_tokens, tokens_estimated, cost, would_cost, saved, ttft_ms, total_ms, attempts, api, cache_read_tokens, cache_write_tokens, decision, error_message, session, tool`;

/** A value a journal line may hold in a column (anything else marks a line not written by a journal). */
export const isColumnValue = (value: unknown) => value === null || typeof value === 'string' || typeof value === 'number';

/**
 * A decision that says no more than the row's attempts (no skip, alias, rule, session or budget,
 * the ordered strategy) is not stored: most are, and `row(id)` rebuilds it from the attempts.
 */
function derivable(decision: Decision): boolean {
  return !decision.alias && !decision.rule && !decision.cached && !decision.sticky && !decision.deferred && !decision.cold && !decision.cut && decision.strategy === 'ordered' && decision.steps.every((s) => s.outcome !== 'skipped');
}

/** A row as `usage_inbox`'s columns take it (and as its journal line holds it). */
export function columnValues(row: UsageRow): unknown[] {
  return [
    row.id,
    row.at,
    row.endpoint,
    row.clientKey,
    row.model,
    row.route,
    row.deployment,
    row.provider,
    row.status,
    row.errorClass,
    row.attempts.length,
    row.fallback ? 1 : 0,
    row.stream ? 1 : 0,
    row.cached ? 1 : 0,
    row.inputTokens,
    row.outputTokens,
    row.tokensEstimated ? 1 : 0,
    row.cost,
    row.wouldCost,
    row.saved,
    row.ttftMs,
    row.totalMs,
    JSON.stringify(row.attempts),
    row.api,
    row.cacheReadTokens,
    row.cacheWriteTokens,
    row.decision && !derivable(row.decision) ? JSON.stringify(row.decision) : null,
    row.errorMessage,
    row.session,
    row.tool,
  ];
}

