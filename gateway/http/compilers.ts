/**
 * How every surface checks request bodies and writes responses: TypeBox's compiler validates (the
 * config file's validator too, so every boundary reports errors alike), fast-json-stringify
 * serialises response schemas. Both compile a schema on its first use, not at start: most routes
 * are never called in a gateway's lifetime, and compiling them all up front cost ~100 ms a start.
 */
import type { FastifySchemaCompiler, FastifySerializerCompiler } from 'fastify';
import fastJson from 'fast-json-stringify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

/** Errors reported for one body, at most: a hostile body cannot make the list grow without limit. */
const MAX_ERRORS = 50;

export const typeboxValidator: FastifySchemaCompiler<unknown> = ({ schema }) => {
  let validator: ReturnType<typeof Compile> | undefined;
  return (data: unknown) => {
    validator ??= Compile(schema as TSchema);
    if (validator.Check(data)) return { value: data };
    const errors = [];
    for (const error of validator.Errors(data)) {
      errors.push(error);
      if (errors.length >= MAX_ERRORS) break;
    }
    return { error: errors as never };
  };
};

export const lazySerializer: FastifySerializerCompiler<unknown> = ({ schema }) => {
  let serialize: ((data: unknown) => string) | undefined;
  return (data) => (serialize ??= fastJson(schema as Parameters<typeof fastJson>[0]) as (data: unknown) => string)(data);
};
