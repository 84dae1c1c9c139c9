/**
 * The context windows and answer limits OpenAI- and Anthropic-compatible servers' models lists say
 * (models-list.ts), kept from each provider's last probe that read its list: they do not change
 * while a server is down. A deployment's model is found by its listed id, or as an alias of a
 * listed snapshot (`claude-sonnet-4-5` for `claude-sonnet-4-5-20250929`), once per list: the
 * router asks on every request, so after the first a lookup is one map read.
 */
import { listsModel } from '../models/listed';
import type { ListedLimits, ProbeResult } from '../providers/types';

/** Models whose limits are remembered per provider (a config names a few; a client's made-up name is never asked). */
const MOST_FOUND = 1_024;

export interface ListedLimitsByProvider {
  /** After a provider's probe: its list's limits replace those kept (a list without any clears them); a failed probe keeps them. */
  probed(provider: string, result: ProbeResult | null): void;
  /** The same object for a model until the provider's next list: the router compares it to know nothing changed. */
  limits(provider: string, model: string): ListedLimits | undefined;
  /** A provider moved to another server, or gone: the old server's limits are not the new one's. */
  forget(provider: string): void;
}

export function createListedLimits(): ListedLimitsByProvider {
  const byProvider = new Map<string, { listed: ReadonlyMap<string, ListedLimits>; found: Map<string, ListedLimits | undefined> }>();
  return {
    probed(provider, result) {
      if (result?.limits) byProvider.set(provider, { listed: result.limits, found: new Map() });
      else if (result) byProvider.delete(provider);
    },
    forget: (provider) => void byProvider.delete(provider),
    limits(provider, model) {
      const known = byProvider.get(provider);
      if (!known) return undefined;
      if (known.found.has(model)) return known.found.get(model);
      let limits = known.listed.get(model);
      if (limits === undefined) {
        for (const [id, said] of known.listed) {
          if (!listsModel([id], model)) continue;
          limits = said;
          break;
        }
      }
      if (known.found.size < MOST_FOUND) known.found.set(model, limits);
      return limits;
    },
  };
}
