/**
 * Leaving the dashboard while it holds what would be lost (its beforeunload cancels the unload:
 * renderer/src/ui/unsaved.ts). A browser asks the user then; a window cancels without a word, so the
 * window asks here. Never with a synchronous dialog: that holds the main process, and with it the
 * gateway every tool is using, for as long as the question stays unanswered. So the unload is
 * cancelled at once, the question asked, and a "Leave" does again what was stopped (the window's
 * close, or a reload), let through that once.
 */

export interface LeavingPage {
  /** Shows the question (the window first, if in the tray): true to leave. */
  ask(): Promise<boolean>;
  /** Closes the window; its page's beforeunload runs first. */
  close(): void;
  reload(): void;
  /** Ends the window without asking its page (a page that answers nothing). */
  destroy(): void;
}

export interface LeaveGuard {
  /** Electron's `will-prevent-unload`: whether to let this unload go on now. */
  unloadStopped(): boolean;
  /** The window closed. */
  closed(): void;
  /** A page began to load: a let-through not used by now is not kept for a later unload. */
  loading(): void;
  /** Closes the window, its page asked first: whether it closed (false: the user stayed). */
  leave(): Promise<boolean>;
}

/** How long a page may take to answer a close before it is ended anyway (a hung renderer would keep the app from quitting). */
export const UNANSWERED_CLOSE_MS = 10_000;

export function createLeaveGuard(page: LeavingPage, unansweredMs = UNANSWERED_CLOSE_MS): LeaveGuard {
  let letThrough = false;
  let asking = false;
  let isClosed = false;
  let closing: ((closed: boolean) => void) | undefined;
  let unanswered: ReturnType<typeof setTimeout> | undefined;

  const settle = (closed: boolean) => {
    clearTimeout(unanswered);
    const resolve = closing;
    closing = undefined;
    resolve?.(closed);
  };

  const answered = (leave: boolean) => {
    asking = false;
    if (!leave) return settle(false);
    letThrough = true;
    // A close asked for while the question was open is what "Leave" answers, rather than the reload that raised it.
    if (closing) page.close();
    else page.reload();
  };

  return {
    unloadStopped() {
      clearTimeout(unanswered);
      if (letThrough) {
        letThrough = false;
        return true;
      }
      // A second unload while the question is open (Quit from the tray): the one answer decides both.
      if (asking) return false;
      asking = true;
      page.ask().then(answered, () => answered(false));
      return false;
    },
    closed() {
      isClosed = true;
      settle(true);
    },
    loading() {
      letThrough = false;
    },
    leave() {
      if (isClosed) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const earlier = closing;
        closing = (closed) => {
          earlier?.(closed);
          resolve(closed);
        };
        if (asking) return;
        clearTimeout(unanswered);
        unanswered = setTimeout(() => {
          page.destroy();
          settle(true);
        }, unansweredMs);
        page.close();
      });
    },
  };
}
