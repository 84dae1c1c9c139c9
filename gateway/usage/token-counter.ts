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
  /**
   * How many characters of the pieces, read in order, fit in `limit` tokens: where the limit falls
   * inside a character (a token ending in its bytes), that character is not counted.
   */
  prefix(pieces: string[], limit: number): Promise<number>;
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
// Text is text: a special token's name written in it (an indexed tokenizer's docs) is not refused.
const AS_TEXT = { disallowedSpecial: new Set() };
const count = (text) => countTokens(text, AS_TEXT);
// A prefix ending in a pair's high half would split a character.
const splits = (text, end) => (text.charCodeAt(end - 1) & 0xfc00) === 0xd800;
function prefix(pieces, limit) {
  let room = limit;
  let chars = 0;
  for (const piece of pieces) {
    const tokens = count(piece);
    if (tokens <= room) {
      room -= tokens;
      chars += piece.length;
      continue;
    }
    // The longest start of the piece that fits, found by halving (a piece is short: its count is quick).
    let low = 0;
    let high = piece.length;
    while (low < high) {
      let mid = Math.ceil((low + high) / 2);
      if (splits(piece, mid)) mid = mid < high ? mid + 1 : mid - 1;
      if (mid <= low) break;
      if (count(piece.slice(0, mid)) <= room) low = mid;
      else high = mid - 1;
    }
    return chars + low;
  }
  return chars;
}
parentPort.on('message', ({ id, pieces, limit }) => {
  try {
    let result = 0;
    if (limit !== undefined) result = prefix(pieces, limit);
    else for (const piece of pieces) result += count(piece);
    parentPort.postMessage({ id, result });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error) });
  }
});
`;

export function createTokenCounter(options: TokenCounterOptions = {}): TokenCounter {
  const timeoutMs = options.timeoutMs ?? 10_000;
  // A tokenizer that failed to load fails the same way again: later counts are refused at once.
  let unavailable: Error | undefined;
  const calls = workerCalls<{ pieces: string[]; limit?: number }, number>({
    start: () => new Worker(WORKER_SOURCE, { eval: true, workerData: { module: options.module ?? createRequire(import.meta.url).resolve('gpt-tokenizer') } }),
    idleMs: options.idleMs ?? 60_000,
    failed: (error, held) => {
      unavailable = error instanceof Error ? error : new Error(String(error));
      for (const call of held) call.reject(unavailable);
    },
    stopped: 'the token counter stopped',
  });

  const ask = (question: { pieces: string[]; limit?: number }) => {
    if (unavailable) return Promise.reject(unavailable);
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`the token counter answered nothing in ${timeoutMs} ms`));
        // Stuck: ended, and the next count starts another.
        void calls.stop();
      }, timeoutMs).unref();
      calls.call(question).then(
        (count) => (clearTimeout(timer), resolve(count)),
        (error: unknown) => (clearTimeout(timer), reject(error)),
      );
    });
  };

  return {
    count: (pieces) => ask({ pieces }),
    prefix: (pieces, limit) => ask({ pieces, limit }),
    get running() {
      return calls.running;
    },
    stop: calls.stop,
  };
}
