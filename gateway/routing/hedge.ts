/**
 * A half-open probe raced against its budget, so one slow probe does not hold its client: the
 * client moves on, and the probe decides the breaker when it ends.
 */
import { UpstreamError } from '../errors';

/** Drops an answer nobody will read (a hedged probe's late success): a stream is closed. */
export type Discard<T> = (value: T) => void;

/** The client's side of a probe that outlived its budget: it moves on; the probe settles the breaker later. */
export class ProbeStillRunning extends UpstreamError {}

/**
 * Races a half-open probe against its budget. A probe that answers in time is an ordinary attempt.
 * One that does not goes on in the background and settles the breaker when it ends (a late success
 * closes the circuit, its answer is dropped), while the client moves on at once.
 */
export async function hedged<T>(work: Promise<T>, budgetMs: number, settle: (error?: unknown) => void, discard: Discard<T> | undefined): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), budgetMs);
  });
  try {
    const first = await Promise.race([work, late]);
    if (first !== 'late') return first;
  } finally {
    clearTimeout(timer);
  }
  work.then(
    (value) => {
      settle();
      discard?.(value);
    },
    (error) => settle(error),
  );
  throw new ProbeStillRunning('timeout', `the half-open probe had not answered within ${budgetMs} ms; moved on while it finishes in the background`);
}
