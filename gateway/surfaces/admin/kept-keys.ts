/**
 * Keys the secret store (the desktop app's, encrypted) keeps that the config in force names nowhere:
 * a deleted provider's, or one that took an env:NAME reference since. They are kept so that a
 * restored revision naming one still has it; Settings lists them, and each can be forgotten (off the
 * disk), as a key the user no longer wants on the machine. One the config names is refused.
 */
import type { FastifyInstance } from 'fastify';
import type Type from 'typebox';
import { referencesOf } from '../../config/key-binding';
import { WEBHOOK_SECRET } from '../../config/patterns';
import type { Config } from '../../config/schema';
import type { Secrets } from '../../config/secrets';
import { GatewayError } from '../../errors';
import { NameParams } from './schemas';

/** The kept keys no provider of `config` names, as its key or a header's (the webhook's URL has its own place in Settings). */
export function unusedKeys(config: Config, secrets: Secrets): string[] {
  const named = new Set(config.providers.flatMap((p) => referencesOf(p).flatMap(({ reference }) => (reference.startsWith('secret:') ? [reference.slice(7)] : []))));
  return (secrets.kept?.() ?? []).filter((name) => name !== WEBHOOK_SECRET && !named.has(name)).sort();
}

export function keptKeyRoutes(app: FastifyInstance, { current, secrets }: { current(): Config; secrets: Secrets }): void {
  app.delete<{ Params: Type.Static<typeof NameParams> }>('/secrets/:name', { schema: { params: NameParams } }, async (request) => {
    const { name } = request.params;
    const user = current().providers.find((p) => referencesOf(p).some(({ reference }) => reference === `secret:${name}`));
    if (user) throw new GatewayError('invalid_request', `Provider ${user.name} uses the key kept as "${name}": give it another key first`, { param: 'name', status: 409 });
    if (!secrets.forget || !(secrets.kept?.() ?? []).includes(name)) throw new GatewayError('not_found', `No key is kept as "${name}"`, { param: 'name' });
    try {
      await secrets.forget(name);
    } catch (error) {
      throw new GatewayError('internal_error', `The key kept as "${name}" could not be deleted: ${error instanceof Error ? error.message : String(error)}`);
    }
    return { forgotten: name };
  });
}
