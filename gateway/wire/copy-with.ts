/**
 * Copies of request bodies with fields set, for the hot path.
 *
 * `{ ...body, field }` would read better, but on Node 20 a spread followed by a key the body lacks
 * costs about 0.7 us, and the copies rarely share a hidden class, which slows every later read and
 * copy of them (the provider's own copy, JSON.stringify). Copied key by key, copies of bodies with
 * the same keys share one. The result is the spread's: the body's own keys in their order, a key set
 * again keeping its place. A spread that only sets keys the object has, or spreads a literal made
 * in place (`...(x ? { x } : {})`), costs nothing like it and is left as it reads.
 */
export function copyWith<T extends object, F extends object>(body: T, fields: F): Omit<T, keyof F> & F {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(body)) set(copy, key, (body as Record<string, unknown>)[key]);
  for (const key of Object.keys(fields)) set(copy, key, (fields as Record<string, unknown>)[key]);
  return copy as Omit<T, keyof F> & F;
}

/** A `__proto__` key an upstream's JSON holds stays a key, as a spread keeps it: assigned, it would become the copy's prototype. */
function set(copy: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  else copy[key] = value;
}

/** The body with its `stream` flag set, for the call that sends it whole or streamed; a body that already says so, as it is. */
export function withStream<T extends object>(body: T, stream: boolean): T & { stream: boolean } {
  if ((body as { stream?: unknown }).stream === stream) return body as T & { stream: boolean };
  return copyWith(body, { stream }) as T & { stream: boolean };
}
