/**
 * Copy-on-write over JSON bodies: a request is changed for one server (a field left out, a pattern
 * dropped) without touching what the client sent, and copied only along the path of a change, so a
 * body with nothing to change costs one walk and no allocation.
 */

export type JsonRecord = Record<string, unknown>;

export const isRecord = (value: unknown): value is JsonRecord => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The record with `key` set to `value`, or the record itself when it is already that. */
export function replaced<T extends JsonRecord>(record: T, key: string, value: unknown): T {
  return record[key] === value ? record : { ...record, [key]: value };
}

/** Each record of a list through `change` (other items kept); the list itself when nothing changed. */
export function mapped<T>(list: readonly T[], change: (record: JsonRecord) => unknown): T[] {
  let out: T[] | undefined;
  list.forEach((item, i) => {
    if (!isRecord(item)) return;
    const next = change(item);
    if (next === item) return;
    out ??= [...list];
    out[i] = next as T;
  });
  return out ?? (list as T[]);
}
