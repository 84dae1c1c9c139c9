/**
 * The known name a mistyped one was meant to be: one or two letters off (`mni` for `mini`, `serv`
 * for `serve`), for a "did you mean" after an unknown name. Bounded: names past 40 characters and
 * names whose lengths differ by more than the distance are not compared, so each comparison is at
 * most 40 x 40 steps.
 */
const MAX_LENGTH = 40;

export function nearest(typed: string, known: Iterable<string>, maxDistance = 2): string | undefined {
  if (typed.length > MAX_LENGTH) return undefined;
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    if (name.length > MAX_LENGTH || Math.abs(name.length - typed.length) > maxDistance || name === typed) continue;
    const distance = editDistance(typed, name);
    if (distance <= maxDistance && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length] as number;
}
