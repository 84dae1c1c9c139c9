/**
 * A budget whose route or provider was renamed: the same budget counting the same traffic under
 * its scope's new name. Usage rows keep the names they were written under, so its spend is carried
 * (budgets.ts, store/budget-carries.ts) rather than counted afresh from the rollups of the new name.
 * Only a rename counts: a scope moved to a route that already existed is a budget of other traffic.
 */
import type { BudgetConfig, Config } from '../config/schema';

type Named = 'route' | 'provider';

/** The budget `budget` was before its scope was renamed, among `earlier` (the budgets of `was`), if it was one. */
export function renamedScopeOf(budget: BudgetConfig, earlier: readonly BudgetConfig[], was: Config, is: Config): BudgetConfig | undefined {
  const kind = namedScope(budget);
  if (!kind) return undefined;
  const namesIn = (config: Config) => new Set((kind === 'route' ? config.routes : config.providers).map((item) => item.name));
  if (namesIn(was).has(nameOf(budget, kind))) return undefined;
  const current = namesIn(is);
  const shape = JSON.stringify(budget);
  const found = earlier.filter((e) => namedScope(e) === kind && !current.has(nameOf(e, kind)) && JSON.stringify({ ...e, scope: budget.scope }) === shape);
  return found.length === 1 ? found[0] : undefined;
}

function namedScope(budget: BudgetConfig): Named | undefined {
  if (budget.scope === 'global') return undefined;
  return 'route' in budget.scope ? 'route' : 'provider' in budget.scope ? 'provider' : undefined;
}

const nameOf = (budget: BudgetConfig, kind: Named) => (budget.scope as Record<Named, string>)[kind];
