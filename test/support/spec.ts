/**
 * Validators for the published OpenAPI specs: our responses and the fakes' must both pass them.
 * Schemas are compiled straight from the spec files, refs and all. The files are unmodified copies
 * of ../shared/specs kept in test/fixtures/specs (checksums in SOURCES.md there), so a clone tests
 * the same on its own; test/spec-copies.test.ts checks they still match ../shared when it exists.
 */
import Ajv2020 from 'ajv/dist/2020';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const SPECS = join(import.meta.dirname, '..', 'fixtures', 'specs');
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false, validateSchema: false });
ajv.addSchema(nullableToJsonSchema(parse(readFileSync(join(SPECS, 'openai-openapi.yaml'), 'utf8'))) as object, 'openai');
ajv.addSchema(nullableToJsonSchema(parse(readFileSync(join(SPECS, 'ollama-openapi.yaml'), 'utf8'))) as object, 'ollama');

/**
 * The OpenAI spec still uses OpenAPI 3.0's `nullable: true` in places; JSON Schema says the same
 * thing as "or null". A mechanical rewrite, so the spec's meaning is kept exactly.
 */
function nullableToJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableToJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = nullableToJsonSchema(value);
  if (out.nullable !== true) return out;
  delete out.nullable;
  if (typeof out.type === 'string') return { ...out, type: [out.type, 'null'], ...(Array.isArray(out.enum) ? { enum: [...out.enum, null] } : {}) };
  return { anyOf: [out, { type: 'null' }] };
}

export type SpecName = 'openai' | 'ollama';

/** Throws with every violation listed when `value` does not match `components.schemas[schema]`. */
export function assertMatchesSpec(spec: SpecName, schema: string, value: unknown): void {
  const validate = ajv.getSchema(`${spec}#/components/schemas/${schema}`);
  if (!validate) throw new Error(`no schema ${schema} in the ${spec} spec`);
  if (!validate(value)) {
    throw new Error(`${spec} ${schema} violated:\n${ajv.errorsText(validate.errors, { separator: '\n' })}\n${JSON.stringify(value).slice(0, 2000)}`);
  }
}
