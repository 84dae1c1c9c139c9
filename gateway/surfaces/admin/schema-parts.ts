/** What the admin API's schema modules share: nullable values, names, and strict request objects. */
import Type, { type TNull, type TObject, type TOptional, type TProperties, type TUnion } from 'typebox';

export const NullableString = Type.Union([Type.String(), Type.Null()]);
export const NullableNumber = Type.Union([Type.Number(), Type.Null()]);
export const Name = Type.String({ minLength: 1, maxLength: 256 });
/** Request bodies and queries name every field they take: a misspelt one is an error, not silently ignored. */
export const Strict = { additionalProperties: false } as const;

type Patched<T extends TProperties> = { [K in keyof T]: TOptional<TUnion<[T[K], TNull]>> };

/**
 * A JSON Merge Patch of an object's fields (config/merge-patch.ts): each optional, `null` to remove
 * it, an object merged into the one there. What the merged object must be is checked after, as a
 * whole config.
 */
export function mergePatchOf<T extends TProperties>(properties: T): TObject<Patched<T>> {
  const fields = Object.fromEntries(Object.entries(properties).map(([key, schema]) => [key, Type.Optional(Type.Union([schema, Type.Null()]))]));
  return Type.Object(fields, Strict) as unknown as TObject<Patched<T>>;
}
