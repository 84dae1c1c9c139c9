/**
 * A provider's credentials, resolved from their config references: its API key (a bearer token, or
 * as it is in the header its `keyHeader` names) and each header whose value names a key (a proxy's),
 * and why the provider cannot be used without them.
 */
import type { ProviderConfig } from '../config/schema';
import type { Secrets } from '../config/secrets';
import { isKeyReference } from '../config/patterns';
import { characterAt, unsendableInHeader } from './header-values';
import { valueOfCopiedLine } from '../config/copied-line';

export interface Credentials {
  /** The headers that carry them, with the config's other headers: what every request to the provider sends. */
  headers: Record<string, string>;
  unavailableReason: string | undefined;
}

export function providerCredentials(config: ProviderConfig, secrets: Secrets, options: { required?: boolean } = {}): Credentials {
  const { key: apiKey, flaw } = readKey(config.apiKey, secrets);
  const name = config.apiKey?.replace(/^\w+:/, '');
  const headers: Record<string, string> = {};
  let unavailableReason: string | undefined;
  for (const [header, value] of Object.entries(config.headers ?? {})) {
    if (!isKeyReference(value)) {
      headers[header] = value;
      continue;
    }
    const { key, flaw: unsendable } = readHeaderKey(value, secrets);
    if (!key || unsendable) unavailableReason ??= `its ${header} header's key ${value.replace(/^\w+:/, '')} ${key ? `has ${unsendable}: copy the key again` : 'is not set'}`;
    else headers[header] = key;
  }
  if (config.apiKey && !apiKey) unavailableReason = `its API key ${name} is not set`;
  else if (flaw) unavailableReason = `its API key ${name} has ${flaw}: copy the key again`;
  else if (apiKey) {
    const header = config.keyHeader ?? 'authorization';
    headers[header] = header === 'authorization' ? `Bearer ${apiKey}` : apiKey;
  }
  // A server that takes its key in a header of its own (a proxy's x-api-key) needs no apiKey.
  else if (options.required && !Object.values(config.headers ?? {}).some(isKeyReference)) unavailableReason ??= 'it has no API key';
  return { headers, unavailableReason };
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
 * The key a header's reference names, as it is sent: without the spaces and the .env line around it,
 * but as it is inside (a header may hold "Basic ..." or "Bearer ..."); and what no header can carry.
 */
export function readHeaderKey(reference: string, secrets: Secrets): { key: string | undefined; flaw: string | undefined } {
  const key = valueOfCopiedLine(secrets.resolve(reference) ?? '') || undefined;
  return { key, flaw: key ? unsendableInHeader(key) : undefined };
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
