/**
 * A secret typed in the dashboard (a provider's key, a chat webhook's URL), kept by the secret store
 * (the desktop app's, encrypted): refused with what to do instead where there is none to keep it (a
 * gateway that reads its secrets from the environment, a system with no encrypted storage), and a
 * 500 saying nothing changed when it could not be written.
 */
import type { Secrets } from '../../config/secrets';
import { GatewayError } from '../../errors';
import { cleanKey, keyFlaw } from '../../providers/api-key';

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
