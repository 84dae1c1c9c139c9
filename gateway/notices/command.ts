/**
 * `switchyard notices test`: one notice posted now where `serve` would post it (the webhook the data
 * dir's settings name, else SWITCHYARD_WEBHOOK_URL), so a webhook can be checked before a provider
 * goes down at night. Says what the receiver answered; exit 1 when the notice did not arrive.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Output } from '../cli-output';
import { envSecrets } from '../config/secrets';
import { proxySettings } from '../providers/proxy';
import { createConfigStore } from '../store/config-store';
import { DB_FILE, openDatabase } from '../store/db';
import { TEST_NOTICE, WEBHOOK_VARIABLE } from './webhook';
import { createWebhookChannel } from './webhook-channel';

export async function noticesCommand(subcommand: string | undefined, dataDir: string, io: Output, env: Record<string, string | undefined>): Promise<number> {
  if (subcommand !== 'test') {
    io.err(`switchyard notices: the one subcommand is "test" (post a test notice where serve posts notices)\n`);
    return 2;
  }
  const reference = storedReference(dataDir);
  if (reference?.startsWith('secret:')) {
    io.err(`The webhook was pasted in the desktop app's Settings and is kept in its key store, which only the app can read: use "Send a test notice" there\n`);
    return 1;
  }
  let problem: string | undefined;
  const channel = createWebhookChannel({ reference: () => reference, resolve: envSecrets(env).resolve, env, proxy: proxySettings(env), undelivered: (message) => (problem = message) });
  const state = channel.state();
  if (state.from === null) {
    io.err(`${WEBHOOK_VARIABLE} is not set: set it to a chat's incoming webhook URL (Slack, Discord, Mattermost...) in the environment serve runs in, or set one in the dashboard's Settings\n`);
    return 1;
  }
  if (state.problem) {
    io.err(`${state.problem}\n`);
    return 1;
  }
  channel.send(TEST_NOTICE);
  await channel.close({ giveUpRetries: false });
  if (problem) {
    io.err(`Not delivered: ${problem}\n`);
    return 1;
  }
  io.out(`Posted a test notice to the webhook at ${state.host}\n`);
  return 0;
}

/** The webhook the data dir's settings name, if there is a data dir (none is made for asking). */
function storedReference(dataDir: string): string | undefined {
  if (!existsSync(join(dataDir, DB_FILE))) return undefined;
  const db = openDatabase(dataDir);
  try {
    return createConfigStore(db).current()?.settings?.notices?.webhook;
  } finally {
    db.close();
  }
}
