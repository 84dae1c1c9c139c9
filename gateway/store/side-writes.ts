/**
 * Writes that are a side effect of serving (a usage row, a health sample, a breaker transition, a
 * cached answer, the hourly prune) must never fail what they record, nor stop the gateway: a full
 * disk once made a health probe's sample an unhandled rejection that ended the process. Each such
 * write goes through here; a failure is swallowed, the first of a run is logged whole and the rest
 * counted, and /health says "store: error" with the reason until a write succeeds again. While
 * another program holds the write lock, they are dropped a second at a time, not waited for.
 */
import { isBusy, LOCK_HELD, lockBackoff } from './busy';
import type { HealthHistory } from './health-history';
import type { ResponseCache } from './response-cache';
import type { ResponsesStore } from './responses-store';
import type { QuirkRows } from '../providers/types';

export interface SideWrites {
  /** Runs a write of a kind (`what`); on failure reports it and returns undefined. */
  attempt<T>(what: string, write: () => T): T | undefined;
  failed(what: string, error: unknown): void;
  /** A write of this kind went through: it works again (others may still fail). */
  succeeded(what: string): void;
  /** What is failing, for /health; undefined while every kind of write goes through. */
  problem(): string | undefined;
}

/** A failure no write of its kind has followed is reported this long after its last one. */
export const REPORTED_FOR_MS = 10 * 60_000;

/**
 * Failures are kept per kind of write: a usage row that finds room in a page its table freed says
 * nothing about the cached answer that needed a new one. A kind written rarely (a breaker
 * transition) would otherwise stay failed long after the disk has room, so a failure is reported
 * for REPORTED_FOR_MS after its last, or until a write of its kind goes through.
 */
export function createSideWrites(log: (error: unknown, message: string) => void, now: () => number): SideWrites {
  const failing = new Map<string, { message: string; since: number; last: number; count: number }>();
  // A cached answer is written on every request: while another program holds the lock, each would wait for it.
  const locked = lockBackoff(now);
  const writes: SideWrites = {
    attempt(what, write) {
      if (locked.lockedOut()) return void writes.failed(what, LOCK_HELD);
      try {
        const result = write();
        if (failing.size > 0) writes.succeeded(what);
        return result;
      } catch (error) {
        locked.saw(error);
        writes.failed(what, error);
        return undefined;
      }
    },
    failed(what, error) {
      let run = failing.get(what);
      if (!run) {
        const message = isBusy(error) ? LOCK_HELD : error instanceof Error ? error.message : String(error);
        failing.set(what, (run = { message, since: now(), last: now(), count: 0 }));
        log(error, `${what} could not be written; later failures are counted until one succeeds`);
      }
      run.count++;
      run.last = now();
    },
    succeeded(what) {
      const run = failing.get(what);
      if (!run) return;
      failing.delete(what);
      log(undefined, `${what} was written again, after ${run.count} failed since ${new Date(run.since).toISOString()}`);
    },
    problem() {
      for (const [what, run] of failing) if (now() - run.last > REPORTED_FOR_MS) failing.delete(what);
      if (failing.size === 0) return undefined;
      return [...failing].map(([what, run]) => `${what}: ${run.count} failed since ${new Date(run.since).toISOString()} (${run.message})`).join('; ');
    },
  };
  return writes;
}

/** Health samples and breaker transitions that a full disk drops instead of throwing. */
export function guardedHistory(history: HealthHistory, writes: SideWrites): HealthHistory {
  return {
    ...history,
    addProbe: (sample) => void writes.attempt('a health sample', () => history.addProbe(sample)),
    addTransition: (transition) => void writes.attempt('a breaker transition', () => history.addTransition(transition)),
    prune: (before) => void writes.attempt('the health history prune', () => history.prune(before)),
  };
}

/** The cache as requests use it: a lookup that cannot touch the store is a miss, an answer it cannot keep is not kept. */
export function guardedCache(cache: ResponseCache, writes: SideWrites): ResponseCache {
  return {
    ...cache,
    get(key) {
      // A lookup that went through proves nothing about writes (most hits write nothing): only its failure counts.
      try {
        return cache.get(key);
      } catch (error) {
        writes.failed('a cache lookup', error);
        return undefined;
      }
    },
    put: (key, record, ttlMs, maxBytes) => void writes.attempt('a cached answer', () => cache.put(key, record, ttlMs, maxBytes)),
  };
}

/** Kept Responses answers: one that cannot be kept is still the client's answer (its save never rejects), and later turns find it unknown. */
export function guardedResponses(responses: ResponsesStore, writes: SideWrites): ResponsesStore {
  return {
    ...responses,
    save: (entry, at) =>
      responses.save(entry, at).then(
        () => writes.succeeded('a kept response'),
        (error: unknown) => writes.failed('a kept response', error),
      ),
  };
}

/** Learned quirks: one that cannot be kept is learned again after a restart, at one refusal; one that cannot be read likewise. */
export function guardedQuirks(quirks: QuirkRows, writes: SideWrites): QuirkRows {
  const read = <T>(what: () => T, none: T): T => {
    try {
      return what();
    } catch (error) {
      writes.failed('a learned quirk lookup', error);
      return none;
    }
  };
  return {
    recall: (server, learner) => read(() => quirks.recall(server, learner), []),
    list: (server) => read(() => quirks.list(server), []),
    note: (server, learner, model, value) => void writes.attempt('a learned quirk', () => quirks.note(server, learner, model, value)),
    forget: (server) => void writes.attempt('a learned quirk', () => quirks.forget(server)),
  };
}
