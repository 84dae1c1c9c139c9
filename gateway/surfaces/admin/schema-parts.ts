/** What the admin API's schema modules share: nullable values, names, and strict request objects. */
import Type, { type TNull, type TObject, type TOptional, type TProperties, type TSchema, type TUnion } from 'typebox';

export const NullableString = Type.Union([Type.String(), Type.Null()]);
export const NullableNumber = Type.Union([Type.Number(), Type.Null()]);
export const Name = Type.String({ minLength: 1, maxLength: 256 });
/** Request bodies and queries name every field they take: a misspelt one is an error, not silently ignored. */
export const Strict = { additionalProperties: false } as const;
/** The query of a route that reads none: any field in it is one the client meant to do something, and does not. */
export const NoQuery = Type.Object({}, Strict);

/** As patchedFields makes them: every field optional and nullable, an object's own fields too, at every depth. */
type Patched<T extends TProperties> = { [K in keyof T]: TOptional<TUnion<[PatchOf<T[K]>, TNull]>> };
type PatchOf<S> = S extends TObject<infer P> ? TObject<Patched<P>> : S;

/**
 * A JSON Merge Patch of an object's fields (config/merge-patch.ts): each optional, `null` to remove
 * it, an object merged into the one there, at every depth (a price changed alone, without the
 * pricing's other fields). What the merged object must be is checked after, as a whole config.
 */
export function mergePatchOf<T extends TProperties>(properties: T): TObject<Patched<T>> {
  return Type.Object(patchedFields(properties), Strict) as unknown as TObject<Patched<T>>;
}

function patchedFields(properties: TProperties): TProperties {
  return Object.fromEntries(Object.entries(properties).map(([key, schema]) => [key, Type.Optional(Type.Union([patchOf(schema), Type.Null()]))]));
}

/** An object schema's patch (its own strictness kept); any other schema as it is, since a patch replaces such a value whole. */
function patchOf(schema: TSchema): TSchema {
  const { type, properties, additionalProperties } = schema as { type?: unknown; properties?: TProperties; additionalProperties?: unknown };
  if (type !== 'object' || !properties) return schema;
  return Type.Object(patchedFields(properties), additionalProperties === undefined ? {} : { additionalProperties: additionalProperties as boolean });
}
