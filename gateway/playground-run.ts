/**
 * A playground run: the admin playground sends a request through a real front door (in process,
 * with app.inject) inside one of these, and the gateway's parts that it passes through read it. The
 * client key check lets it through as "playground", the router fails the deployments it names
 * without calling them and is cancelled when the browser's request is, and the transport notes
 * each request it sends upstream, so the playground can show the request as translated. Only
 * in-process code can start a run: nothing a client sends sets one.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { CancelSignal } from './cancel';

export interface UpstreamSent {
  provider: string;
  method: string;
  url: string;
  body: unknown;
}

export interface PlaygroundRun {
  simulateFailures: ReadonlySet<string>;
  upstream: UpstreamSent[];
  /** The browser's request going away (its Stop): an injected request has no connection of its own to close. */
  signal?: CancelSignal;
}

const runs = new AsyncLocalStorage<PlaygroundRun>();
/** Runs in progress: the storage is on only while there is one. */
let running = 0;

/** The run the current request belongs to, if it came from the playground. */
export function playgroundRun(): PlaygroundRun | undefined {
  return runs.getStore();
}

/**
 * Does `work` inside `run`, and switches the storage off once no run is left: on Node 20 an
 * AsyncLocalStorage in use makes Node track every promise in the process, so one playground run
 * would otherwise leave every later request about 7% dearer (measured at 64 connections).
 */
export async function inPlaygroundRun<T>(run: PlaygroundRun, work: () => PromiseLike<T>): Promise<T> {
  running++;
  try {
    return await runs.run(run, work);
  } finally {
    if (--running === 0) runs.disable();
  }
}
