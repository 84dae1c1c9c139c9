/**
 * JSON Merge Patch (RFC 7396), for edits of a few fields: a member replaces the one it names, an
 * object merges into the one there, `null` removes it. The dashboard sends its edits this way (a
 * route's strategy, rules or retry; the settings it shows; what a deployment form changed), so every
 * other field stays as the gateway holds it now, not as the page last read it: another window, the
 * tray or the CLI may have changed it since. A patch is walked once; its depth is bounded by the
 * schema that checked it, and a `__proto__` member never reaches it (http/json-body.ts refuses one).
 */
type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Json = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}
