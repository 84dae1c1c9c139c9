/**
 * `serve`'s notices: every few seconds the gateway's health is read in process and what changed is
 * posted to the webhook, as the desktop app shows it.
 */
import { createNotifier, type HealthSnapshot, type Notice } from './notifier';

export const WATCH_EVERY_MS = 2_000;

export function watchNotices(read: () => HealthSnapshot, deliver: (notice: Notice) => void, everyMs = WATCH_EVERY_MS): { stop(): void } {
  const notifier = createNotifier();
  const tick = () => {
    try {
      for (const notice of notifier(read())) deliver(notice);
    } catch {
      // A read that fails (the gateway stopping) is tried again at the next tick, never the end of serve.
    }
  };
  tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
