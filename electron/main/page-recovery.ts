/**
 * The dashboard's page in trouble, while the gateway in the main process goes on serving every tool.
 * Its renderer gone (crashed, killed, out of memory) would leave a blank window: the page is loaded
 * again, but one that keeps crashing (a third time within a minute) is said once rather than reloaded
 * in a loop, and "Open dashboard" tries again. A page that stops answering (busy or stuck) is offered
 * a reload, the question taken back if it answers again meanwhile.
 */
import type { DesktopWindow } from './shell';

const CRASHES_BEFORE_GIVING_UP = 3;
const WITHIN_MS = 60_000;

export interface PageRecovery {
  /** Open dashboard: a page given up on is loaded again. */
  retry(): void;
}

export function recoverPage(window: DesktopWindow, say: (title: string, message: string) => void, now: () => number = Date.now): PageRecovery {
  let crashes: number[] = [];
  let gaveUp = false;
  window.onGone((reason) => {
    // The window closing (Quit) ends its renderer too.
    if (reason === 'clean-exit') return;
    const at = now();
    crashes = [...crashes.filter((earlier) => at - earlier < WITHIN_MS), at];
    if (crashes.length < CRASHES_BEFORE_GIVING_UP) return window.reload();
    gaveUp = true;
    say("Switchyard's dashboard keeps stopping", `Its page stopped ${crashes.length} times within a minute (the last: ${reason}), so it was not loaded again. Tools are still served. Choose "Open dashboard" in the tray menu to try again.`);
  });

  let question: AbortController | undefined;
  window.onHang((hung) => {
    if (!hung) return question?.abort();
    if (question) return;
    const asked = new AbortController();
    question = asked;
    const done = () => {
      if (question === asked) question = undefined;
    };
    void window
      .ask({ message: 'The dashboard is not responding', detail: 'Its page is busy or stuck; tools are still served. Reload it (what was not saved on it is lost), or wait for it.', buttons: ['Reload', 'Wait'] }, asked.signal)
      .then((reload) => {
        done();
        // Ended, its renderer is gone: loaded again above.
        if (reload && !asked.signal.aborted) window.endPage();
      }, done);
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
