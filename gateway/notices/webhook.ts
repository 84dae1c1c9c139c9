/**
 * Notices posted to a chat's incoming webhook, for a gateway with no desktop to show them (`serve`
 * on a server) or a desktop away from its user. The URL is a secret (whoever has it can post to the
 * channel): it comes from the environment or the desktop's key store (webhook-channel.ts), is never
 * printed beyond its host, and its requests never follow a redirect. A
 * receiver on the internet is reached through the proxy the environment names, as cloud providers are.
 * Slack and Discord get their own body; any other receiver (Mattermost, Google Chat, Rocket.Chat, a
 * script) gets `text` beside the notice's parts.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isLoopbackHost, isPrivateHost } from '../providers/hosts';
import { upstreamDispatcher, type ProxySettings } from '../providers/proxy';
import { noticeText, type Notice } from './notifier';
import { valueOfCopiedLine } from '../config/copied-line';

export const WEBHOOK_VARIABLE = 'SWITCHYARD_WEBHOOK_URL';
const TIMEOUT_MS = 5_000;
/** Posts waiting at once at most: a receiver that hangs must not gather notices without end. */
const MAX_PENDING = 20;
/** A post the receiver could not take (no answer, 429, 5xx) is tried once more after this long. */
const RETRY_MS = 3_000;
/** Discord's limit for a message's content; the others take more. */
const MAX_TEXT = 2_000;

/** `warning`: what to know before using it (its secret path would cross the internet in clear). */
export type WebhookUrl = { ok: true; url: URL; warning?: string } | { ok: false; message: string };

/**
 * `what` names the value in a refusal: the variable it came from, or where else it was given. Read
 * without the .env line it was copied with (the quotes Docker's --env-file keeps in the value).
 */
export function parseWebhookUrl(value: string, what = WEBHOOK_VARIABLE): WebhookUrl {
  let url: URL;
  try {
    url = new URL(valueOfCopiedLine(value));
  } catch {
    return { ok: false, message: `${what} is not a URL` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, message: `${what} must be an http or https URL, not ${url.protocol}` };
  if (url.username || url.password) return { ok: false, message: `${what} must not carry a user name or password` };
  const host = url.hostname.toLowerCase();
  if (url.protocol === 'http:' && !isLoopbackHost(host) && !isPrivateHost(host)) {
    return { ok: true, url, warning: `${what} is http, not https: its path, which is the channel's secret, would cross the internet in clear` };
  }
  return { ok: true, url };
}

/** The JSON body a receiver at `url` reads. */
export function webhookBody(url: URL, notice: Notice): Record<string, string> {
  // Cut by code points: a cut through an emoji's surrogate pair would be text no chat takes.
  const text = [...`Switchyard: ${noticeText(notice)}`].slice(0, MAX_TEXT).join('');
  if (url.hostname === 'hooks.slack.com') return { text };
  if (url.hostname === 'discord.com' || url.hostname === 'discordapp.com') return { content: text };
  return { text, title: notice.title, body: notice.body, source: 'switchyard' };
}

export interface WebhookSender {
  send(notice: Notice): void;
  /**
   * Waits for the posts under way, then lets go of the connection. `giveUpRetries`: a retry still
   * waiting is not made (a gateway stopping must not wait on a chat that is down). Called again
   * (a sender closed before, now giving up), it gives up as asked and waits for the same close.
   */
  close(options: { giveUpRetries: boolean }): Promise<void>;
  /** Posts a test notice now, once: undefined when the receiver took it, else what went wrong. */
  test(): Promise<string | undefined>;
}

export const TEST_NOTICE: Notice = { title: 'a test notice', body: 'Notices from this gateway reach this channel.' };

/**
 * Posts each notice in the background, once more a few seconds later when the receiver could not
 * take it (a chat's hiccup must not lose "cloud is down"); what still failed is reported by
 * `onError`, never thrown.
 */
export function createWebhookSender(url: URL, proxy: ProxySettings | undefined, onError: (message: string) => void): WebhookSender {
  const dispatcher = upstreamDispatcher(url.href, proxy, { connect: { timeout: TIMEOUT_MS }, headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS });
  const pending = new Set<Promise<void>>();
  const closing = new AbortController();
  let closed: Promise<void> | undefined;
  /** Undefined once the receiver took it, else what went wrong and whether another try may help. */
  const attempt = async (notice: Notice): Promise<{ problem: string; again: boolean } | undefined> => {
    try {
      // undici's request follows no redirect: one that would take the channel's secret path elsewhere is a failure.
      const response = await dispatcher.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'switchyard' },
        body: JSON.stringify(webhookBody(url, notice)),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await response.body.dump();
      if (response.statusCode >= 200 && response.statusCode < 300) return undefined;
      return { problem: `answered ${response.statusCode} to "${notice.title}"`, again: response.statusCode === 429 || response.statusCode >= 500 };
    } catch (error) {
      return { problem: `could not be reached for "${notice.title}": ${error instanceof Error ? error.message : String(error)}`, again: true };
    }
  };
  const post = async (notice: Notice): Promise<void> => {
    let failed = await attempt(notice);
    if (failed?.again && !closing.signal.aborted) {
      const waited = await sleep(RETRY_MS, true, { signal: closing.signal }).catch(() => false);
      if (waited) failed = await attempt(notice);
    }
    if (failed) onError(`the webhook at ${url.host} ${failed.problem}`);
  };
  return {
    send(notice) {
      if (pending.size >= MAX_PENDING) return onError(`the webhook at ${url.host} is behind by ${MAX_PENDING} notices: "${notice.title}" was dropped`);
      const sent = post(notice).finally(() => pending.delete(sent));
      pending.add(sent);
    },
    async test() {
      const failed = await attempt(TEST_NOTICE);
      return failed && `the webhook at ${url.host} ${failed.problem}`;
    },
    close({ giveUpRetries }) {
      if (giveUpRetries) closing.abort();
      closed ??= Promise.all(pending).then(() => dispatcher.close());
      return closed;
    },
  };
}
