/**
 * The JSON Merge Patch (RFC 7396) that turns what a form opened with into what it saves: only the
 * fields the user changed, `null` for one removed. The gateway merges it into the item as it holds
 * it now, so a change made elsewhere while the form was open (another window, the config file
 * imported) stays unless this form changed the same field.
 */
type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export function mergePatchBetween(before: Json, after: Json): Json {
  const patch: Json = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const was = before[key];
    const is = after[key];
    if (is === undefined) {
      if (was !== undefined) patch[key] = null;
    } else if (JSON.stringify(was) !== JSON.stringify(is)) {
      // An object changed in part is patched in part; anything else (an array, a value) goes whole.
      patch[key] = isObject(was) && isObject(is) ? mergePatchBetween(was, is) : is;
    }
  }
  return patch;
}

/**
 * An optional object of the config (a route's retry, a breaker) with a form's fields in place of its
 * own (undefined: emptied), the fields the form does not show kept. Where there is one it stays, so
 * that a patch between the two names each field changed and no other (one changed elsewhere
 * meanwhile stays); where there is none, one is made only if the form gives a field.
 */
export function withFields<T extends object>(kept: T | undefined, fields: Partial<T>): T | undefined {
  if (kept !== undefined) return { ...kept, ...fields };
  const given = Object.entries(fields).filter(([, value]) => value !== undefined);
  return given.length > 0 ? (Object.fromEntries(given) as T) : undefined;
}
