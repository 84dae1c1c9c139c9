/** The deployment an admin route about a local model names, and its provider's adapter; refused in the API's error shape when there is none to act on. */
import { GatewayError } from '../../errors';
import type { ProviderAdapter } from '../../providers/types';
import type { Catalog } from '../../routing/catalog';
import type { DeploymentConfig } from '../../config/schema';

export function localModelTarget(catalog: Catalog, name: string, refusal: (deployment: DeploymentConfig, adapter: ProviderAdapter | undefined) => string | undefined): { deployment: DeploymentConfig; adapter: ProviderAdapter } {
  const deployment = catalog.deployments.get(name);
  if (!deployment) throw new GatewayError('not_found', `No deployment is named "${name}"`, { param: 'deployment' });
  const adapter = catalog.providers.get(deployment.provider);
  const refused = refusal(deployment, adapter);
  if (refused || !adapter) throw new GatewayError('invalid_request', refused ?? `${deployment.provider} is not configured`, { param: 'deployment' });
  if (adapter.unavailableReason) throw new GatewayError('invalid_request', `Provider ${deployment.provider} cannot be used: ${adapter.unavailableReason}`, { param: 'deployment' });
  return { deployment, adapter };
}
