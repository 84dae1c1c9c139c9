/**
 * The order a route's deployments are tried in. `ordered` keeps the config's order; the others
 * reorder it, stably (ties keep the config's order), before filters skip any.
 */
import type { DeploymentConfig, ProviderConfig, RouteConfig } from '../config/schema';
import { baseCostPerMTok, priceOf } from '../usage/pricing';
import { isLocalDeployment } from '../providers/locality';

/** How often `lowest-latency` puts another deployment first, so one that recovered can win back traffic. */
const EXPLORE_RATE = 0.05;

export interface StrategyInputs {
  deployments: DeploymentConfig[];
  providerOf(deployment: DeploymentConfig): ProviderConfig | undefined;
  latencyMs(deployment: string): number | undefined;
  random: () => number;
}

export function orderByStrategy(route: RouteConfig, inputs: StrategyInputs): DeploymentConfig[] {
  const list = inputs.deployments;
  switch (route.strategy ?? 'ordered') {
    case 'lowest-cost':
      return byKey(list, (d) => costPerMTok(d, inputs.providerOf(d)));
    case 'lowest-latency': {
      // Measured ones fastest first, then the unmeasured in config order; now and then a random other first.
      const ordered = byKey(list, (d) => inputs.latencyMs(d.name) ?? Number.POSITIVE_INFINITY);
      if (ordered.length > 1 && inputs.random() < EXPLORE_RATE) {
        const pick = 1 + Math.floor(inputs.random() * (ordered.length - 1));
        const [explored] = ordered.splice(pick, 1);
        ordered.unshift(explored as DeploymentConfig);
      }
      return ordered;
    }
    case 'weighted': {
      // Efraimidis-Spirakis: a weighted random order in one pass (a weight of 0 goes last).
      const weights = route.weights ?? {};
      return byKey(list, (d) => {
        const weight = weights[d.name] ?? 1;
        return weight <= 0 ? Number.POSITIVE_INFINITY : -(inputs.random() ** (1 / weight));
      });
    }
    default:
      return list;
  }
}

/** A million input and a million output tokens' price; local deployments are free. */
function costPerMTok(deployment: DeploymentConfig, provider: ProviderConfig | undefined): number {
  const price = priceOf(deployment, provider);
  return price.source === 'unknown' ? Number.POSITIVE_INFINITY : baseCostPerMTok(price);
}

/** Whether using the deployment costs money: not local, and not priced at zero. Unknown prices count as paid. */
export function isPaid(deployment: DeploymentConfig, provider: ProviderConfig | undefined): boolean {
  if (deployment.pricing) return deployment.pricing.inputPerMTok > 0 || deployment.pricing.outputPerMTok > 0;
  return !isLocalDeployment(deployment, provider);
}

function byKey<T>(items: T[], key: (item: T) => number): T[] {
  return items
    .map((item, index) => ({ item, index, key: key(item) }))
    .sort((a, b) => a.key - b.key || a.index - b.index)
    .map((e) => e.item);
}
