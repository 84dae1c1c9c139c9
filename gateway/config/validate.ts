/**
 * Config validation: the JSON Schema first (shape, patterns), then what a schema cannot say
 * (unique names, references, one type per route, real time zones). Every message names the
 * field and the offending value, so the CLI, the file check and the admin API can show it as is.
 */
import { keepAliveProblem } from './keep-alive';
import { Compile } from 'typebox/compile';
import { ConfigSchema, type Config } from './schema';
import { isLocalProvider } from '../providers/locality';
import { unsendableInHeader } from '../providers/header-values';
import { originIssues } from './origins';
import { didYouMean } from './nearest';
import { valueOfCopiedLine } from './copied-line';
import { endpointPasted as pasted } from './endpoint-paste';
import { describeSchemaErrors, quote, schemaErrorsOf, type ConfigIssue } from './schema-errors';
import { isKeyReference } from './patterns';
import { TOOL } from './tool-names';

/** Headers that carry a key: one written in the config as plain text is said (the rest may hold anything). */
export const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|api-key|x-api-key|cf-access-client-secret)$/i;

export type ValidationResult =
  | { ok: true; config: Config; warnings: ConfigIssue[] }
  | { ok: false; errors: ConfigIssue[]; warnings: ConfigIssue[] };

// Compiled on first use: most commands never validate a config, and compiling takes ~12 ms of a start.
let checkShape: ReturnType<typeof Compile<typeof ConfigSchema>> | undefined;

export function validateConfig(input: unknown): ValidationResult {
  const version = (input as { version?: unknown } | null)?.version;
  // A later format is not a broken file: say which one this gateway reads, and judge nothing else by this one's rules.
  if (typeof version === 'number' && version > 1) return { ok: false, errors: [{ path: 'version', message: `this is config version ${version}, from a newer Switchyard; this one reads version 1` }], warnings: [] };
  const overLong = overLongLists(input);
  if (overLong.length > 0) return { ok: false, errors: overLong, warnings: [] };
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

/**
 * A query parameter of a base URL (each of which goes with every request) that names a credential:
 * `?key=`, `?api_key=`, `?access_token=`, a SAS `?sig=`, an Azure Function's `?code=`.
 */
function credentialParam(url: URL): string | undefined {
  return [...url.searchParams.keys()].find((name) => /(?:^|[-_.])(?:api[-_]?key|key|token|secret|pass(?:word|wd)?|sig(?:nature)?|auth(?:orization)?|cred(?:ential)?s?|code)(?:$|[-_.])/i.test(name));
}

/** A base URL that is not one, as it was likely meant: without the .env line it was copied from, with the scheme `localhost:11434` (as OLLAMA_HOST is often written) leaves out. */
function urlMeant(text: string): string | undefined {
  const value = valueOfCopiedLine(text);
  const withScheme = /^(?!https?[:/])[a-z0-9.-]+(:\d+)?(\/.*)?$/i.test(value) ? `http://${value}` : value;
  return withScheme !== text && parseHttpUrl(withScheme) ? withScheme : undefined;
}

const LISTS = ['providers', 'deployments', 'routes', 'budgets'] as const;

/**
 * The lists longer than the schema takes, said alone: each of their items would add errors of its
 * own (a 1.2 MB file of 400,000 providers made 800,000 of them in 3 s on the event loop, the
 * length's own error last), and the length is what to mend first.
 */
function overLongLists(input: unknown): ConfigIssue[] {
  const record = input as Record<string, unknown> | null;
  return LISTS.flatMap((list) => {
    const items = record?.[list];
    const max = (ConfigSchema.properties[list] as { maxItems?: number }).maxItems;
    return Array.isArray(items) && max !== undefined && items.length > max ? [{ path: list, message: `has ${items.length} entries; at most ${max} are allowed` }] : [];
  });
}

function meaningIssues(config: Config): { errors: ConfigIssue[]; warnings: ConfigIssue[] } {
  const errors: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];

  const providerNames = uniqueNames(config.providers, 'providers', errors);
  const deploymentNames = uniqueNames(config.deployments, 'deployments', errors);
  const routeNames = uniqueNames(config.routes, 'routes', errors);
  // A name one or two letters off one that is there is suggested, for the first five unknown names:
  // a file with hundreds of them stays quick to check.
  let suggestions = 5;
  const noneNamed = (what: string, name: string, known: Iterable<string>) => {
    return `no ${what} is named ${quote(name)}${suggestions-- > 0 ? didYouMean(name, known) : ''}`;
  };

  config.providers.forEach((provider, i) => {
    for (const [name, value] of Object.entries(provider.headers ?? {})) {
      const unsendable = unsendableInHeader(value);
      if (unsendable) errors.push({ path: `providers[${i}].headers.${name}`, message: `the value has ${unsendable}` });
      else if (CREDENTIAL_HEADER.test(name) && !isKeyReference(value)) {
        warnings.push({ path: `providers[${i}].headers.${name}`, message: `holds a key as plain text, kept in the config and shown wherever it is: put it in a variable and write "env:NAME" here (its value is sent as the key)` });
      }
    }
    const url = parseHttpUrl(provider.baseUrl);
    const credential = url ? credentialParam(url) : undefined;
    if (!url) {
      const meant = urlMeant(provider.baseUrl);
      errors.push({ path: `providers[${i}].baseUrl`, message: `${quote(provider.baseUrl)} is not an http(s) URL${meant ? ` (did you mean ${quote(meant)}?)` : ''}` });
    }
    // The transport sends to the URL's origin, which has no user or password: refuse them rather than
    // drop them silently, and keep them out of the config's plain text (the message does not repeat them).
    else if (url.username || url.password) {
      errors.push({ path: `providers[${i}].baseUrl`, message: 'the URL has a user and password, which would not be sent and would be kept in the config as plain text: give them as a header naming a variable that holds them instead, e.g. "headers": {"authorization": "env:PROXY_AUTHORIZATION"} with PROXY_AUTHORIZATION="Basic ..."' });
    } else if (credential) {
      errors.push({ path: `providers[${i}].baseUrl`, message: `the URL's query has ${quote(credential)}, a credential, which would be kept in the config as plain text and shown wherever the base URL is: give it as the provider's apiKey or a header instead` });
    } else {
      const paste = pasted(provider.kind, url);
      if (paste) errors.push({ path: `providers[${i}].baseUrl`, message: `${quote(provider.baseUrl)} ends in ${quote(paste.endpoint)}, which each request adds to the base URL itself: did you mean ${quote(paste.meant)}?` });
      else if (provider.kind === 'ollama' && provider.local === undefined && !isLocalProvider(provider)) {
        warnings.push({ path: `providers[${i}].local`, message: `the Ollama at ${url.host} is on the internet as far as its address says, so local only skips it and its answers are not counted as saved by local: set "local": true if it runs on your network (false to say it does not)` });
      }
    }
  });

  const deploymentTypes = new Map<string, string>();
  const deploymentModels = new Map<string, string>();
  config.deployments.forEach((deployment, i) => {
    const at = `deployments[${i}]`;
    deploymentTypes.set(deployment.name, deployment.type ?? 'chat');
    deploymentModels.set(deployment.name, deployment.model);
    if (!providerNames.has(deployment.provider)) {
      errors.push({ path: `${at}.provider`, message: noneNamed('provider', deployment.provider, providerNames) });
    }
    if (deployment.timeZone !== undefined && !isKnownTimeZone(deployment.timeZone)) {
      errors.push({ path: `${at}.timeZone`, message: `${quote(deployment.timeZone)} is not a known IANA time zone` });
    }
    const kind = config.providers.find((p) => p.name === deployment.provider)?.kind;
    if (kind !== undefined && kind !== 'ollama' && (deployment.options !== undefined || deployment.keepAlive !== undefined || deployment.think !== undefined || deployment.coldStart !== undefined)) {
      warnings.push({ path: at, message: `options, keepAlive, think and coldStart apply only to Ollama providers; ${quote(deployment.name)} ignores them` });
    }
    const keepAlive = deployment.keepAlive === undefined ? undefined : keepAliveProblem(deployment.keepAlive);
    if (keepAlive) errors.push({ path: `${at}.keepAlive`, message: keepAlive });
    if (routeNames.has(deployment.name)) {
      errors.push({ path: `${at}.name`, message: `${quote(deployment.name)} is also a route name; a model name must mean one thing` });
    }
    // Pasted from a model page with the space after it: the provider would look for a model of that name and find none.
    if (/^\s|\s$/.test(deployment.model)) {
      errors.push({ path: `${at}.model`, message: `${quote(deployment.model)} has a space or line break at its start or end, which its provider would take as part of the name (did you mean ${quote(deployment.model.trim())}?)` });
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
        errors.push({ path: `${at}.deployments[${j}]`, message: noneNamed('deployment', name, deploymentNames) });
        return;
      }
      if (seen.has(name)) errors.push({ path: `${at}.deployments[${j}]`, message: `${quote(name)} is listed twice` });
      seen.add(name);
      types.add(deploymentTypes.get(name) as string);
    });
    if (types.size > 1) {
      errors.push({ path: `${at}.deployments`, message: `route ${quote(route.name)} mixes deployment types (${[...types].join(', ')}); all must share one type` });
    }
    if (route.deployments.length === 1) {
      warnings.push({ path: `${at}.deployments`, message: `route ${quote(route.name)} has a single deployment, so fallback cannot help it` });
    }
    const mixed = types.size === 1 && types.has('embedding') ? embeddingModels(route.deployments, deploymentModels) : [];
    if (mixed.length > 1) {
      warnings.push({
        path: `${at}.deployments`,
        message: `route ${quote(route.name)} falls back from one embedding model to another (${mixed.join(', ')}): their vectors do not mix, so an index built with one is searched in vain with the other. Give each model a route of its own, unless they are one model under two names`,
      });
    }
    const retry = route.retry;
    if (retry?.backoffMs !== undefined && retry.maxBackoffMs !== undefined && retry.maxBackoffMs < retry.backoffMs) {
      errors.push({ path: `${at}.retry.maxBackoffMs`, message: `${retry.maxBackoffMs} is below backoffMs (${retry.backoffMs})` });
    }
    for (const name of Object.keys(route.weights ?? {})) {
      if (!route.deployments.includes(name)) errors.push({ path: `${at}.weights.${name}`, message: `${quote(name)} is not a deployment of route ${quote(route.name)}` });
    }
    if (route.weights && route.strategy !== 'weighted') warnings.push({ path: `${at}.weights`, message: `weights apply only with "strategy": "weighted"` });
    const own = types.size === 1 ? [...types][0] : undefined;
    route.rules?.forEach((rule, j) => {
      const target = config.routes.find((r) => r.name === rule.use);
      if (!target) errors.push({ path: `${at}.rules[${j}].use`, message: noneNamed('route', rule.use, routeNames) });
      else if (target.name === route.name) errors.push({ path: `${at}.rules[${j}].use`, message: 'a rule cannot send a route to itself' });
      // Unknown deployments, on either side, are said once, where they are named: they have no type to differ by.
      else if (own !== undefined && target.deployments.some((d) => deploymentTypes.has(d) && deploymentTypes.get(d) !== own)) errors.push({ path: `${at}.rules[${j}].use`, message: `route ${quote(rule.use)} serves another type of request` });
      const unknown = rule.when.tool === undefined ? undefined : unknownTool(rule.when.tool);
      if (unknown) warnings.push({ path: `${at}.rules[${j}].when.tool`, message: unknown });
    });
  });

  const modelNames = new Set([...routeNames, ...deploymentNames]);
  for (const [alias, target] of Object.entries(config.aliases ?? {})) {
    const at = `aliases.${alias}`;
    if (!modelNames.has(target)) errors.push({ path: at, message: noneNamed('route or deployment', target, modelNames) });
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
    if (typeof scope === 'object' && 'route' in scope && !routeNames.has(scope.route)) errors.push({ path: `${at}.scope.route`, message: noneNamed('route', scope.route, routeNames) });
    if (typeof scope === 'object' && 'provider' in scope && !providerNames.has(scope.provider)) errors.push({ path: `${at}.scope.provider`, message: noneNamed('provider', scope.provider, providerNames) });
    const unknown = typeof scope === 'object' && 'tool' in scope ? unknownTool(scope.tool) : undefined;
    if (unknown) warnings.push({ path: `${at}.scope.tool`, message: unknown });
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

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function parseHttpUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** The models a route's deployments run, each once, as Ollama tells names apart (not by capitals or `:latest`). */
function embeddingModels(deployments: string[], models: Map<string, string>): string[] {
  const byName = new Map<string, string>();
  for (const name of deployments) {
    const model = models.get(name);
    if (model === undefined) continue;
    const key = model.toLowerCase().replace(/:latest$/, '');
    if (!byName.has(key)) byName.set(key, model);
  }
  return [...byName.values()];
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
  checkShape ??= Compile(ConfigSchema);
  return checkShape.Check(input) ? [] : describeSchemaErrors(schemaErrorsOf(checkShape, input), input);
}

const KNOWN_TOOLS: readonly string[] = Object.values(TOOL);

/** Any program may be a tool (curl, a script's User-Agent), so a name not known is no error; but it may be a typo. */
function unknownTool(tool: string): string | undefined {
  if (KNOWN_TOOLS.includes(tool)) return undefined;
  return `${quote(tool)} is not a tool the gateway knows by name${didYouMean(tool, KNOWN_TOOLS)}: it applies only to requests whose headers name their tool so (the usage log's Tool column shows the names)`;
}
