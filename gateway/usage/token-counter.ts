/**
 * The o200k tokenizer, in a worker thread. Loading it takes about 300 ms of CPU (a 2.4 MB table
 * compiled, then made into maps of 200,000 entries): on the event loop that held every request in
 * flight, the first time a count was wanted (a `count_tokens` for an Ollama route, a row whose
 * upstream reported no usage). Here it holds nothing: the worker starts on first use, answers
 * counts in a fraction of a millisecond once loaded, and ends after a minute without any (its
 * ~40 MiB go with it). A worker that cannot start or load the tokenizer, or answers nothing in
 * 10 s (a usage row waits for its count), rejects, and the caller falls back to its linear count.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface TokenCounter {
  /** The tokens of each piece, summed. */
  count(pieces: string[]): Promise<number>;
  /** Whether a worker is running now. */
  readonly running: boolean;
  stop(): Promise<void>;
}

export interface TokenCounterOptions {
  /** The tokenizer module's file (default: gpt-tokenizer as installed). */
  module?: string;
  /** A worker with no count to make for this long ends. */
  idleMs?: number;
  /** A count not answered in this long is refused, and its worker, stuck, ended (the next count starts another). */
  timeoutMs?: number;
}

// CommonJS, run by the worker as `node -e` would: no file of its own to find in the bundle.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { countTokens } = require(workerData.module);
parentPort.on('message', ({ id, pieces }) => {
  try {
    let count = 0;
    for (const piece of pieces) count += countTokens(piece);
    parentPort.postMessage({ id, count });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error) });
  }
});
`;

type Reply = { id: number; count: number } | { id: number; error: string };
type Waiting = { resolve: (count: number) => void; reject: (error: Error) => void };
interface Running {
  worker: Worker;
  waiting: Map<number, Waiting>;
}

export function createTokenCounter(options: TokenCounterOptions = {}): TokenCounter {
  const idleMs = options.idleMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  let running: Running | undefined;
  // A tokenizer that failed to load fails the same way again: later counts are refused at once.
  let unavailable: Error | undefined;
  let idleTimer: NodeJS.Timeout | undefined;
  let nextId = 0;

  const start = (): Running => {
    const module = options.module ?? createRequire(import.meta.url).resolve('gpt-tokenizer');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module } });
    // Never what keeps a stopping process alive.
    worker.unref();
    // Each worker answers its own counts: one ended for idleness may exit after the next has started.
    const waiting = new Map<number, Waiting>();
    const failAll = (error: Error) => {
      for (const wait of waiting.values()) wait.reject(error);
      waiting.clear();
    };
    worker.on('message', (reply: Reply) => {
      const wait = waiting.get(reply.id);
      waiting.delete(reply.id);
      if ('error' in reply) wait?.reject(new Error(reply.error));
      else wait?.resolve(reply.count);
      if (waiting.size === 0 && running?.worker === worker) idleTimer = setTimeout(() => void stop(), idleMs).unref();
    });
    worker.on('error', (error) => {
      unavailable = error;
      failAll(error);
    });
    worker.on('exit', () => {
      if (running?.worker === worker) running = undefined;
      failAll(new Error('the token counter stopped'));
    });
    return { worker, waiting };
  };
  const stop = async () => {
    clearTimeout(idleTimer);
    const ending = running;
    running = undefined;
    await ending?.worker.terminate();
  };

  return {
    count(pieces) {
      if (unavailable) return Promise.reject(unavailable);
      clearTimeout(idleTimer);
      const { worker, waiting } = (running ??= start());
      const id = nextId++;
      const done = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`the token counter answered nothing in ${timeoutMs} ms`));
          if (running?.worker === worker) void stop();
        }, timeoutMs).unref();
        const settled = () => clearTimeout(timer);
        waiting.set(id, { resolve: (count) => (settled(), resolve(count)), reject: (error) => (settled(), reject(error)) });
      });
      worker.postMessage({ id, pieces });
      return done;
    },
    get running() {
      return running !== undefined;
    },
    stop,
  };
}
