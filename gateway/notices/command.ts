/**
 * `switchyard notices test`: one notice posted to SWITCHYARD_WEBHOOK_URL now, as `serve` would post
 * it, so a webhook can be checked before a provider goes down at night. Says what the receiver
 * answered; exit 1 when the notice did not arrive.
 */
import type { Output } from '../cli-output';
import { proxySettings } from '../providers/proxy';
import { createWebhookSender, parseWebhookUrl, TEST_NOTICE, WEBHOOK_VARIABLE } from './webhook';

export async function noticesCommand(subcommand: string | undefined, io: Output, env: Record<string, string | undefined>): Promise<number> {
  if (subcommand !== 'test') {
    io.err(`switchyard notices: the one subcommand is "test" (post a test notice to ${WEBHOOK_VARIABLE})\n`);
    return 2;
  }
  const value = env[WEBHOOK_VARIABLE];
  if (!value) {
    io.err(`${WEBHOOK_VARIABLE} is not set: set it to a chat's incoming webhook URL (Slack, Discord, Mattermost...) in the environment serve runs in\n`);
    return 1;
  }
  const webhook = parseWebhookUrl(value);
  if (!webhook.ok) {
    io.err(`${webhook.message}\n`);
    return 1;
  }
  let problem: string | undefined;
  const sender = createWebhookSender(webhook.url, proxySettings(env), (message) => (problem = message));
  sender.send(TEST_NOTICE);
  await sender.close({ giveUpRetries: false });
  if (problem) {
    io.err(`Not delivered: ${problem}\n`);
    return 1;
  }
  io.out(`Posted a test notice to the webhook at ${webhook.url.host}\n`);
  return 0;
}
