/**
 * The context windows OpenAI- and Anthropic-compatible servers' models lists say (models-list.ts),
 * kept from each provider's last probe that read its list: a window does not change while a server
 * is down. A deployment's model is found by its listed id, or as an alias of a listed snapshot
 * (`claude-sonnet-4-5` for `claude-sonnet-4-5-20250929`), once per list: the router asks on every
 * request, so after the first a lookup is one map read.
 */
import { listsModel } from '../models/listed';
import type { ProbeResult } from '../providers/types';

/** Models whose window is remembered per provider (a config names a few; a client's made-up name is never asked). */
const MOST_FOUND = 1_024;

export interface ListedWindows {
  /** After a provider's probe: its list's windows replace those kept (a list without any clears them); a failed probe keeps them. */
  probed(provider: string, result: ProbeResult | null): void;
  window(provider: string, model: string): number | undefined;
  /** A provider moved to another server, or gone: the old server's windows are not the new one's. */
  forget(provider: string): void;
}

export function createListedWindows(): ListedWindows {
  const byProvider = new Map<string, { listed: ReadonlyMap<string, number>; found: Map<string, number | undefined> }>();
  return {
    probed(provider, result) {
      if (result?.windows) byProvider.set(provider, { listed: result.windows, found: new Map() });
      else if (result) byProvider.delete(provider);
    },
    forget: (provider) => void byProvider.delete(provider),
    window(provider, model) {
      const known = byProvider.get(provider);
      if (!known) return undefined;
      if (known.found.has(model)) return known.found.get(model);
      let window = known.listed.get(model);
      if (window === undefined) {
        for (const [id, size] of known.listed) {
          if (!listsModel([id], model)) continue;
          window = size;
          break;
        }
      }
      if (known.found.size < MOST_FOUND) known.found.set(model, window);
      return window;
    },
  };
}
