/**
 * `switchyard backup FILE`: the data dir's whole database (config and its history, client keys,
 * usage, kept prompts, learned quirks) copied to one file, safely while a gateway runs on it:
 * `VACUUM INTO` reads one consistent snapshot (WAL readers never block the gateway's writes, and
 * its commits never restart the copy) and writes a compacted file. The copy is as private as the
 * data dir (0600): it holds what the database holds.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Output } from '../cli-output';
import { DB_FILE, openDatabase } from './db';
import { writeNewFile } from './new-file';

/** Why SQLite could not write the copy (VACUUM INTO writes only the target, so these are the target's, not the data dir's). */
const WRITE_PROBLEMS: Record<string, string> = {
  SQLITE_CANTOPEN: 'the file cannot be created there (permission denied?)',
  SQLITE_READONLY: 'the file system is read-only',
  SQLITE_FULL: 'the disk is full',
};

export function backupCommand(file: string | undefined, dataDir: string, io: Output): number {
  if (!file) {
    io.err('switchyard backup: name the file to write (it must not exist yet)\n');
    return 2;
  }
  const target = resolve(file);
  const exists = `${target} exists already: name a new file (a backup never overwrites one)\n`;
  // Asked first only to answer at once; writeNewFile is what keeps the promise against a file made meanwhile.
  if (existsSync(target)) {
    io.err(exists);
    return 1;
  }
  const folder = dirname(target);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    io.err(`Cannot write the backup to ${target}: ${existsSync(folder) ? `${folder} is a file, not a folder` : `there is no folder ${folder}`}\n`);
    return 1;
  }
  const db = openDatabase(dataDir);
  // The file SQLite creates takes this process's umask: none but its owner may read it.
  const umask = process.umask(0o077);
  try {
    // A copy cut short (a damaged page met on the way, the disk full) is no backup: it stays the temporary file, which goes.
    if (writeNewFile(target, (temporary) => db.prepare('VACUUM INTO ?').run(temporary)) === 'taken') {
      io.err(exists);
      return 1;
    }
  } catch (error) {
    const code = String((error as { code?: unknown }).code);
    const problem = WRITE_PROBLEMS[code];
    if (!problem) throw error;
    io.err(`Cannot write the backup to ${target}: ${problem}. Nothing was written.\n`);
    return 1;
  } finally {
    process.umask(umask);
    db.close();
  }
  const mib = statSync(target).size / 2 ** 20;
  io.out(`Backed up ${dataDir} to ${target} (${mib.toFixed(1)} MiB). To restore it: stop the gateway, then copy it to ${resolve(dataDir, DB_FILE)} and remove any ${DB_FILE}-wal and ${DB_FILE}-shm beside it.\n`);
  return 0;
}
