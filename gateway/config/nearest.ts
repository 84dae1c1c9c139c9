/**
 * The known name a mistyped one was meant to be: one or two letters off (`mni` for `mini`, `serv`
 * for `serve`), in other capitals (`MINI`), or it with a vendor's prefix (`openai/mini`), for a "did you mean" after an unknown
 * name. Bounded, as a request for an unknown model runs it: names past 40 characters and names whose
 * lengths differ by more than the distance are not compared, and a comparison looks only within the
 * distance of the diagonal (40 x 5 steps).
 */
const MAX_LENGTH = 40;

/** ` (did you mean "mini"?)` after an unknown name, or nothing when no known name is that close. */
export function didYouMean(typed: string, known: Iterable<string>): string {
  const meant = nearest(typed, known);
  return meant ? ` (did you mean ${JSON.stringify(meant)}?)` : '';
}

export function nearest(typed: string, known: Iterable<string>, maxDistance = 2): string | undefined {
  // A config checked as best it can be may hold a number where a name goes.
  if (typeof typed !== 'string' || typed.length > MAX_LENGTH) return undefined;
  // A name with a vendor's prefix, as LiteLLM and OpenRouter write models (`openai/mini`): the one after it.
  const unvendored = typed.includes('/') ? typed.slice(typed.lastIndexOf('/') + 1) : undefined;
  const lowered = typed.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    if (name === unvendored) return name;
    if (typeof name !== 'string' || name.length > MAX_LENGTH || Math.abs(name.length - typed.length) > maxDistance || name === typed) continue;
    // The same name in other letters (`CODER`, `Mini`) is meant whatever its distance.
    if (name.length === typed.length && name.toLowerCase() === lowered) return name;
    const distance = editDistanceWithin(typed, name, best ? best.distance - 1 : maxDistance);
    if (distance !== undefined) best = { name, distance };
  }
  return best?.name;
}

/** Two rows of the distance table, made once: a comparison allocates nothing. */
let rows: [Uint8Array, Uint8Array] = [new Uint8Array(MAX_LENGTH + 1), new Uint8Array(MAX_LENGTH + 1)];

/**
 * Levenshtein distance (insertions, deletions, substitutions) when it is at most `limit`, else
 * undefined: only the cells within `limit` of the diagonal can hold such a distance.
 */
function editDistanceWithin(a: string, b: string, limit: number): number | undefined {
  if (limit < 0) return undefined;
  const far = limit + 1;
  let [previous, current] = rows;
  for (let j = 0; j <= b.length; j++) previous[j] = Math.min(j, far);
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - limit);
    const to = Math.min(b.length, i + limit);
    current[0] = Math.min(i, far);
    if (from > 1) current[from - 1] = far;
    let lowest = current[0] as number;
    for (let j = from; j <= to; j++) {
      const cost = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      const cell = Math.min(far, cost, (previous[j] as number) + 1, (current[j - 1] as number) + 1);
      current[j] = cell;
      if (cell < lowest) lowest = cell;
    }
    if (to < b.length) current[to + 1] = far;
    if (lowest > limit) return undefined;
    [previous, current] = [current, previous];
  }
  rows = [previous, current];
  const distance = previous[b.length] as number;
  return distance <= limit ? distance : undefined;
}
