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
 * own, an emptied one (undefined) removed and the fields the form does not show kept; undefined
 * when nothing is left, so the object goes rather than stay as `{}`.
 */
export function withFields<T extends object>(kept: T | undefined, fields: Partial<T>): T | undefined {
  const merged: Json = { ...kept, ...fields };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  return Object.keys(merged).length > 0 ? (merged as T) : undefined;
}
