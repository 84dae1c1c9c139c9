/**
 * A JSON Schema (a tool's parameters, a structured answer's format) as Gemini takes it. Its function
 * declarations read an OpenAPI subset and refuse the whole request for any other keyword ("Unknown
 * name "propertyNames" at 'tools[0].function_declarations[13].parameters...'"): Claude Code's tools
 * carry `$schema`, `additionalProperties`, `propertyNames`, `exclusiveMinimum` and `const`, MCP
 * servers' `$ref` and `$defs`. It refuses a type list, an enum of anything but strings, and a string
 * format other than `enum` and `date-time` too. The schema is rewritten into that subset, keeping
 * what it can of what it said: a `const` as a one-value enum, null in a type list or `anyOf` as
 * `nullable`, `oneOf` as `anyOf`, an exclusive bound as an inclusive one, local `$ref`s inlined.
 */

type Node = Record<string, unknown>;

/** Kept as they are. */
const PLAIN = ['title', 'description', 'minItems', 'maxItems', 'minLength', 'maxLength', 'pattern', 'minProperties', 'maxProperties', 'minimum', 'maximum', 'default', 'example'];
const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object']);
const FORMATS: Record<string, readonly string[]> = { string: ['enum', 'date-time'], number: ['float', 'double'], integer: ['int32', 'int64'] };
/** Untrusted input: a schema is walked at most this far, and a `$ref` followed this deep (a recursive one is cut). */
const MAX_NODES = 20_000;
const MAX_REF_DEPTH = 6;

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

export function geminiSchema(schema: unknown): Node {
  if (!isNode(schema)) return { type: 'object', properties: {} };
  const defs: Node = { ...(isNode(schema.definitions) ? schema.definitions : {}), ...(isNode(schema.$defs) ? schema.$defs : {}) };
  let budget = MAX_NODES;

  const visit = (given: unknown, refDepth: number): Node => {
    if (--budget < 0 || !isNode(given)) return {};
    let node = given;
    if (typeof node.$ref === 'string') {
      const name = /^#\/(?:\$defs|definitions)\/([^/]{1,200})$/.exec(node.$ref)?.[1];
      const target = name === undefined ? undefined : defs[name];
      // A reference it cannot follow (or a recursive one, cut) stands for an object.
      if (!isNode(target) || refDepth >= MAX_REF_DEPTH) return { type: 'object', ...(typeof node.description === 'string' ? { description: node.description } : {}) };
      const { $ref: _ref, ...beside } = node;
      node = { ...target, ...beside };
      refDepth++;
    }
    const out: Node = {};
    let type = node.type;
    if (Array.isArray(type)) {
      const types = type.filter((t) => t !== 'null');
      if (types.length < type.length) out.nullable = true;
      type = types[0];
    }
    if (typeof type === 'string' && TYPES.has(type)) out.type = type;
    // Members of an object or an array only go with its type ("properties: only allowed for OBJECT type"):
    // MCP servers leave the type out, or give another.
    else if (type === undefined && (isNode(node.properties) || Array.isArray(node.required))) out.type = 'object';
    else if (type === undefined && node.items !== undefined) out.type = 'array';
    if (node.nullable === true) out.nullable = true;
    for (const key of PLAIN) if (node[key] !== undefined) out[key] = node[key];
    if (typeof node.exclusiveMinimum === 'number' && out.minimum === undefined) out.minimum = node.exclusiveMinimum;
    if (typeof node.exclusiveMaximum === 'number' && out.maximum === undefined) out.maximum = node.exclusiveMaximum;
    const values = Array.isArray(node.enum) ? node.enum : node.const !== undefined ? [node.const] : undefined;
    if (values?.every((v) => typeof v === 'string')) {
      out.enum = values;
      out.type ??= 'string';
    }
    if (typeof node.format === 'string' && FORMATS[String(out.type)]?.includes(node.format)) out.format = node.format;
    if (isNode(node.properties) && out.type === 'object') {
      const properties: Node = {};
      for (const [name, property] of Object.entries(node.properties)) properties[name] = visit(property, refDepth);
      out.properties = properties;
      if (Array.isArray(node.required)) out.required = node.required.filter((name) => typeof name === 'string' && name in properties);
      if (Array.isArray(node.propertyOrdering)) out.propertyOrdering = node.propertyOrdering.filter((name) => typeof name === 'string' && name in properties);
    }
    if ((isNode(node.items) || Array.isArray(node.items)) && out.type === 'array') out.items = visit(Array.isArray(node.items) ? node.items[0] : node.items, refDepth);
    const alternatives = Array.isArray(node.anyOf) ? node.anyOf : Array.isArray(node.oneOf) ? node.oneOf : undefined;
    if (alternatives) {
      const kept = alternatives.filter((a) => !(isNode(a) && a.type === 'null'));
      if (kept.length < alternatives.length) out.nullable = true;
      const members = kept.map((a) => visit(a, refDepth));
      if (members.length === 1) Object.assign(out, { ...members[0], ...out });
      else if (members.length > 1) out.anyOf = members;
    }
    if (Array.isArray(node.allOf) && node.allOf.length === 1) Object.assign(out, { ...visit(node.allOf[0], refDepth), ...out });
    return out;
  };
  return visit(schema, 0);
}
