/**
 * Provider tools: "test connection" (a probe with its latency) for a saved provider or one being
 * edited, and model discovery (Ollama's installed models, an OpenAI-compatible models list).
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/schema';
import { mayTestWith, originOf, referencesOf } from '../../config/key-binding';
import { validateConfig } from '../../config/validate';
import { GatewayError } from '../../errors';
import { createProviderSet } from '../../providers/registry';
import type { ProviderAdapter } from '../../providers/types';
import type { Secrets } from '../../config/secrets';
import type { Catalog } from '../../routing/catalog';
import { fieldErrors } from './validation';
import { withTypedKeys } from './typed-secrets';
import { ModelListSchema, NameParams, ProbeOutcomeSchema, ProviderTestSchema, type ProbeOutcome, type ProviderTest } from './schemas';

const TEST_TIMEOUT_MS = 8_000;

export function providerTools(app: FastifyInstance, { catalog, secrets, config, gatewayId }: { catalog: () => Catalog; secrets: Secrets; config: () => Config; gatewayId: string }): void {
  const probe = async (adapter: ProviderAdapter): Promise<ProbeOutcome> => {
    if (adapter.unavailableReason) return { ok: false, latencyMs: null, error: `Provider ${adapter.config.name} cannot be used: ${adapter.unavailableReason}`, models: [], version: null };
    const started = performance.now();
    try {
      const result = await adapter.probe(AbortSignal.timeout(TEST_TIMEOUT_MS));
      return { ok: true, latencyMs: Math.round(performance.now() - started), error: null, models: result.models, loaded: result.loaded ?? null, version: result.version ?? null };
    } catch (error) {
      return { ok: false, latencyMs: Math.round(performance.now() - started), error: (error as Error).message, models: [], version: null };
    }
  };

  const saved = (name: string) => {
    const adapter = catalog().providers.get(name);
    if (!adapter) throw new GatewayError('not_found', `There is no provider named "${name}"`, { param: 'name' });
    return adapter;
  };

  app.post<{ Params: { name: string } }>('/providers/:name/test', { schema: { params: NameParams, response: { 200: ProbeOutcomeSchema } } }, async (request) => probe(saved(request.params.name)));

  app.get<{ Params: { name: string } }>('/providers/:name/models', { schema: { params: NameParams, response: { 200: ModelListSchema } } }, async (request) => {
    const result = await probe(saved(request.params.name));
    return { models: result.models ?? [], error: result.models === null ? `${request.params.name} keeps no models list: type the model's name as its API takes it` : result.error };
  });

  /** Tests a provider as typed in a form, before it is saved. */
  app.post<{ Body: ProviderTest }>('/providers/test', { schema: { body: ProviderTestSchema, response: { 200: ProbeOutcomeSchema } } }, async (request, reply) => {
    const { provider, typed } = withTypedKeys(request.body);
    // A stored key (its API key's, a header's) is sent only where the stored config already sends it.
    const unsent = referencesOf(provider).find(({ reference }) => !typed.has(reference) && !mayTestWith(config(), reference, provider.baseUrl));
    if (unsent) {
      const message = `${unsent.reference} is not sent to ${originOf(provider.baseUrl) ?? provider.baseUrl} by any saved provider: ${unsent.field === 'apiKey' ? 'type the key in to test this one' : 'save the provider, then test it'}`;
      return reply.code(400).send(fieldErrors(message, [{ path: unsent.field, field: unsent.field, message }]));
    }
    const keys: Secrets = typed.size > 0 ? { resolve: (reference) => typed.get(reference) ?? secrets.resolve(reference) } : secrets;
    const check = validateConfig({ version: 1, providers: [provider], deployments: [], routes: [] });
    if (!check.ok) return reply.code(400).send(fieldErrors(check.errors[0]?.message ?? 'invalid', check.errors.map((e) => ({ ...e, field: e.path.replace(/^providers\[0\]\./, '') }))));
    const { adapters } = createProviderSet([provider], { secrets: keys, gatewayId });
    const adapter = adapters.get(provider.name) as ProviderAdapter;
    try {
      return await probe(adapter);
    } finally {
      await adapter.close();
    }
  });
}
