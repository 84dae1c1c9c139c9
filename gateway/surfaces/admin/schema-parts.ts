/** What the admin API's schema modules share: nullable values, names, and strict request objects. */
import Type from 'typebox';

export const NullableString = Type.Union([Type.String(), Type.Null()]);
export const NullableNumber = Type.Union([Type.Number(), Type.Null()]);
export const Name = Type.String({ minLength: 1, maxLength: 256 });
/** Request bodies and queries name every field they take: a misspelt one is an error, not silently ignored. */
export const Strict = { additionalProperties: false } as const;
