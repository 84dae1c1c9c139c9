/**
 * Calls to a worker thread that starts on the first one and ends after a while without any: each
 * call posted with an id and answered by the reply with that id (`{ id, result }` or `{ id, error }`).
 * Work that would hold the event loop runs there (the tokenizer's load, the usage charts' queries).
 */
import type { Worker } from 'node:worker_threads';

export type WorkerReply<Result> = { id: number; result: Result } | { id: number; error: string };

/** A call the worker holds, to answer some other way if the worker fails. */
export interface HeldCall<Ask, Result> {
  ask: Ask;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

export interface WorkerCalls<Ask, Result> {
  call(ask: Ask): Promise<Result>;
  /** Whether a worker is running now. */
  readonly running: boolean;
  stop(): Promise<void>;
}

export interface WorkerCallsOptions<Ask, Result> {
  start(): Worker;
  /** A worker with no call to answer for this long ends. */
  idleMs: number;
  /** The worker failed (could not be made or started, or threw): the calls it held, each still to be settled. */
  failed(error: unknown, held: HeldCall<Ask, Result>[]): void;
  /** Why a call is refused when its worker is stopped under it. */
  stopped: string;
}

export function workerCalls<Ask extends object, Result>(options: WorkerCallsOptions<Ask, Result>): WorkerCalls<Ask, Result> {
  let running: { worker: Worker; held: Map<number, HeldCall<Ask, Result>> } | undefined;
  let idleTimer: NodeJS.Timeout | undefined;
  let nextId = 0;

  const start = () => {
    const worker = options.start();
    // Never what keeps a stopping process alive.
    worker.unref();
    // Each worker answers its own calls: one ended for idleness may exit after the next has started.
    const held = new Map<number, HeldCall<Ask, Result>>();
    const handBack = () => {
      const calls = [...held.values()];
      held.clear();
      return calls;
    };
    worker.on('message', (reply: WorkerReply<Result>) => {
      const call = held.get(reply.id);
      held.delete(reply.id);
      if ('error' in reply) call?.reject(new Error(reply.error));
      else call?.resolve(reply.result);
      endWhenIdle();
    });
    worker.on('error', (error) => {
      if (running?.worker === worker) running = undefined;
      options.failed(error, handBack());
    });
    worker.on('exit', () => {
      if (running?.worker === worker) running = undefined;
      for (const call of handBack()) call.reject(new Error(options.stopped));
    });
    return { worker, held };
  };

  const endWhenIdle = () => {
    if (running?.held.size === 0) idleTimer = setTimeout(() => void stop(), options.idleMs).unref();
  };

  const stop = async () => {
    clearTimeout(idleTimer);
    const ending = running;
    running = undefined;
    await ending?.worker.terminate();
  };

  return {
    call: (ask) =>
      new Promise<Result>((resolve, reject) => {
        clearTimeout(idleTimer);
        try {
          running ??= start();
        } catch (error) {
          // A worker that cannot even be made (its code not found) has failed as one that throws has.
          return options.failed(error, [{ ask, resolve, reject }]);
        }
        const id = nextId++;
        try {
          running.worker.postMessage({ ...ask, id });
        } catch (error) {
          // What cannot be sent (a value that cannot be cloned) is held for no answer.
          endWhenIdle();
          return reject(error);
        }
        running.held.set(id, { ask, resolve, reject });
      }),
    get running() {
      return running !== undefined;
    },
    stop,
  };
}
