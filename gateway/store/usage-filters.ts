/**
 * The SQL a usage filter becomes: its terms for the rows and for the rollups, and the index the rows
 * are read through when the filter asks for a few rows of a big log.
 */
import type { UsageFilter } from './usage-types';

/** The filters shared by raw rows and rollups; `time` is the column holding the instant. */
export function dimensionWhere(filter: UsageFilter, time: 'at' | 'bucket'): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    where.push(clause);
    params.push(value);
  };
  if (filter.since !== undefined) add(`${time} >= ?`, filter.since);
  if (filter.until !== undefined) add(`${time} < ?`, filter.until);
  if (filter.route !== undefined) add('route = ?', filter.route);
  if (filter.deployment !== undefined) add('deployment = ?', filter.deployment);
  if (filter.provider !== undefined) add('provider = ?', filter.provider);
  if (filter.clientKey !== undefined) add('client_key = ?', filter.clientKey);
  if (filter.tool !== undefined) add('tool = ?', filter.tool);
  // Subagents are named after their tool, "Codex (review)": the names from "Codex (" up to "Codex )" (the character after "(").
  if (filter.toolWithSubagents !== undefined) {
    where.push('(tool = ? OR (tool >= ? AND tool < ?))');
    params.push(filter.toolWithSubagents, `${filter.toolWithSubagents} (`, `${filter.toolWithSubagents} )`);
  }
  // Literal, as usage_cached_at's own term: a bound value cannot choose a partial index.
  if (filter.cached !== undefined) where.push(filter.cached ? 'cached = 1' : 'cached = 0');
  return { where, params };
}

export function rowWhere(filter: UsageFilter): { where: string[]; params: unknown[] } {
  const clauses = dimensionWhere(filter, 'at');
  if (filter.session !== undefined) (clauses.where.push('session = ?'), clauses.params.push(filter.session));
  if (filter.status === 'ok') clauses.where.push('(status < 400 AND error_class IS NULL)');
  else if (filter.status === 'error') clauses.where.push('(status >= 400 OR error_class IS NOT NULL)');
  else if (typeof filter.status === 'number') (clauses.where.push('status = ?'), clauses.params.push(filter.status));
  return clauses;
}

/** Rollups keep no status, so a status filter cannot narrow them. */
export const rollupWhere = (filter: UsageFilter) => dimensionWhere(filter, 'bucket');

/**
 * The usage table as a filter reads it: failed or cached rows through their partial index (only
 * those rows), which the planner passes over for a deployment's or route's index that then reads
 * every row of it, newest first, to find a few failures.
 */
export function usageTable(filter: UsageFilter): string {
  return filter.status === 'error' ? 'usage INDEXED BY usage_failed_at' : filter.cached === true ? 'usage INDEXED BY usage_cached_at' : 'usage';
}

/** A page of the rows a filter asks for, newest first, before a cursor's (at, id). */
export function pageQuery(filter: UsageFilter, before: { at: number; rowid: number } | undefined, limit: number): { sql: string; params: unknown[] } {
  const { where, params } = rowWhere(filter);
  if (before) {
    where.push('(at < ? OR (at = ? AND id < ?))');
    params.push(before.at, before.at, before.rowid);
  }
  return { sql: `SELECT * FROM ${usageTable(filter)} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT ${limit}`, params };
}
