/**
 * `serve`'s notices: every few seconds the gateway's health is read in process and what changed is
 * posted to the webhook, as the desktop app shows it. While no webhook is set nothing is read (an
 * idle gateway does no work); one set later starts from the health as it is then.
 */
import { createNotifier, type HealthSnapshot, type Notice } from './notifier';

export const WATCH_EVERY_MS = 2_000;

export interface WatchOptions {
  read: () => HealthSnapshot;
  deliver: (notice: Notice) => void;
  /** Whether anyone would be told: read again at each tick. */
  active: () => boolean;
  /** A read that failed, said once until reads work again: notices that silently stop help nobody. */
  onError: (message: string) => void;
  everyMs?: number;
}

export function watchNotices({ read, deliver, active, onError, everyMs = WATCH_EVERY_MS }: WatchOptions): { stop(): void } {
  let notifier: ReturnType<typeof createNotifier> | undefined;
  let failing = false;
  const tick = () => {
    if (!active()) {
      notifier = undefined;
      return;
    }
    notifier ??= createNotifier();
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
