/** A provider's API key, resolved from its config reference, and why the provider cannot be used without it. */
import type { ProviderConfig } from '../config/schema';
import type { Secrets } from '../config/secrets';
import { characterAt } from './header-values';

export function providerKey(config: ProviderConfig, secrets: Secrets, options: { required?: boolean } = {}): { apiKey: string | undefined; unavailableReason: string | undefined } {
  const resolved = config.apiKey ? secrets.resolve(config.apiKey) : undefined;
  const apiKey = resolved === undefined ? undefined : cleanKey(resolved);
  const name = config.apiKey?.replace(/^\w+:/, '');
  if (config.apiKey && !apiKey) return { apiKey: undefined, unavailableReason: `its API key ${name} is not set` };
  const flaw = apiKey ? keyFlaw(apiKey) : undefined;
  if (flaw) return { apiKey: undefined, unavailableReason: `its API key ${name} has ${flaw}: copy the key again` };
  if (!config.apiKey && options.required) return { apiKey, unavailableReason: 'it has no API key' };
  return { apiKey, unavailableReason: undefined };
}

/**
 * A key as it is sent: without the spaces and line break around it that copying it from a page, a
 * password manager or a Windows-edited .env file brings along (a key never has any).
 */
export function cleanKey(value: string): string {
  return value.trim();
}

/**
 * What no provider's key holds, where a cleaned key holds it: a space, a line break or a character
 * beyond printable ASCII inside it (a key pasted twice, or a dash a word processor made typographic).
 * It would never be taken, or not even sent.
 */
export function keyFlaw(key: string): string | undefined {
  const at = key.search(/[^\x21-\x7e]/);
  return at < 0 ? undefined : `${characterAt(key, at)} at character ${at + 1}`;
}
