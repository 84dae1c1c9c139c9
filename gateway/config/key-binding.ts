/**
 * A stored key never follows a changed origin. A key reference (`env:NAME`, `secret:NAME`) in the
 * stored config is bound to the origins its providers send it to; an edit, an import or a
 * connection test from the admin API may not send it anywhere else, or an admin session could read
 * a key it is never shown by pointing its provider at a server of its own. A key typed in with the
 * change is fresh and bound to nothing yet.
 */
import type { Config } from './schema';
import type { ConfigIssue } from './schema-errors';

export function originOf(baseUrl: string): string | undefined {
  try {
    return new URL(baseUrl).origin;
  } catch {
    return undefined;
  }
}

/** Each key reference of a config, and the origins it is sent to. */
export function keyOrigins(config: Config): Map<string, Set<string>> {
  const bound = new Map<string, Set<string>>();
  for (const provider of config.providers) {
    if (!provider.apiKey) continue;
    const origin = originOf(provider.baseUrl);
    if (!origin) continue;
    const origins = bound.get(provider.apiKey) ?? new Set<string>();
    origins.add(origin);
    bound.set(provider.apiKey, origins);
  }
  return bound;
}

/** Providers of `next` that would send a key of `current` to an origin `current` does not send it to. */
export function keyFollowsOriginIssues(current: Config, next: Config, fresh: ReadonlySet<string> = new Set()): ConfigIssue[] {
  const bound = keyOrigins(current);
  const issues: ConfigIssue[] = [];
  next.providers.forEach((provider, i) => {
    if (!provider.apiKey || fresh.has(provider.apiKey)) return;
    const origins = bound.get(provider.apiKey);
    const origin = originOf(provider.baseUrl);
    if (!origins || !origin || origins.has(origin)) return;
    issues.push({
      path: `providers[${i}].apiKey`,
      message: `the key ${provider.apiKey} is sent to ${[...origins].join(', ')}, and a stored key never follows a changed origin: for ${origin}, ${provider.apiKey.startsWith('env:') ? 'name another variable' : 'type the key in again'}, or make the change on this machine with switchyard import`,
    });
  });
  return issues;
}

/** Whether a connection test may send this reference to this origin: only where the stored config already sends it. */
export function mayTestWith(current: Config, reference: string, baseUrl: string): boolean {
  const origin = originOf(baseUrl);
  return origin !== undefined && (keyOrigins(current).get(reference)?.has(origin) ?? false);
}
