/**
 * What each provider's server was found to refuse (`GET /quirks`), and forgetting it for one
 * (`DELETE /providers/NAME/quirks`), for when the server has been upgraded and takes what it
 * refused: its next requests then go as clients send them. What is learned belongs to the server
 * (providers/quirk-memory.ts), so forgetting it for one provider forgets it for every provider of
 * that server. One list for every provider, so a page never asks after a provider removed meanwhile.
 */
import type { FastifyInstance } from 'fastify';
import type { ProviderConfig } from '../../config/schema';
import { GatewayError } from '../../errors';
import { describeQuirk, serverOf } from '../../providers/quirk-memory';
import type { QuirkMemory } from '../../providers/types';
import type { Catalog } from '../../routing/catalog';
import { NameParams, QuirkListSchema, type QuirkList } from './schemas';

export function providerQuirks(app: FastifyInstance, { catalog, quirks }: { catalog: () => Catalog; quirks: QuirkMemory }): void {
  const listed = (providers: readonly ProviderConfig[]): QuirkList => ({
    quirks: providers.flatMap((provider) => quirks.list(serverOf(provider)).map((row) => ({ provider: provider.name, model: row.model, learned: describeQuirk(row), learnedAt: row.learnedAt }))),
  });

  app.get('/quirks', { schema: { response: { 200: QuirkListSchema } } }, async () => listed(catalog().config.providers));

  app.delete<{ Params: { name: string } }>('/providers/:name/quirks', { schema: { params: NameParams, response: { 200: QuirkListSchema } } }, async (request) => {
    const providers = catalog().config.providers;
    const provider = providers.find((p) => p.name === request.params.name);
    if (!provider) throw new GatewayError('not_found', `There is no provider named "${request.params.name}"`, { param: 'name' });
    quirks.forget(serverOf(provider));
    return listed(providers);
  });
}
