/**
 * A secret typed in the dashboard (a provider's key, a header's, a chat webhook's URL), kept by the secret store
 * (the desktop app's, encrypted): refused with what to do instead where there is none to keep it (a
 * gateway that reads its secrets from the environment, a system with no encrypted storage), and a
 * 500 saying nothing changed when it could not be written.
 */
import { originOf, referencesOf } from '../../config/key-binding';
import type { ProviderConfig } from '../../config/schema';
import type { Secrets } from '../../config/secrets';
import { valueOfCopiedLine } from '../../config/copied-line';
import { GatewayError } from '../../errors';
import { cleanKey, keyFlaw } from '../../providers/api-key';
import { unsendableInHeader } from '../../providers/header-values';

export interface TypedSecret {
  /** The body field it came in. */
  param: string;
  /** What it is, as a sentence's subject: "The key", "The webhook URL". */
  subject: string;
  /** What the environment would hold instead: "API keys", "secrets". */
  kind: string;
  /** How to give it without the store. */
  instead: string;
}

export function refuseUnlessStorable(secrets: Secrets, what: TypedSecret): asserts secrets is Secrets & Required<Pick<Secrets, 'store'>> {
  if (secrets.store && secrets.describe?.().canStore !== false) return;
  const why = secrets.store ? `This system offers no encrypted storage for ${what.kind}` : `This gateway reads ${what.kind} from environment variables`;
  throw new GatewayError('invalid_request', `${why}: ${what.instead}`, { param: what.param });
}

/** Keeps it under `name`; resolves with the reference the config names it by once it is on disk. */
export async function keepTypedSecret(secrets: Secrets, name: string, value: string, what: TypedSecret): Promise<string> {
  refuseUnlessStorable(secrets, what);
  try {
    return await secrets.store(name, value);
  } catch (error) {
    throw new GatewayError('internal_error', `${what.subject} could not be saved, and nothing was changed: ${error instanceof Error ? error.message : String(error)}`, { param: what.param });
  }
}

/** An API key as typed or pasted, cleaned as it will be sent; refused, saying what is wrong, where no provider would take it. */
export function typedKey(value: string, param: string): string {
  const key = cleanKey(value);
  if (!key) throw new GatewayError('invalid_request', 'The key is empty: paste the whole key', { param });
  const flaw = keyFlaw(key);
  if (flaw) throw new GatewayError('invalid_request', `The key has ${flaw}, which no API key has: paste the key again`, { param });
  return key;
}

/** A header's value as typed or pasted, as it will be sent (a header may hold "Basic ..."); refused, saying what is wrong, where no header could carry it. */
export function typedHeaderKey(value: string, header: string, param: string): string {
  const key = valueOfCopiedLine(value);
  if (!key) throw new GatewayError('invalid_request', `The ${header} header's key is empty: paste the whole key`, { param });
  const flaw = unsendableInHeader(key);
  if (flaw) throw new GatewayError('invalid_request', `The ${header} header's key has ${flaw}: paste the key again`, { param });
  return key;
}

/** The headers with `header` naming its key, in place of the header of that name in any case (names are one in any case). */
export function withHeaderKey(headers: Record<string, string> | undefined, header: string, reference: string): Record<string, string> {
  return { ...Object.fromEntries(Object.entries(headers ?? {}).filter(([h]) => h.toLowerCase() !== header.toLowerCase())), [header]: reference };
}

/**
 * The name a provider's typed key is kept under: `wanted` (the provider's name; for a header's key,
 * the name and the header's), unless another provider's key (its own, a header's) is kept under it,
 * or a key kept under it was ever sent to another server (a renamed provider's, whose old name a new
 * provider took; its own before it moved): then the name with .2, .3 and on. A kept key is only ever
 * sent to the one server it was typed for, in this config and in every revision a restore could
 * bring back.
 */
export function secretNameFor(wanted: string, provider: ProviderConfig, others: readonly ProviderConfig[], bound: ReadonlyMap<string, ReadonlySet<string>>): string {
  const origin = originOf(provider.baseUrl);
  const taken = new Set(others.flatMap((p) => referencesOf(p).map(({ reference }) => reference)));
  const free = (name: string) => !taken.has(`secret:${name}`) && [...(bound.get(`secret:${name}`) ?? [])].every((o) => o === origin);
  if (free(wanted)) return wanted;
  // Within the 128 characters a reference's name may have; ends, as taken and bound are finite.
  const stem = wanted.slice(0, 120);
  let n = 2;
  while (!free(`${stem}.${n}`)) n++;
  return `${stem}.${n}`;
}

/**
 * A provider being tested with the keys typed in its form (the API key's, headers'), each put under
 * a reference of its own and resolved from `typed` for this test only: none is kept.
 */
export function withTypedKeys({ apiKeyValue, headerKeyValues, ...provider }: ProviderConfig & { apiKeyValue?: string; headerKeyValues?: Record<string, string> }): { provider: ProviderConfig; typed: Map<string, string> } {
  const typed = new Map<string, string>();
  if (apiKeyValue !== undefined) typed.set((provider.apiKey = 'env:SWITCHYARD_TYPED_KEY'), typedKey(apiKeyValue, 'apiKeyValue'));
  Object.entries(headerKeyValues ?? {}).forEach(([header, value], i) => {
    const reference = `env:SWITCHYARD_TYPED_HEADER_KEY_${i}`;
    typed.set(reference, typedHeaderKey(value, header, `headerKeyValues.${header}`));
    provider.headers = withHeaderKey(provider.headers, header, reference);
  });
  return { provider, typed };
}
