/**
 * Schema errors in words a user can act on: each names the field and the value, for the config file
 * and for every admin API body alike (TypeBox's errors and Fastify's ajv errors have the same shape).
 */
import { Settings } from 'typebox/system';
import { patternWords } from './patterns';
import { chooseUnionBranches, type SchemaError } from './union-branches';

export type { SchemaError };

export interface ConfigIssue {
  /** Dotted path with indexes, e.g. `deployments[0].timeWindows[1].start`. */
  path: string;
  message: string;
}

/**
 * Errors a validator reports for one value, at most: a hostile body cannot make the list grow
 * without limit, and TypeBox's own default (8) ends most lists before a union's own error, which
 * says which branch the value was meant for (see union-branches.ts).
 */
const MAX_SCHEMA_ERRORS = 50;
let bounded = false;

/** A TypeBox validator's errors for `value`, at most MAX_SCHEMA_ERRORS of them. */
export function schemaErrorsOf(validator: { Errors(value: unknown): Iterable<SchemaError> }, value: unknown): SchemaError[] {
  if (!bounded) Settings.Set({ maxErrors: MAX_SCHEMA_ERRORS });
  bounded = true;
  return [...validator.Errors(value)];
}

/** Schema errors as issues: one per field and message, a value's allowed values listed. */
export function describeSchemaErrors(errors: Iterable<SchemaError>, input: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  const list = chooseUnionBranches([...errors]);
  const allowed = allowedValues(list);
  for (const error of list) {
    // TypeBox reports an unknown key twice (as `false` schema and as additionalProperties); keep one.
    if (error.keyword === 'boolean') continue;
    // A nullable literal's "must be null" is said by its list of values.
    if (error.keyword === 'type' && allowed.has(error.instancePath)) continue;
    const path = toPath(error.instancePath);
    let message: string;
    if (error.keyword === 'additionalProperties') {
      const extra = (error.params as { additionalProperties?: string[] }).additionalProperties ?? [];
      for (const key of extra) push(path ? `${path}.${key}` : key, 'is not a known field');
      continue;
    }
    const value = valueAt(input, error.instancePath);
    if (error.keyword === 'required') {
      const missing = (error.params as { requiredProperties?: string[] }).requiredProperties ?? [];
      for (const key of missing) push(path ? `${path}.${key}` : key, 'is required');
      continue;
    } else if (path.endsWith('apiKey')) {
      // Every branch of the key's union fails on a pasted key: one message, and never the value quoted
      // back, unless it is a variable written as a shell or Windows would (`$OPENAI_API_KEY`).
      const variable = variableWritten(value);
      message = variable
        ? `must be written env:NAME to name an environment variable (did you mean ${quote(`env:${variable}`)}?)`
        : 'must name an environment variable that holds the key, e.g. "env:OPENAI_API_KEY", not the key itself (the desktop app can store a pasted key encrypted)';
    } else if (error.keyword === 'pattern' && patternWords(String((error.params as { pattern?: unknown }).pattern))) {
      const words = patternWords(String((error.params as { pattern?: unknown }).pattern)) as string;
      message = value === '' ? `is required: ${words}` : `${quote(value)} is not ${words}`;
    } else if (error.keyword === 'maxProperties' || error.keyword === 'maxItems') {
      const limit = (error.params as { limit?: number }).limit;
      const count = Array.isArray(value) ? value.length : value && typeof value === 'object' ? Object.keys(value).length : 0;
      message = `has ${count} entries; at most ${limit} are allowed`;
    } else if (error.keyword === 'const' || error.keyword === 'enum' || error.keyword === 'anyOf') {
      const values = allowed.get(error.instancePath);
      message = values ? `must be ${values} (got ${quote(value)})` : `${quote(value)} is not one of the allowed values`;
      if (path.includes('.days[')) message = `${quote(value)} is not a day name (mon, tue, wed, thu, fri, sat, sun)`;
    } else {
      message = `${error.message ?? 'is invalid'} (got ${quote(value)})`;
    }
    push(path, message);
  }
  return issues;

  function push(path: string, message: string): void {
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    issues.push({ path, message });
  }
}

/**
 * The values each place accepts, where its schema lists them (a literal, a union of literals, an
 * enum, each maybe nullable), in words: `"low", "medium" or "high"`. One pass over the errors.
 */
function allowedValues(errors: readonly SchemaError[]): Map<string, string> {
  const found = new Map<string, { values: unknown[]; listed: boolean }>();
  for (const error of errors) {
    const params = error.params as { allowedValue?: unknown; allowedValues?: unknown[]; type?: unknown } | undefined;
    const values = error.keyword === 'const' ? [params?.allowedValue] : error.keyword === 'enum' ? (params?.allowedValues ?? []) : error.keyword === 'type' && params?.type === 'null' ? [null] : undefined;
    if (!values) continue;
    const at = found.get(error.instancePath) ?? { values: [], listed: false };
    at.values.push(...values);
    at.listed ||= error.keyword !== 'type';
    found.set(error.instancePath, at);
  }
  const words = new Map<string, string>();
  for (const [path, { values, listed }] of found) {
    if (!listed) continue;
    const quoted = [...new Set(values.map(quote))];
    const shown = quoted.length > 12 ? [...quoted.slice(0, 12), `${quoted.length - 12} more`] : quoted;
    words.set(path, shown.length === 1 ? (shown[0] as string) : `${shown.slice(0, -1).join(', ')} or ${shown.at(-1)}`);
  }
  return words;
}

function toPath(pointer: string): string {
  if (!pointer) return '';
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

function valueAt(root: unknown, pointer: string): unknown {
  let value: unknown = root;
  for (const part of pointer.split('/').slice(1)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return value;
}

export function quote(value: unknown): string {
  // JSON.stringify writes an overflowed number (1e400 parses to Infinity) as null.
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** `$OPENAI_API_KEY`, `${OPENAI_API_KEY}`, `%OPENAI_API_KEY%` or `OPENAI_API_KEY`: a variable's name, which no key is. */
function variableWritten(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const found = /^(?:\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)|%([A-Za-z_]\w*)%|([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+))$/.exec(value.trim());
  return found ? (found[1] ?? found[2] ?? found[3] ?? found[4]) : undefined;
}
