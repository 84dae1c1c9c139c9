/**
 * The usage reader's thread (usage-reader.ts): the log's chart, session and name queries on a read-only
 * connection of its own. The thread that asks settles the inbox and brings the rollups up to date
 * on its connection first, so this one only reads, and sees every row committed before it was asked.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { createUsageQueries } from './usage-queries';
import { readWith, type ReaderAnswer, type ReaderAsk } from './usage-reader';
import type { WorkerReply } from '../worker-calls';

const queries = createUsageQueries(open((workerData as { database: string }).database), { settle: () => undefined, rollup: () => undefined });

parentPort?.on('message', (ask: ReaderAsk & { id: number }) => {
  let reply: WorkerReply<ReaderAnswer>;
  try {
    reply = { id: ask.id, result: readWith(queries, ask) };
  } catch (error) {
    reply = { id: ask.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(reply);
});

function open(file: string): Database.Database {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    // A chart's GROUP BY sorts in memory, as on the gateway's own connection, not in files outside the data dir.
    db.pragma('temp_store = MEMORY');
    return db;
  } catch (error) {
    // The driver's own error class reaches the other thread without its message; an Error keeps it.
    throw new Error(`cannot open ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
