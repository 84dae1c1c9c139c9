/**
 * Config validation: the JSON Schema first (shape, patterns), then what a schema cannot say
 * (unique names, references, one type per route, real time zones). Every message names the
 * field and the offending value, so the CLI, the file check and the admin API can show it as is.
 */
import { Compile } from 'typebox/compile';
import { ConfigSchema, type Config } from './schema';
import { isLocalProvider } from '../routing/locality';
import { originIssues } from './origins';

export interface ConfigIssue {
  /** Dotted path with indexes, e.g. `deployments[0].timeWindows[1].start`. */
  path: string;
  message: string;
}

export type ValidationResult =
  | { ok: true; config: Config; warnings: ConfigIssue[] }
  | { ok: false; errors: ConfigIssue[]; warnings: ConfigIssue[] };

const checkShape = Compile(ConfigSchema);

export function validateConfig(input: unknown): ValidationResult {
  const version = (input as { version?: unknown } | null)?.version;
  // A later format is not a broken file: say which one this gateway reads, and judge nothing else by this one's rules.
  if (typeof version === 'number' && version > 1) return { ok: false, errors: [{ path: 'version', message: `this is config version ${version}, from a newer Switchyard; this one reads version 1` }], warnings: [] };
  const shapeErrors = schemaIssues(input);
  const { errors, warnings } = shapeErrors.length === 0 ? meaningIssues(input as Config) : bestEffortMeaningIssues(input);
  const all = [...shapeErrors, ...errors];
  return all.length > 0 ? { ok: false, errors: all, warnings } : { ok: true, config: input as Config, warnings };
}

/** A file with shape errors still gets its reference errors reported, where they can be read at all. */
function bestEffortMeaningIssues(input: unknown): { errors: ConfigIssue[]; warnings: ConfigIssue[] } {
  try {
    return meaningIssues(input as Config);
  } catch {
    return { errors: [], warnings: [] };
  }
}

function meaningIssues(config: Config): { errors: ConfigIssue[]; warnings: ConfigIssue[] } {
  const errors: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];

  const providerNames = uniqueNames(config.providers, 'providers', errors);
  const deploymentNames = uniqueNames(config.deployments, 'deployments', errors);
  const routeNames = uniqueNames(config.routes, 'routes', errors);

  config.providers.forEach((provider, i) => {
    const url = parseHttpUrl(provider.baseUrl);
    if (!url) errors.push({ path: `providers[${i}].baseUrl`, message: `${quote(provider.baseUrl)} is not an http(s) URL` });
    // The transport sends to the URL's origin, which has no user or password: refuse them rather than
    // drop them silently, and keep them out of the config's plain text (the message does not repeat them).
    else if (url.username || url.password) {
      errors.push({ path: `providers[${i}].baseUrl`, message: 'the URL has a user and password, which would not be sent and would be kept in the config as plain text: give them as a header instead, e.g. "headers": {"authorization": "Basic ..."}' });
    } else if (provider.kind === 'ollama' && provider.local === undefined && !isLocalProvider(provider)) {
      warnings.push({ path: `providers[${i}].local`, message: `the Ollama at ${url.host} is on the internet as far as its address says, so local only skips it and its answers are not counted as saved by local: set "local": true if it runs on your network (false to say it does not)` });
    }
  });

  const deploymentTypes = new Map<string, string>();
  config.deployments.forEach((deployment, i) => {
    const at = `deployments[${i}]`;
    deploymentTypes.set(deployment.name, deployment.type ?? 'chat');
    if (!providerNames.has(deployment.provider)) {
      errors.push({ path: `${at}.provider`, message: `no provider is named ${quote(deployment.provider)}` });
    }
    if (deployment.timeZone !== undefined && !isKnownTimeZone(deployment.timeZone)) {
      errors.push({ path: `${at}.timeZone`, message: `${quote(deployment.timeZone)} is not a known IANA time zone` });
    }
    const kind = config.providers.find((p) => p.name === deployment.provider)?.kind;
    if (kind !== undefined && kind !== 'ollama' && (deployment.options !== undefined || deployment.keepAlive !== undefined || deployment.think !== undefined || deployment.coldStart !== undefined)) {
      warnings.push({ path: at, message: `options, keepAlive, think and coldStart apply only to Ollama providers; ${quote(deployment.name)} ignores them` });
    }
    if (routeNames.has(deployment.name)) {
      errors.push({ path: `${at}.name`, message: `${quote(deployment.name)} is also a route name; a model name must mean one thing` });
    }
    if (kind === 'anthropic' && deployment.type === 'embedding') {
      errors.push({ path: `${at}.type`, message: `Anthropic has no embeddings API, so ${quote(deployment.provider)} cannot serve an embedding deployment` });
    }
  });

  config.routes.forEach((route, i) => {
    const at = `routes[${i}]`;
    const seen = new Set<string>();
    const types = new Set<string>();
    route.deployments.forEach((name, j) => {
      if (!deploymentNames.has(name)) {
        errors.push({ path: `${at}.deployments[${j}]`, message: `no deployment is named ${quote(name)}` });
        return;
      }
      if (seen.has(name)) errors.push({ path: `${at}.deployments[${j}]`, message: `${quote(name)} is listed twice` });
      seen.add(name);
      types.add(deploymentTypes.get(name) ?? 'chat');
    });
    if (types.size > 1) {
      errors.push({ path: `${at}.deployments`, message: `route ${quote(route.name)} mixes deployment types (${[...types].join(', ')}); all must share one type` });
    }
    if (route.deployments.length === 1) {
      warnings.push({ path: `${at}.deployments`, message: `route ${quote(route.name)} has a single deployment, so fallback cannot help it` });
    }
    const retry = route.retry;
    if (retry?.backoffMs !== undefined && retry.maxBackoffMs !== undefined && retry.maxBackoffMs < retry.backoffMs) {
      errors.push({ path: `${at}.retry.maxBackoffMs`, message: `${retry.maxBackoffMs} is below backoffMs (${retry.backoffMs})` });
    }
    for (const name of Object.keys(route.weights ?? {})) {
      if (!route.deployments.includes(name)) errors.push({ path: `${at}.weights.${name}`, message: `${quote(name)} is not a deployment of route ${quote(route.name)}` });
    }
    if (route.weights && route.strategy !== 'weighted') warnings.push({ path: `${at}.weights`, message: `weights apply only with "strategy": "weighted"` });
    route.rules?.forEach((rule, j) => {
      const target = config.routes.find((r) => r.name === rule.use);
      if (!target) errors.push({ path: `${at}.rules[${j}].use`, message: `no route is named ${quote(rule.use)}` });
      else if (target.name === route.name) errors.push({ path: `${at}.rules[${j}].use`, message: 'a rule cannot send a route to itself' });
      else if (target.deployments.some((d) => deploymentTypes.get(d) !== [...types][0])) errors.push({ path: `${at}.rules[${j}].use`, message: `route ${quote(rule.use)} serves another type of request` });
    });
  });

  const modelNames = new Set([...routeNames, ...deploymentNames]);
  for (const [alias, target] of Object.entries(config.aliases ?? {})) {
    const at = `aliases.${alias}`;
    if (!modelNames.has(target)) errors.push({ path: at, message: `no route or deployment is named ${quote(target)}` });
    if (modelNames.has(alias)) errors.push({ path: at, message: `${quote(alias)} is already a route or deployment name; a model name must mean one thing` });
    if (/[\u0000-\u001f]/.test(alias)) errors.push({ path: at, message: 'an alias cannot contain control characters' });
  }

  const budgetNames = new Set<string>();
  config.budgets?.forEach((budget, i) => {
    const at = `budgets[${i}]`;
    if (budgetNames.has(budget.name)) errors.push({ path: `${at}.name`, message: `another budget is named ${quote(budget.name)}` });
    budgetNames.add(budget.name);
    if (budget.timeZone !== undefined && !isKnownTimeZone(budget.timeZone)) errors.push({ path: `${at}.timeZone`, message: `${quote(budget.timeZone)} is not a known IANA time zone` });
    const scope = budget.scope;
    if (typeof scope === 'object' && 'route' in scope && !routeNames.has(scope.route)) errors.push({ path: `${at}.scope.route`, message: `no route is named ${quote(scope.route)}` });
    if (typeof scope === 'object' && 'provider' in scope && !providerNames.has(scope.provider)) errors.push({ path: `${at}.scope.provider`, message: `no provider is named ${quote(scope.provider)}` });
  });

  errors.push(...originIssues(config.settings?.allowedOrigins));

  config.deployments.forEach((deployment, i) => {
    const kind = config.providers.find((p) => p.name === deployment.provider)?.kind;
    if ((deployment.numCtx !== undefined || deployment.maxNumCtx !== undefined) && kind !== undefined && kind !== 'ollama') {
      warnings.push({ path: `deployments[${i}].numCtx`, message: `numCtx and maxNumCtx apply only to Ollama providers; ${quote(deployment.name)} ignores them` });
    }
  });

  return { errors, warnings };
}

/** Human-readable one-per-line rendering, used by the CLI. */
export function formatIssues(issues: ConfigIssue[]): string {
  return issues.map((issue) => `  ${issue.path || '(root)'}: ${issue.message}`).join('\n');
}

export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function parseHttpUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

function uniqueNames(items: { name: string }[], list: string, errors: ConfigIssue[]): Set<string> {
  const names = new Set<string>();
  items.forEach((item, i) => {
    if (names.has(item.name)) errors.push({ path: `${list}[${i}].name`, message: `${quote(item.name)} is used twice` });
    names.add(item.name);
  });
  return names;
}

function schemaIssues(input: unknown): ConfigIssue[] {
  return checkShape.Check(input) ? [] : describeSchemaErrors(checkShape.Errors(input), input);
}

/** A schema error as TypeBox (and ajv) reports it. */
export interface SchemaError {
  keyword: string;
  instancePath: string;
  params: unknown;
  message?: string | undefined;
}

/**
 * Schema errors as issues that name the field and the value in words a user can act on, for the
 * config file and for every admin API body alike.
 */
export function describeSchemaErrors(errors: Iterable<SchemaError>, input: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  const list = [...errors];
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
      for (const key of extra) push(path ? `${path}.${key}` : key, 'unknown field');
      continue;
    }
    const value = valueAt(input, error.instancePath);
    if (error.keyword === 'required') {
      const missing = (error.params as { requiredProperties?: string[] }).requiredProperties ?? [];
      for (const key of missing) push(path ? `${path}.${key}` : key, 'is required');
      continue;
    } else if (error.keyword === 'pattern' && /HH|\[01\]/.test(String((error.params as { pattern?: string }).pattern))) {
      message = `${quote(value)} is not a time in HH:MM form (00:00 to 23:59)`;
    } else if (path.endsWith('apiKey')) {
      // Every branch of the key's union fails on a pasted key: one message, and never the value quoted back.
      message = 'must name an environment variable that holds the key, e.g. "env:OPENAI_API_KEY", not the key itself (the desktop app can store a pasted key encrypted)';
    } else if (error.keyword === 'pattern' && (path === 'name' || path.endsWith('.name'))) {
      // An admin API body is the item itself: its name's path is `name`, not `routes[2].name`.
      message = value === '' ? 'is required (letters, digits and . _ : / @ -, up to 128)' : `${quote(value)} is not a valid name (letters, digits and . _ : / @ -, up to 128)`;
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

function quote(value: unknown): string {
  // JSON.stringify writes an overflowed number (1e400 parses to Infinity) as null.
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
