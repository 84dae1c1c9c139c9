/** What the CLI says, instead of a stack trace, when the data dir or the address it was given cannot be used. */
import { BUSY_TIMEOUT_MS, DB_FILE } from './store/db';

const FILE_PROBLEMS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EISDIR: 'a directory is where a file should be',
  SQLITE_CANTOPEN: 'the database file cannot be opened',
  SQLITE_READONLY: 'the database is read-only',
  SQLITE_FULL: 'the disk is full',
  SQLITE_NOTADB: `its ${DB_FILE} is not a Switchyard database (damaged, or another file by that name)`,
  SQLITE_CORRUPT: `its ${DB_FILE} is damaged (restore a backup, or move it aside to start afresh)`,
};

export function dataDirProblem(error: unknown, dataDir: string): string | undefined {
  const { code, path } = error as { code?: unknown; path?: unknown };
  if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) {
    return `The database in ${dataDir} is busy: another process has held it for more than ${BUSY_TIMEOUT_MS / 1000} seconds (a long command, or a program with ${DB_FILE} open). Try again once it is done.`;
  }
  const reason = typeof code === 'string' ? FILE_PROBLEMS[code] : undefined;
  if (!reason) return undefined;
  return `Cannot use the data dir ${dataDir}: ${reason}${typeof path === 'string' && path !== dataDir ? ` (${path})` : ''}. Choose another with --data-dir or SWITCHYARD_HOME.`;
}

export function listenProblem(error: unknown, host: string, port: number): string | undefined {
  const code = (error as { code?: unknown }).code;
  if (code === 'EADDRINUSE') return `Port ${port} on ${host} is already in use (another Switchyard, or another server). Start with --port N or SWITCHYARD_PORT=N.`;
  const why = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'no such host name' : code === 'EADDRNOTAVAIL' ? "that address is not one of this machine's" : code === 'EACCES' ? `port ${port} needs privileges this user lacks` : undefined;
  return why ? `Cannot listen on ${host}:${port}: ${why}. Use --host 127.0.0.1 (the default) or an address of this machine, and --port N.` : undefined;
}
