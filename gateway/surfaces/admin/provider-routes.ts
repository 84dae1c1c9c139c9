/**
 * Providers over the admin API: list, create, replace and patch (DELETE is config-routes.ts's, as
 * for every list). Keys are write-only: a response says only whether one is set and its last 4
 * characters. A key typed in is kept by the secret store (the desktop's, encrypted) only once the
 * change is known to be valid, and before it is applied.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type Type from 'typebox';
import { addItem, EditError, replaceItem, type Entity } from '../../config/edit';
import { mergePatch } from '../../config/merge-patch';
import type { Config, ProviderConfig } from '../../config/schema';
import type { Secrets } from '../../config/secrets';
import { GatewayError } from '../../errors';
import { referencesOf } from '../../config/key-binding';
import { readHeaderKey, readKey } from '../../providers/api-key';
import { isLocalProvider } from '../../providers/locality';
import { keepTypedSecret, refuseUnlessStorable, secretNameFor, typedHeaderKey, typedKey, withHeaderKey, type TypedSecret } from './typed-secrets';
import { NameParams, ProviderInputSchema, ProviderListSchema, ProviderPatchSchema, ProviderViewSchema, type ProviderInput, type ProviderPatch, type ProviderView } from './schemas';

export interface ProviderRouteParts {
  current(): Config;
  /** Applies an edit, or answers with field errors and changes nothing (config-routes.ts). */
  apply(reply: FastifyReply, next: () => Config, focus?: { list: Entity; name: string }, fresh?: ReadonlySet<string>): Config | undefined;
  /** Whether an edit would be applied. */
  wouldApply(next: () => Config, fresh: ReadonlySet<string>): boolean;
  /** Each key reference's servers, in the config and every revision (config/key-binding.ts). */
  keyOrigins(): ReadonlyMap<string, ReadonlySet<string>>;
  secrets: Secrets;
}

type Params = { Params: Type.Static<typeof NameParams> };
const TYPED_KEY: TypedSecret = { param: 'apiKeyValue', subject: 'The key', kind: 'API keys', instead: 'set one (e.g. OPENAI_API_KEY) and enter env:OPENAI_API_KEY as the key reference' };
const TYPED_HEADER_KEY: TypedSecret = { param: 'headerKeyValues', subject: "A header's key", kind: 'keys', instead: "set one (e.g. PROXY_TOKEN) and write env:PROXY_TOKEN as the header's value" };
export function providerRoutes(app: FastifyInstance, { current, apply, wouldApply, keyOrigins, secrets }: ProviderRouteParts): void {
  const named = (config: Config, name: string) => config.providers.find((p) => p.name === name);
  const providerView = (provider: ProviderConfig): ProviderView => {
    const { apiKey, ...rest } = provider;
    // As it is sent: a key with a line break after it shows its own last four characters.
    const { key, flaw } = readKey(apiKey, secrets);
    const headerKeys = referencesOf(provider).flatMap(({ reference, field }) => (field === 'apiKey' ? [] : [{ header: field.slice('headers.'.length), reference, set: readHeaderKey(reference, secrets).key !== undefined }]));
    return { ...rest, runsLocally: isLocalProvider(provider), apiKey: { reference: apiKey ?? null, set: key !== undefined, last4: key?.slice(-4) ?? null, problem: flaw ? `it has ${flaw}` : null }, headerKeys };
  };

  /**
   * Applies a provider change (`change` puts the provider in the config). Its key: `apiKey` a
   * reference (null removes it), or `apiKeyValue` kept by the secret store; else the key it had.
   * `headerKeyValues` are keys typed for its headers, each kept too and named by its header. What
   * was typed is kept only once the change is known to be valid (a refused change leaves the
   * provider the keys it had) and before it is applied (a key that could not be kept changes nothing).
   */
  const applyProvider = async (reply: FastifyReply, { apiKeyValue, apiKey, headerKeyValues, ...fields }: ProviderInput, existingKey: string | undefined, change: (provider: ProviderConfig) => Config): Promise<Config | undefined> => {
    const focus = { list: 'providers' as const, name: fields.name };
    const key = apiKey === null ? undefined : (apiKey ?? existingKey);
    const given = key ? { ...fields, apiKey: key } : fields;
    const typed = typedSecretsOf(fields.name, apiKeyValue, headerKeyValues ?? undefined);
    if (typed.length === 0) return apply(reply, () => change(given), focus);
    refuseUnlessStorable(secrets, typed[0]?.header ? TYPED_HEADER_KEY : TYPED_KEY);
    const values = typed.map((t) => (t.header ? typedHeaderKey(t.value, t.header, t.param) : typedKey(t.value, t.param)));
    const others = othersAfter(() => change(given), fields.name);
    // Nor a name its own other keys have: one header's key named by hand as another's would be, and
    // the keys named before it in this change (two long header names alike for 128 characters).
    const names: string[] = [];
    let provider = given;
    for (const t of typed) {
      const name = secretNameFor(t.wanted, fields, [...others, t.put(provider, '')], keyOrigins());
      names.push(name);
      provider = t.put(provider, `secret:${name}`);
    }
    const fresh = new Set(names.map((name) => `secret:${name}`));
    if (wouldApply(() => change(provider), fresh)) {
      for (const [i, t] of typed.entries()) await keepTypedSecret(secrets, names[i] as string, values[i] as string, t.header ? TYPED_HEADER_KEY : TYPED_KEY);
    }
    return apply(reply, () => change(provider), focus, fresh);
  };
  /** A provider's patch as the body a PUT would send, and the key it has: the fields merged, the key only as the patch names it (write-only, it travels apart). */
  const patchedInput = (name: string, { apiKey, apiKeyValue, headerKeyValues, ...fields }: ProviderPatch): [ProviderInput, string | undefined] => {
    const existing = named(current(), name);
    if (!existing) throw new GatewayError('not_found', `There is no provider named "${name}"`, { param: 'name' });
    const { apiKey: existingKey, ...merged } = mergePatch(existing, fields) as ProviderConfig;
    return [{ ...merged, ...(apiKey !== undefined ? { apiKey } : {}), ...(apiKeyValue ? { apiKeyValue } : {}), ...(headerKeyValues ? { headerKeyValues } : {}) }, existingKey];
  };

  app.get('/providers', { schema: { response: { 200: ProviderListSchema } } }, async () => ({ providers: current().providers.map(providerView) }));
  app.post<{ Body: ProviderInput }>('/providers', { config: { entity: 'providers' }, schema: { body: ProviderInputSchema, response: { 201: ProviderViewSchema } } }, async (request, reply) => {
    const applied = await applyProvider(reply, request.body, undefined, (provider) => addItem(current(), 'providers', provider));
    return applied ? reply.code(201).send(providerView(named(applied, request.body.name) as ProviderConfig)) : reply;
  });
  app.put<Params & { Body: ProviderInput }>('/providers/:name', { config: { entity: 'providers' }, schema: { params: NameParams, body: ProviderInputSchema, response: { 200: ProviderViewSchema } } }, async (request, reply) => {
    const existing = named(current(), request.params.name);
    const applied = await applyProvider(reply, request.body, existing?.apiKey, (provider) => replaceItem(current(), 'providers', request.params.name, provider));
    return applied ? providerView(named(applied, request.body.name) as ProviderConfig) : reply;
  });

  app.patch<Params & { Body: ProviderPatch }>('/providers/:name', { config: { entity: 'providers' }, schema: { params: NameParams, body: ProviderPatchSchema, response: { 200: ProviderViewSchema } } }, async (request, reply) => {
    const [input, existingKey] = patchedInput(request.params.name, request.body);
    const applied = await applyProvider(reply, input, existingKey, (provider) => replaceItem(current(), 'providers', request.params.name, provider));
    return applied ? providerView(named(applied, input.name) as ProviderConfig) : reply;
  });
}

/** The other providers of the config an edit makes; none when the edit is refused (apply says why). */
function othersAfter(change: () => Config, name: string): ProviderConfig[] {
  try {
    return change().providers.filter((p) => p.name !== name);
  } catch (error) {
    if (error instanceof EditError) return [];
    throw error;
  }
}

interface Typed {
  value: string;
  /** The body field it came in, for its error. */
  param: string;
  /** The header it is for; none: the API key. */
  header?: string;
  /** The name it would be kept under, before secretNameFor makes it unique. */
  wanted: string;
  /** The provider with its reference in place. */
  put(provider: ProviderConfig, reference: string): ProviderConfig;
}

/** The keys typed with a change: the API key (kept under the provider's name) and each header's (under the name and the header's). */
function typedSecretsOf(name: string, apiKeyValue: string | undefined, headerKeyValues: Record<string, string> | undefined): Typed[] {
  const typed: Typed[] = apiKeyValue === undefined ? [] : [{ value: apiKeyValue, param: 'apiKeyValue', wanted: name, put: (p, reference) => ({ ...p, apiKey: reference }) }];
  const seen = new Set<string>();
  for (const [header, value] of Object.entries(headerKeyValues ?? {})) {
    if (seen.has(header.toLowerCase())) throw new GatewayError('invalid_request', `${header} is given twice (header names are the same in any case)`, { param: `headerKeyValues.${header}` });
    seen.add(header.toLowerCase());
    typed.push({
      value,
      param: `headerKeyValues.${header}`,
      header,
      wanted: `${name}.${header.toLowerCase()}`.slice(0, 128),
      put: (p, reference) => ({ ...p, headers: withHeaderKey(p.headers, header, reference) }),
    });
  }
  return typed;
}
