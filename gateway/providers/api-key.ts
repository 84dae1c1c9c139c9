/** A provider's API key, resolved from its config reference, and why the provider cannot be used without it. */
import type { ProviderConfig } from '../config/schema';
import type { Secrets } from '../config/secrets';

export function providerKey(config: ProviderConfig, secrets: Secrets, options: { required?: boolean } = {}): { apiKey: string | undefined; unavailableReason: string | undefined } {
  const apiKey = config.apiKey ? secrets.resolve(config.apiKey) : undefined;
  if (config.apiKey && !apiKey) return { apiKey, unavailableReason: `its API key ${config.apiKey.replace(/^\w+:/, '')} is not set` };
  if (!config.apiKey && options.required) return { apiKey, unavailableReason: 'it has no API key' };
  return { apiKey, unavailableReason: undefined };
}
