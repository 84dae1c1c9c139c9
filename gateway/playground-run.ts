/**
 * A playground run: the admin playground sends a request through a real front door (in process,
 * with app.inject) inside one of these, and the gateway's parts that it passes through read it. The
 * client key check lets it through as "playground", the router fails the deployments it names
 * without calling them, and the transport notes each request it sends upstream, so the playground
 * can show the request as translated. Only in-process code can start a run: nothing a client sends
 * sets one.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface UpstreamSent {
  provider: string;
  method: string;
  url: string;
  body: unknown;
}

export interface PlaygroundRun {
  simulateFailures: ReadonlySet<string>;
  upstream: UpstreamSent[];
}

const runs = new AsyncLocalStorage<PlaygroundRun>();

/** The run the current request belongs to, if it came from the playground. */
export function playgroundRun(): PlaygroundRun | undefined {
  return runs.getStore();
}

export function inPlaygroundRun<T>(run: PlaygroundRun, work: () => T): T {
  return runs.run(run, work);
}
