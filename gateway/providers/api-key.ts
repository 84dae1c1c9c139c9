/** A provider's API key, resolved from its config reference, and why the provider cannot be used without it. */
import type { ProviderConfig } from '../config/schema';
import type { Secrets } from '../config/secrets';
import { characterAt } from './header-values';
import { valueOfCopiedLine } from '../config/copied-line';

export function providerKey(config: ProviderConfig, secrets: Secrets, options: { required?: boolean } = {}): { apiKey: string | undefined; unavailableReason: string | undefined } {
  const { key: apiKey, flaw } = readKey(config.apiKey, secrets);
  const name = config.apiKey?.replace(/^\w+:/, '');
  if (config.apiKey && !apiKey) return { apiKey: undefined, unavailableReason: `its API key ${name} is not set` };
  if (flaw) return { apiKey: undefined, unavailableReason: `its API key ${name} has ${flaw}: copy the key again` };
  if (!config.apiKey && options.required) return { apiKey, unavailableReason: 'it has no API key' };
  return { apiKey, unavailableReason: undefined };
}

/**
 * The key a reference names, cleaned as it is sent (undefined when it names none, or nothing but
 * spaces), and what in it no provider would take. The gateway and the dashboard read keys alike.
 */
export function readKey(reference: string | undefined, secrets: Secrets): { key: string | undefined; flaw: string | undefined } {
  const key = reference ? cleanKey(secrets.resolve(reference) ?? '') || undefined : undefined;
  return { key, flaw: key ? keyFlaw(key) : undefined };
}

/**
 * A key as it is sent: without what copying it brings along, which no key has: the spaces and line
 * break around it (a page, a password manager, a Windows-edited .env file), the variable name and
 * quotes of the .env line it came from (Docker's --env-file keeps the quotes in the value), or the
 * "Bearer " of the header a curl example sends it in.
 */
export function cleanKey(value: string): string {
  return valueOfCopiedLine(value).replace(/^bearer\s+/i, '');
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
