/**
 * Model-name aliases: `"claude-*": "coder"`. Exact route and deployment names win, then aliases
 * without a wildcard, then patterns in the order written. Matching is linear in the name for a
 * pattern with one `*`, and bounded (names are at most 256 characters) for several.
 */

export interface AliasMatch {
  /** The route or deployment the name stands for. */
  target: string;
  /** The alias key that matched (a pattern, or the name itself). */
  alias: string;
}

/** Whether `name` matches `pattern`, where `*` stands for any run of characters. */
function globMatch(pattern: string, name: string): boolean {
  let p = 0;
  let n = 0;
  let star = -1;
  let resume = 0;
  while (n < name.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === name[n]) {
      p++;
      n++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = n;
    } else if (star >= 0) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** Aliases without a wildcard, listed by name (they are model names clients can be shown). */
export function concreteAliases(aliases: Record<string, string> | undefined): string[] {
  return Object.keys(aliases ?? {}).filter((key) => !key.includes('*'));
}

export function createAliasResolver(aliases: Record<string, string> | undefined): (name: string) => AliasMatch | undefined {
  const entries = Object.entries(aliases ?? {});
  const exact = new Map(entries.filter(([key]) => !key.includes('*')));
  const patterns = entries.filter(([key]) => key.includes('*'));
  // Clients send the same few names over and over; any name at all may arrive, so the memo is bounded.
  const memo = new Map<string, AliasMatch | null>();
  return (name) => {
    const known = memo.get(name);
    if (known !== undefined) return known ?? undefined;
    const direct = exact.get(name);
    const found = direct !== undefined ? { target: direct, alias: name } : patterns.find(([pattern]) => globMatch(pattern, name));
    const match = found === undefined ? null : Array.isArray(found) ? { target: found[1], alias: found[0] } : found;
    if (memo.size >= 1_000) memo.clear();
    memo.set(name, match);
    return match ?? undefined;
  };
}

/** The names in `names` that are no route, deployment or alias: a client key limited to one of them could never be used. */
export function unknownModels(config: { routes: { name: string }[]; deployments: { name: string }[]; aliases?: Record<string, string> | undefined }, names: readonly string[]): string[] {
  const known = new Set([...config.routes.map((r) => r.name), ...config.deployments.map((d) => d.name)]);
  const alias = createAliasResolver(config.aliases);
  return names.filter((name) => !known.has(name) && alias(name) === undefined);
}
