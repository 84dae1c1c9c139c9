/**
 * JSON Schema `pattern`s a server cannot compile, left out of the schemas a request carries. OpenAI's
 * validator refuses the whole request for a lookaround in any tool's schema ("Invalid JSON schema:
 * regex lookaround is not supported", "'^(?!__.*__$)...' is not a 'regex'"): Claude Code's own
 * Artifact tool has one since 2.1.265, MCP tools validating emails have them, Zod's `z.email()`
 * makes them. Anthropic and Ollama take them. A pattern only guides the model outside strict mode,
 * so the schema without it means nearly the same; the request without it is answered at all.
 */
import { isRecord, mapped, replaced, type JsonRecord as Body } from './records';

/** How OpenAI (and servers checking as it does) refuses one. */
export const LOOKAROUND_REFUSED = /regex lookaround is not supported|is not a 'regex'/i;

/** Schemas nested deeper than this are left as they are (the walk stays bounded on untrusted input). */
const MAX_DEPTH = 64;

/** Keywords whose values are data, not schemas: a `pattern` inside them is a value to keep. */
const DATA_KEYWORDS = new Set(['enum', 'const', 'default', 'examples', 'example']);

/**
 * A chat or Responses request without lookaround patterns in its schemas: chat's tools and
 * `response_format`, the Responses API's tools (in namespaces and Codex's `additional_tools` items
 * too) and `text.format`. The body itself when it has none.
 */
export function withoutLookaroundPatterns<T extends object>(request: T): T {
  const body = request as unknown as Body;
  let out = body;
  const set = (key: string, value: unknown) => {
    if (value !== out[key]) out = { ...out, [key]: value };
  };
  set('tools', toolsWithout(body.tools));
  const format = body.response_format as Body | undefined;
  const chatSchema = (format?.json_schema as Body | undefined)?.schema;
  if (isRecord(chatSchema)) {
    const schema = schemaWithout(chatSchema, 0);
    if (schema !== chatSchema) set('response_format', { ...format, json_schema: { ...(format!.json_schema as Body), schema } });
  }
  const text = body.text as Body | undefined;
  const textSchema = (text?.format as Body | undefined)?.schema;
  if (isRecord(textSchema)) {
    const schema = schemaWithout(textSchema, 0);
    if (schema !== textSchema) set('text', { ...text, format: { ...(text!.format as Body), schema } });
  }
  if (Array.isArray(body.input)) set('input', mapped(body.input, (item) => (item.type === 'additional_tools' ? replaced(item, 'tools', toolsWithout(item.tools)) : item)));
  return out as unknown as T;
}

/** Tools in any API's shape: chat's `function.parameters`, the Responses API's `parameters`, a namespace's tools. */
function toolsWithout(tools: unknown): unknown {
  if (!Array.isArray(tools)) return tools;
  return mapped(tools, (tool) => {
    let out = tool;
    if (isRecord(tool.function) && isRecord(tool.function.parameters)) out = replaced(out, 'function', replaced(tool.function, 'parameters', schemaWithout(tool.function.parameters, 0)));
    if (isRecord(tool.parameters)) out = replaced(out, 'parameters', schemaWithout(tool.parameters, 0));
    if (tool.type === 'namespace') out = replaced(out, 'tools', toolsWithout(tool.tools));
    return out;
  });
}

function schemaWithout(schema: Body, depth: number): Body {
  if (depth > MAX_DEPTH) return schema;
  let out = schema;
  for (const [key, value] of Object.entries(schema)) {
    let next: unknown = value;
    if (key === 'pattern' && typeof value === 'string') {
      if (hasLookaround(value)) {
        const { pattern: _dropped, ...rest } = out;
        out = rest;
      }
      continue;
    }
    if (DATA_KEYWORDS.has(key)) continue;
    if (isRecord(value)) next = schemaWithout(value, depth + 1);
    else if (Array.isArray(value)) next = mapped(value, (item) => schemaWithout(item, depth + 1));
    if (next !== value) out = { ...out, [key]: next };
  }
  return out;
}

/** Whether a regular expression asserts around itself (`(?=`, `(?!`, `(?<=`, `(?<!`), outside escapes and character classes. One pass. */
export function hasLookaround(pattern: string): boolean {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(' && pattern[i + 1] === '?') {
      const next = pattern[i + 2];
      if (next === '=' || next === '!' || (next === '<' && (pattern[i + 3] === '=' || pattern[i + 3] === '!'))) return true;
    }
  }
  return false;
}
