/**
 * The dashboard's renderer gone (crashed, killed, out of memory) leaves a blank window, while the
 * gateway in the main process goes on serving every tool: so the page is loaded again. A page that
 * keeps crashing (a third time within a minute) is not reloaded in a loop: that is said once, and
 * "Open dashboard" tries again.
 */
import type { DesktopWindow } from './shell';

const CRASHES_BEFORE_GIVING_UP = 3;
const WITHIN_MS = 60_000;

export interface CrashReload {
  /** Open dashboard: a page given up on is loaded again. */
  retry(): void;
}

export function reloadAfterCrash(window: DesktopWindow, say: (title: string, message: string) => void, now: () => number = Date.now): CrashReload {
  let crashes: number[] = [];
  let gaveUp = false;
  window.onGone((reason) => {
    // The window closing (Quit) ends its renderer too.
    if (reason === 'clean-exit') return;
    const at = now();
    crashes = [...crashes.filter((earlier) => at - earlier < WITHIN_MS), at];
    if (crashes.length < CRASHES_BEFORE_GIVING_UP) return window.reload();
    gaveUp = true;
    say('Switchyard\'s dashboard keeps stopping', `Its page stopped ${crashes.length} times within a minute (the last: ${reason}), so it was not loaded again. Tools are still served. Choose "Open dashboard" in the tray menu to try again.`);
  });
  return {
    retry() {
      if (!gaveUp) return;
      gaveUp = false;
      crashes = [];
      window.reload();
    },
  };
}
