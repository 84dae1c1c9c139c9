/**
 * `serve`'s notices: every few seconds the gateway's health is read in process and what changed is
 * posted to the webhook, as the desktop app shows it. One read at a time: a slow one is not stacked.
 */
import { createNotifier, type Notice } from './notifier';
import type { HealthSnapshot } from './notifier';

export const WATCH_EVERY_MS = 2_000;

export function watchNotices(read: () => Promise<HealthSnapshot>, deliver: (notice: Notice) => void, everyMs = WATCH_EVERY_MS): { stop(): void } {
  const notifier = createNotifier();
  let reading = false;
  const tick = async () => {
    if (reading) return;
    reading = true;
    try {
      for (const notice of notifier(await read())) deliver(notice);
    } catch {
      // A read that fails (the gateway stopping) is tried again at the next tick.
    } finally {
      reading = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
