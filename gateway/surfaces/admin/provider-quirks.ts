/**
 * What a provider's server was found to refuse (`GET /providers/NAME/quirks`), and forgetting it
 * (`DELETE`), for when the server has been upgraded and takes what it refused: its next requests
 * then go as clients send them. What is learned belongs to the server (providers/quirk-memory.ts),
 * so forgetting it for one provider forgets it for every provider of that server.
 */
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors';
import { describeQuirk, serverOf } from '../../providers/quirk-memory';
import type { QuirkMemory } from '../../providers/types';
import type { Catalog } from '../../routing/catalog';
import { NameParams, QuirkListSchema, type QuirkList } from './schemas';

export function providerQuirks(app: FastifyInstance, { catalog, quirks }: { catalog: () => Catalog; quirks: QuirkMemory }): void {
  const serverOfProvider = (name: string) => {
    const provider = catalog().config.providers.find((p) => p.name === name);
    if (!provider) throw new GatewayError('not_found', `There is no provider named "${name}"`, { param: 'name' });
    return serverOf(provider);
  };
  const listed = (server: string): QuirkList => ({ quirks: quirks.list(server).map((row) => ({ model: row.model, learned: describeQuirk(row), learnedAt: row.learnedAt })) });

  app.get<{ Params: { name: string } }>('/providers/:name/quirks', { schema: { params: NameParams, response: { 200: QuirkListSchema } } }, async (request) => listed(serverOfProvider(request.params.name)));

  app.delete<{ Params: { name: string } }>('/providers/:name/quirks', { schema: { params: NameParams, response: { 200: QuirkListSchema } } }, async (request) => {
    const server = serverOfProvider(request.params.name);
    quirks.forget(server);
    return listed(server);
  });
}
