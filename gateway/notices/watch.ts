/**
 * `serve`'s notices: every few seconds the gateway's health is read in process (a read of what it
 * holds in memory, and the budgets' spend) and what changed is delivered (printed, and posted to
 * the webhook when one is set), as the desktop app shows it.
 */
import { createNotifier, type HealthSnapshot, type Notice } from './notifier';

const WATCH_EVERY_MS = 2_000;

export interface WatchOptions {
  read: () => HealthSnapshot;
  deliver: (notice: Notice) => void;
  /** A read that failed, said once until reads work again: notices that silently stop help nobody. */
  onError: (message: string) => void;
  everyMs?: number;
}

export function watchNotices({ read, deliver, onError, everyMs = WATCH_EVERY_MS }: WatchOptions): { stop(): void } {
  const notifier = createNotifier();
  let failing = false;
  const tick = () => {
    try {
      const notices = notifier(read());
      failing = false;
      for (const notice of notices) deliver(notice);
    } catch (error) {
      // Never the end of serve: the next tick tries again.
      if (!failing) onError(`the gateway's health could not be read for notices: ${error instanceof Error ? error.message : String(error)}`);
      failing = true;
    }
  };
  tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
