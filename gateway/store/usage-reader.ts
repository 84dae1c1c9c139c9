/**
 * The usage log's heavy reads, off the event loop: the dashboard's charts, sessions, its filters'
 * names and its export are read in a worker thread, on a read-only connection of its own (usage-reader-worker.ts).
 * The heaviest chart (30 days by hour and deployment over a million rows) is about 70 ms of SQLite,
 * and on the event loop it held every request in flight that long each time the dashboard drew it
 * (the names of 90 days, which the Usage page asks for every 30 s, 45 ms). The writes a read
 * must see (the inbox settled, the rollups brought up to date) stay here, on the log's connection,
 * before the worker is asked. The worker starts on the first read and ends after a minute without one.
 * One that cannot start (or dies) leaves the reads on the log's own connection, said once.
 */
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { REBUILT, replacedSince } from '../build-replaced';
import { exportPage, type ExportFormat } from './usage-export';
import type { ExportCursor, RollupPoint, SessionSummary, UsageFilter, UsageNames, UsageQueries } from './usage-types';
import { workerCalls, type HeldCall } from '../worker-calls';

type Read = 'rollups' | 'sessions' | 'names';
type ExportAsk = { method: 'exportPage'; args: [filter: UsageFilter, format: ExportFormat, from?: ExportCursor] };
export type ReaderAsk = { [M in Read]: { method: M; args: Parameters<UsageQueries[M]> } }[Read] | ExportAsk;
/** A page of an export: its text, and where the next starts (none: it was the last). */
export type ExportPage = { text: string; next?: ExportCursor };
export type ReaderAnswer = RollupPoint[] | SessionSummary[] | UsageNames | ExportPage;

export interface UsageReader {
  rollups(...args: Parameters<UsageQueries['rollups']>): Promise<RollupPoint[]>;
  sessions(...args: Parameters<UsageQueries['sessions']>): Promise<SessionSummary[]>;
  names(...args: Parameters<UsageQueries['names']>): Promise<UsageNames>;
  /** The matching rows written before the call as CSV or JSON text, a page (500 rows) at a time, a turn of the event loop between pages. */
  export(filter: UsageFilter, format: ExportFormat): AsyncGenerator<string>;
  /** Whether a worker is running now. */
  readonly running: boolean;
  stop(): Promise<void>;
}

/** What the reader needs of the log: the writes before a read, and its own queries where no worker runs. */
export type ReadLog = Pick<UsageQueries, Read | 'exportBatch'> & { settle(): void; rollup(): void };

export interface UsageReaderOptions {
  /** A worker with no read to make for this long ends. */
  idleMs?: number;
  warn?: (message: string) => void;
}

/** `database`: the log's file, which the worker opens read-only. */
export function createUsageReader(log: ReadLog, database: string, options: UsageReaderOptions = {}): UsageReader {
  // An in-memory database has no file another connection could open.
  let unavailable = database === '' || database === ':memory:';
  const answerHere = (call: HeldCall<ReaderAsk, ReaderAnswer>) => {
    try {
      call.resolve(readWith(log, call.ask));
    } catch (error) {
      call.reject(error);
    }
  };
  const { source, data } = workerScript();
  // A rebuild since start: the worker would run the new build's code beside this one's.
  const rebuilt = replacedSince(data.entry as string);
  const calls = workerCalls<ReaderAsk, ReaderAnswer>({
    start: () => {
      if (rebuilt()) throw new Error(`${REBUILT}: restart it to read them in their thread again`);
      return new Worker(source, { eval: true, workerData: { ...data, database } });
    },
    idleMs: options.idleMs ?? 60_000,
    failed: (error, held) => {
      // One that cannot open the file or load the driver would fail the same way again.
      if (!unavailable) options.warn?.(`the usage charts are read on the event loop: their reader thread failed (${messageOf(error)})`);
      unavailable = true;
      for (const call of held) answerHere(call);
    },
    stopped: 'the usage reader stopped',
  });

  const read = (ask: ReaderAsk): Promise<ReaderAnswer> => {
    try {
      // The writes a read must see, on the log's own connection: the worker only reads. Charts and
      // names read the rollups; sessions and an export's first page read the rows (its later pages
      // cover the rows the first saw).
      if (ask.method === 'rollups' || ask.method === 'names') log.rollup();
      else if (ask.method === 'sessions' || ask.args[2] === undefined) log.settle();
    } catch (error) {
      return Promise.reject(error);
    }
    return unavailable ? new Promise((resolve, reject) => answerHere({ ask, resolve, reject })) : calls.call(ask);
  };

  return {
    rollups: (...args) => read({ method: 'rollups', args }) as Promise<RollupPoint[]>,
    sessions: (...args) => read({ method: 'sessions', args }) as Promise<SessionSummary[]>,
    names: (...args) => read({ method: 'names', args }) as Promise<UsageNames>,
    async *export(filter, format) {
      let from: ExportCursor | undefined;
      do {
        const page = (await read({ method: 'exportPage', args: [filter, format, from] })) as ExportPage;
        if (page.text !== '') yield page.text;
        from = page.next;
        // Read here (no worker), a page would follow a page without a turn between: to a reader as
        // fast as loopback, 200,000 rows held every other request for 3 s.
        if (from) await new Promise((resolve) => setImmediate(resolve));
      } while (from);
    },
    get running() {
      return calls.running;
    },
    stop: calls.stop,
  };
}

/** A read made with the log's queries: this thread's where no worker runs, the worker's own there. */
export function readWith(queries: Pick<UsageQueries, Read | 'exportBatch'>, ask: ReaderAsk): ReaderAnswer {
  switch (ask.method) {
    case 'rollups':
      return queries.rollups(...ask.args);
    case 'sessions':
      return queries.sessions(...ask.args);
    case 'names':
      return queries.names(...ask.args);
    case 'exportPage': {
      const [filter, format, from] = ask.args;
      const { rows, next } = queries.exportBatch(filter, from);
      return { text: exportPage(rows, format, { first: from === undefined, last: next === undefined }), next };
    }
  }
}

/**
 * The worker's code: the bundle's `usage-reader` entry beside its chunks (the built CLI, the desktop
 * app), or, run from source (the tests), the TypeScript file through tsx. Loaded by `require` from
 * an evaluated script, not given to the Worker as a path: Electron's require reads inside app.asar.
 */
function workerScript(): { source: string; data: Record<string, string> } {
  const file = fileURLToPath(import.meta.url);
  const dir = dirname(file);
  const load = "const { workerData } = require('node:worker_threads');";
  if (file.endsWith('.ts')) {
    return { source: `${load} require(workerData.tsx).require(workerData.entry, workerData.entry);`, data: { tsx: createRequire(import.meta.url).resolve('tsx/cjs/api'), entry: join(dir, 'usage-reader-worker.ts') } };
  }
  return { source: `${load} require(workerData.entry);`, data: { entry: join(basename(dir) === 'chunks' ? dirname(dir) : dir, 'usage-reader.cjs') } };
}

/** A worker's error arrives as what it threw, cloned (an Error keeps its message; other things may not). */
function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
