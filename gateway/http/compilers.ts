/**
 * How every surface checks request bodies and writes responses: TypeBox's compiler validates (the
 * config file's validator too, so every boundary reports errors alike), fast-json-stringify
 * serialises response schemas. Both compile a schema on its first use, not at start: most routes
 * are never called in a gateway's lifetime, and compiling them all up front cost ~100 ms a start;
 * and a response schema loses the unions fast-json-stringify would compile a validator for.
 */
import type { FastifySchemaCompiler, FastifySerializerCompiler, FastifyServerOptions } from 'fastify';
import fastJson from 'fast-json-stringify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { schemaErrorsOf } from '../config/schema-errors';
import { isRecord, mapped, replaced, type JsonRecord } from '../wire/records';

const typeboxValidator: FastifySchemaCompiler<unknown> = ({ schema }) => {
  let validator: ReturnType<typeof Compile> | undefined;
  return (data: unknown) => {
    validator ??= Compile(schema as TSchema);
    if (validator.Check(data)) return { value: data };
    return { error: schemaErrorsOf(validator, data) as never };
  };
};

const lazySerializer: FastifySerializerCompiler<unknown> = ({ schema }) => {
  let serialize: ((data: unknown) => string) | undefined;
  return (data) => (serialize ??= fastJson(withoutBranchChoices(schema) as Parameters<typeof fastJson>[0]) as (data: unknown) => string)(data);
};

/**
 * The two as Fastify's schema controller takes them when the app is made. Set afterwards, Fastify
 * would first load its default Ajv and fast-json-stringify compilers (about 10 ms of every start)
 * only to replace them. Its types describe those defaults' factories; at run time it calls what a
 * factory returns exactly as it calls a compiler given to setValidatorCompiler.
 */
export const compilersFactory = {
  buildValidator: () => typeboxValidator,
  buildSerializer: () => lazySerializer,
} as unknown as NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

/** Schemas nested deeper than this are left as they are (ours go a few levels down). */
const MAX_DEPTH = 32;
const CHILD_SCHEMAS = ['items', 'additionalProperties', 'not'] as const;
const CHILD_MAPS = ['properties', 'patternProperties', '$defs', 'definitions'] as const;

/**
 * A response schema as fast-json-stringify compiles it cheaply, writing the same JSON: a union with
 * null (TypeBox's `Union([S, Null])`) becomes S marked `nullable`, and a union of constants of one
 * type an `enum`. For each `anyOf` left, fast-json-stringify compiles an Ajv validator to choose the
 * branch of every value: about 70 ms on the first answer of /health, in the gateway's time to ready.
 */
export function withoutBranchChoices(schema: unknown, depth = 0): unknown {
  if (!isRecord(schema) || depth > MAX_DEPTH) return schema;
  let out = schema;
  const anyOf = schema.anyOf;
  if (Array.isArray(anyOf)) {
    const nullable = anyOf.some((member) => isRecord(member) && member.type === 'null');
    const others = anyOf.filter((member) => !(isRecord(member) && member.type === 'null'));
    const { anyOf: _branches, ...rest } = schema;
    const marked = nullable ? { nullable: true } : {};
    const first = others[0];
    if (others.length === 1 && isRecord(first)) return withoutBranchChoices({ ...rest, ...first, ...marked }, depth + 1);
    const type = isRecord(first) ? first.type : undefined;
    if (others.length > 1 && typeof type === 'string' && type !== 'object' && type !== 'array' && others.every((member) => isRecord(member) && member.type === type && member.const !== undefined)) {
      return { ...rest, type, enum: others.map((member) => (member as JsonRecord).const), ...marked };
    }
    out = replaced(out, 'anyOf', mapped(anyOf, (member) => withoutBranchChoices(member, depth + 1)));
  }
  for (const key of CHILD_SCHEMAS) if (isRecord(out[key])) out = replaced(out, key, withoutBranchChoices(out[key], depth + 1));
  for (const key of CHILD_MAPS) {
    const map = out[key];
    if (!isRecord(map)) continue;
    let changed: JsonRecord | undefined;
    for (const [name, child] of Object.entries(map)) {
      const next = withoutBranchChoices(child, depth + 1);
      if (next !== child) (changed ??= { ...map })[name] = next;
    }
    if (changed) out = replaced(out, key, changed);
  }
  return out;
}
