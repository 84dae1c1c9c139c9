/**
 * Where the gateway on this data dir listens, so the commands that print or write its URL
 * (`login-link`, `connect`) find a gateway started on another port (--port, SWITCHYARD_PORT, or
 * one the OS chose) without being told again. One row: written when the gateway listens, removed
 * when it stops; a row a killed gateway left behind is ignored once its process is gone.
 */
import { DEFAULT_PORT } from '../paths';
import { writeWhenFree } from './busy';
import type { Db } from './db';

/** Where a gateway listens: the URL tools on this machine use, and whether it is reachable beyond loopback. */
export interface Listening {
  url: string;
  exposed: boolean;
}

export interface GatewayAddress {
  /**
   * Notes where this process listens, unless another live gateway on this data dir already has:
   * while another program holds the write lock, once it is free; `failed` is told anything else.
   */
  record(listening: Listening, failed: (error: unknown) => void): void;
  /** Removes the row; one that cannot be (still locked out, a full disk) is ignored once this process is gone. */
  forget(): void;
  /** The gateway serving this data dir, if one is alive: where it listens, and its process id. */
  running(): (Listening & { pid: number }) | undefined;
}

export function createGatewayAddress(db: Db, pid = process.pid): GatewayAddress {
  const upsert = db.prepare('INSERT OR REPLACE INTO gateway_address (id, url, pid, started_at, exposed) VALUES (1, ?, ?, ?, ?)');
  const remove = db.prepare('DELETE FROM gateway_address WHERE pid = ?');
  const select = db.prepare<[], { url: string; pid: number; exposed: number }>('SELECT url, pid, exposed FROM gateway_address WHERE id = 1');
  return {
    record({ url, exposed }, failed) {
      writeWhenFree(() => {
        // Stopped before the lock was free: nothing to note any more.
        if (!db.open) return;
        // The first of two gateways on one data dir keeps the row: a second one says so as it starts.
        const row = select.get();
        if (row && row.pid !== pid && isAlive(row.pid)) return;
        upsert.run(url, pid, Date.now(), exposed ? 1 : 0);
      }, failed);
    },
    forget() {
      try {
        remove.run(pid);
      } catch {
        // Said above: a stopping gateway closes all the same.
      }
    },
    running() {
      const row = select.get();
      return row && isAlive(row.pid) ? { url: row.url, exposed: row.exposed === 1, pid: row.pid } : undefined;
    },
  };
}

/**
 * The gateway a command prints or writes the URL of: the one running on this data dir, else one
 * assumed on --port, SWITCHYARD_PORT or the default port (on loopback). --port wins for the URL.
 */
export function gatewayOf(db: Db, port: string | undefined, env: Record<string, string | undefined>): Listening {
  const running = createGatewayAddress(db).running();
  if (port !== undefined) return { url: loopbackUrl(port, '--port'), exposed: running?.exposed ?? false };
  if (running) return { url: running.url, exposed: running.exposed };
  return { url: env.SWITCHYARD_PORT === undefined ? loopbackUrl(String(DEFAULT_PORT), '') : loopbackUrl(env.SWITCHYARD_PORT, 'SWITCHYARD_PORT'), exposed: false };
}

/** A port that cannot be in a URL a tool will call: not a number, or 0 (which `serve` takes as "any free port"). */
export class UnusablePortError extends Error {}

function loopbackUrl(port: string, from: string): string {
  const n = Number(port);
  if (!/^[0-9]{1,5}$/.test(port) || n < 1 || n > 65535) {
    throw new UnusablePortError(`${from} "${port}" cannot be in a URL: give the port the gateway listens on, 1 to 65535 ("switchyard serve" prints it)`);
  }
  return `http://127.0.0.1:${n}`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but another user's (the row came from a data dir this user can read).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
