/**
 * Where notices are posted: the webhook the config names (`settings.notices.webhook`, a reference
 * read through the secret store: `env:NAME`, or the URL pasted in the desktop app's Settings), else
 * SWITCHYARD_WEBHOOK_URL as the gateway was started. Read at each use, so a webhook set, changed or
 * removed in Settings is where the next notice goes: one sender per URL, the one before closed (its
 * posts under way finish, a retry included unless the gateway stops) when the URL changes.
 */
import type { Notice } from './notifier';
import { createWebhookSender, parseWebhookUrl, WEBHOOK_VARIABLE, type WebhookSender } from './webhook';
import type { ProxySettings } from '../providers/proxy';

export interface WebhookState {
  /** The host posted to (its path is the channel's secret); null when notices go to no webhook. */
  host: string | null;
  /** Where it is set: the config's settings, the environment, or nowhere. */
  from: 'settings' | 'environment' | null;
  /** Why a webhook that is set cannot be posted to (a variable not set, a value that is no URL). */
  problem: string | null;
  /** What to know before using it (a secret path sent in clear). */
  warning: string | null;
}

export interface WebhookChannel {
  state(): WebhookState;
  send(notice: Notice): void;
  /** Posts one test notice now: undefined when the receiver took it, else what went wrong. */
  test(): Promise<string | undefined>;
  close(options: { giveUpRetries: boolean }): Promise<void>;
}

export interface ChannelOptions {
  /** The config's reference, if it names one. */
  reference: () => string | undefined;
  resolve: (reference: string) => string | undefined;
  env: Record<string, string | undefined>;
  proxy: ProxySettings | undefined;
  /** A notice that could not be delivered (never thrown: a chat that is down stops nothing). */
  undelivered: (problem: string) => void;
}

export function createWebhookChannel(options: ChannelOptions): WebhookChannel {
  let current: { href: string; sender: WebhookSender } | undefined;
  /** Senders of a URL replaced since, finishing their posts (a retry included, unless the gateway stops). */
  const retired = new Set<WebhookSender>();

  const target = (): WebhookState & { url?: URL } => {
    const reference = options.reference();
    const from = reference ? 'settings' : options.env[WEBHOOK_VARIABLE] ? 'environment' : null;
    if (from === null) return { host: null, from, problem: null, warning: null };
    const value = reference ? options.resolve(reference) : options.env[WEBHOOK_VARIABLE];
    if (value === undefined) {
      const problem = reference?.startsWith('env:') ? `${reference.slice(4)}, which the settings name, is not set in the gateway's environment` : "the URL pasted in the desktop app's Settings is not in this gateway's key store (a gateway without the app's store, or a keyring that could not be read): paste it again in Settings";
      return { host: null, from, problem, warning: null };
    }
    const parsed = parseWebhookUrl(value, reference ? `the webhook (${reference})` : WEBHOOK_VARIABLE);
    if (!parsed.ok) return { host: null, from, problem: parsed.message, warning: null };
    return { host: parsed.url.host, from, problem: null, warning: parsed.warning ?? null, url: parsed.url };
  };
  const retire = () => {
    if (!current) return;
    const { sender } = current;
    retired.add(sender);
    // Its posts report their own failures; letting go of its connection has nothing to tell.
    void sender
      .close({ giveUpRetries: false })
      .catch(() => undefined)
      .finally(() => retired.delete(sender));
    current = undefined;
  };
  const sender = (): WebhookSender | undefined => {
    const { url } = target();
    if (url?.href !== current?.href) retire();
    if (url && !current) current = { href: url.href, sender: createWebhookSender(url, options.proxy, options.undelivered) };
    return current?.sender;
  };

  return {
    state: () => {
      const { url: _url, ...state } = target();
      return state;
    },
    send: (notice) => sender()?.send(notice),
    test: async () => {
      const to = sender();
      return to ? to.test() : (target().problem ?? 'no webhook is set');
    },
    close: async ({ giveUpRetries }) => {
      const last = current?.sender.close({ giveUpRetries });
      current = undefined;
      // A replaced URL's retry is given up too: a stopping gateway waits on no chat that is down.
      await Promise.all([last, ...[...retired].map((sender) => sender.close({ giveUpRetries }))]);
    },
  };
}
