/**
 * What a budget's scope spent under its earlier names in a period (budgets/budgets.ts). Usage rows
 * keep the route and provider names they were written under, so a budget that starts from the
 * rollups (at a restart) would count a renamed route's period from the rename on; the spend before
 * it is kept here, a row per scope and period, until the period ends.
 */
import type { Database as Db } from 'better-sqlite3';

export interface BudgetCarries {
  /** What `scope` (a budget's scope as JSON) spent under other names in the period starting at `start`. */
  get(scope: string, period: string, start: number): number;
  /** Sets it (it replaces what was there: the caller counts everything once), and forgets ended periods' rows. */
  set(scope: string, period: string, start: number, end: number, usd: number): void;
}

export function createBudgetCarries(db: Db, now: () => number): BudgetCarries {
  const read = db.prepare<[string, string, number], { usd: number }>('SELECT usd FROM budget_carries WHERE scope = ? AND period = ? AND period_start = ?');
  const write = db.prepare<[string, string, number, number, number]>(
    'INSERT INTO budget_carries (scope, period, period_start, period_end, usd) VALUES (?, ?, ?, ?, ?) ON CONFLICT (scope, period, period_start) DO UPDATE SET usd = excluded.usd',
  );
  const expire = db.prepare<[number]>('DELETE FROM budget_carries WHERE period_end <= ?');
  return {
    get: (scope, period, start) => read.get(scope, period, start)?.usd ?? 0,
    set(scope, period, start, end, usd) {
      write.run(scope, period, start, end, usd);
      expire.run(now());
    },
  };
}
