/**
 * Settings' notices: where they go (`noticesView`), "Send a test notice" (`POST /notices/test`,
 * posted where the next notice would go, as `switchyard notices test` posts one from a terminal),
 * and a chat webhook's URL pasted in (`PUT /notices/webhook`): kept by the desktop's key store,
 * encrypted, and named in the settings by reference (`secret:#webhook`), never shown again beyond
 * its host; `DELETE` takes it out of the settings and the key store. Naming an `env:NAME` instead is
 * a settings patch like any other.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type Type from 'typebox';
import { patchSettings } from '../../config/edit';
import { WEBHOOK_SECRET } from '../../config/patterns';
import type { Config } from '../../config/schema';
import type { Secrets } from '../../config/secrets';
import { GatewayError } from '../../errors';
import { parseWebhookUrl } from '../../notices/webhook';
import type { WebhookChannel } from '../../notices/webhook-channel';
import { NoticeTestSchema, WebhookInputSchema, type NoticesView } from './server-schemas';
import { SettingsSavedSchema } from './schemas';
import { keepTypedSecret, type TypedSecret } from './typed-secrets';

export function noticesView({ desktop, webhook }: { desktop: boolean; webhook: WebhookChannel }): NoticesView {
  const state = webhook.state();
  return { desktop, webhookHost: state.host, webhookFrom: state.from, webhookProblem: state.problem, webhookWarning: state.warning };
}

export function noticeTestRoute(app: FastifyInstance, webhook: WebhookChannel): void {
  app.post('/notices/test', { schema: { response: { 200: NoticeTestSchema } } }, async () => {
    const state = webhook.state();
    if (state.from === null) throw new GatewayError('not_found', "No webhook is set: paste a chat's incoming webhook URL in Settings (the desktop app), name one in the settings as env:NAME, or start the gateway with SWITCHYARD_WEBHOOK_URL set");
    const problem = await webhook.test();
    return { delivered: problem === undefined, message: problem === undefined ? `Posted a test notice to the webhook at ${state.host}` : `Not delivered: ${problem}` };
  });
}

export interface WebhookRouteParts {
  current(): Config;
  /** Applies an edit, or answers with field errors and changes nothing (config-routes.ts). */
  apply(reply: FastifyReply, next: () => Config): Config | undefined;
  secrets: Secrets;
}

const TYPED_URL: TypedSecret = {
  param: 'url',
  subject: 'The webhook URL',
  kind: 'secrets',
  instead: 'set one to the URL (e.g. NOTICES_WEBHOOK) and name it in the settings as env:NOTICES_WEBHOOK, or start the gateway with SWITCHYARD_WEBHOOK_URL set',
};

export function webhookRoute(app: FastifyInstance, { current, apply, secrets }: WebhookRouteParts): void {
  app.put<{ Body: Type.Static<typeof WebhookInputSchema> }>('/notices/webhook', { schema: { body: WebhookInputSchema, response: { 200: SettingsSavedSchema } } }, async (request, reply) => {
    const parsed = parseWebhookUrl(request.body.url, 'The webhook URL');
    if (!parsed.ok) throw new GatewayError('invalid_request', `${parsed.message}: paste the incoming webhook's URL your chat gave (Slack, Discord, Mattermost...)`, { param: 'url' });
    const reference = await keepTypedSecret(secrets, WEBHOOK_SECRET, parsed.url.href, TYPED_URL);
    const applied = apply(reply, () => patchSettings(current(), { notices: { webhook: reference } }));
    return applied ? { settings: applied.settings ?? {} } : reply;
  });

  app.delete('/notices/webhook', { schema: { response: { 200: SettingsSavedSchema } } }, async (_request, reply) => {
    const applied = apply(reply, () => patchSettings(current(), { notices: { webhook: null } }));
    if (!applied) return reply;
    // Out of use from here; off the disk too, so a URL removed is not kept anywhere.
    try {
      await secrets.forget?.(WEBHOOK_SECRET);
    } catch (error) {
      throw new GatewayError('internal_error', `The webhook is no longer used, but its URL could not be deleted from the key store: ${error instanceof Error ? error.message : String(error)}`);
    }
    return { settings: applied.settings ?? {} };
  });
}
