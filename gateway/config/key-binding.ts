/**
 * A stored key never follows a changed origin. A key reference (`env:NAME`, `secret:NAME`), a
 * provider's `apiKey` or a header's value, is bound to the origins its providers send it to in the
 * stored config and in every revision before it; an edit, an import or a connection test from the
 * admin API may not send it anywhere else, or an admin session could read a key it is never shown
 * by pointing its provider at a server of its own (or by taking the key off its provider, or the
 * provider away, and giving it to a new one at its own server in a second edit). A key typed in
 * with the change is fresh and bound to nothing yet.
 *
 * A key no revision used is bound to nothing either: an admin session could name any variable of
 * the gateway's environment (`env:AWS_SECRET_ACCESS_KEY`) for a provider at its own server. On this
 * machine alone (the default) whoever holds a session can read that environment anyway; on a gateway
 * open to the network, such a key's first server is named from the admin API only when it is on this
 * machine, and otherwise from the machine itself (`switchyard import`, the `--config` file).
 */
import { isLoopbackHost } from '../providers/hosts';
import { isKeyReference } from './patterns';
import type { Config, ProviderConfig } from './schema';
import type { ConfigIssue } from './schema-errors';

/** A provider's key reference and base URL, as a revision had them. */
export interface KeyUse {
  reference: string;
  baseUrl: string;
}

export interface KeyBindings {
  /** Each key reference's origins: every revision's and `current`'s. */
  bound(current: Config): ReadonlyMap<string, ReadonlySet<string>>;
}

export function originOf(baseUrl: string): string | undefined {
  try {
    return new URL(baseUrl).origin;
  } catch {
    return undefined;
  }
}

/** The origins each key reference was ever sent to: by every revision saved (their uses outlive their pruning) and `current`. */
export function createKeyBindings(history: { keyUses(): KeyUse[] }): KeyBindings {
  return {
    bound(current) {
      const bound = keyOrigins(current);
      for (const use of history.keyUses()) {
        const origin = originOf(use.baseUrl);
        if (origin) bound.set(use.reference, (bound.get(use.reference) ?? new Set()).add(origin));
      }
      return bound;
    },
  };
}

/** The key references a provider sends: its `apiKey`, and each header whose value is one; each with its field. */
export function referencesOf(provider: ProviderConfig): { reference: string; field: string }[] {
  const references = provider.apiKey ? [{ reference: provider.apiKey, field: 'apiKey' }] : [];
  for (const [name, value] of Object.entries(provider.headers ?? {})) if (isKeyReference(value)) references.push({ reference: value, field: `headers.${name}` });
  return references;
}

/** Each key reference of a config, and the origins it is sent to. */
function keyOrigins(config: Config): Map<string, Set<string>> {
  const bound = new Map<string, Set<string>>();
  for (const provider of config.providers) {
    const origin = originOf(provider.baseUrl);
    if (!origin) continue;
    for (const { reference } of referencesOf(provider)) bound.set(reference, (bound.get(reference) ?? new Set<string>()).add(origin));
  }
  return bound;
}

/**
 * Providers of `next` that would send a bound key to an origin it is not bound to, or, on a gateway
 * open to the network, a key bound to nothing to a server not on this machine.
 */
export function keyFollowsOriginIssues(bound: ReadonlyMap<string, ReadonlySet<string>>, next: Config, fresh: ReadonlySet<string> = new Set(), openToNetwork = false): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  next.providers.forEach((provider, i) => {
    const origin = originOf(provider.baseUrl);
    if (!origin) return;
    for (const { reference, field } of referencesOf(provider)) {
      if (fresh.has(reference)) continue;
      const origins = bound.get(reference);
      const path = `providers[${i}].${field}`;
      if (!origins) {
        if (openToNetwork && !isLoopbackHost(new URL(origin).hostname)) {
          issues.push({
            path,
            message: `no provider has used the key ${reference} yet, and this gateway is open to the network: from the dashboard a key's first server must be on this machine; for ${origin}, ${reference.startsWith('env:') || field !== 'apiKey' ? 'name it on this machine with switchyard import (or in the --config file)' : 'type the key in with the change'}`,
          });
        }
        continue;
      }
      if (origins.has(origin)) continue;
      issues.push({
        path,
        message: `the key ${reference} is sent to ${[...origins].join(', ')}, and a stored key never follows a changed origin: for ${origin}, ${reference.startsWith('env:') ? 'name another variable' : field === 'apiKey' ? 'type the key in again' : 'name another key'}, or make the change on this machine with switchyard import`,
      });
    }
  });
  return issues;
}

/** Whether a connection test may send this reference to this origin: only where the stored config already sends it. */
export function mayTestWith(current: Config, reference: string, baseUrl: string): boolean {
  const origin = originOf(baseUrl);
  return origin !== undefined && (keyOrigins(current).get(reference)?.has(origin) ?? false);
}
