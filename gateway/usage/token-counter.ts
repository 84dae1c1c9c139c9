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
import { workerCalls } from '../worker-calls';

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
    parentPort.postMessage({ id, result: count });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error) });
  }
});
`;

export function createTokenCounter(options: TokenCounterOptions = {}): TokenCounter {
  const timeoutMs = options.timeoutMs ?? 10_000;
  // A tokenizer that failed to load fails the same way again: later counts are refused at once.
  let unavailable: Error | undefined;
  const calls = workerCalls<{ pieces: string[] }, number>({
    start: () => new Worker(WORKER_SOURCE, { eval: true, workerData: { module: options.module ?? createRequire(import.meta.url).resolve('gpt-tokenizer') } }),
    idleMs: options.idleMs ?? 60_000,
    failed: (error, held) => {
      unavailable = error instanceof Error ? error : new Error(String(error));
      for (const call of held) call.reject(unavailable);
    },
    stopped: 'the token counter stopped',
  });

  return {
    count(pieces) {
      if (unavailable) return Promise.reject(unavailable);
      return new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`the token counter answered nothing in ${timeoutMs} ms`));
          // Stuck: ended, and the next count starts another.
          void calls.stop();
        }, timeoutMs).unref();
        calls.call({ pieces }).then(
          (count) => (clearTimeout(timer), resolve(count)),
          (error: unknown) => (clearTimeout(timer), reject(error)),
        );
      });
    },
    get running() {
      return calls.running;
    },
    stop: calls.stop,
  };
}
