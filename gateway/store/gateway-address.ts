/**
 * Where the gateway on this data dir listens, so the commands that print or write its URL
 * (`login-link`, `connect`) find a gateway started on another port (--port, SWITCHYARD_PORT, or
 * one the OS chose) without being told again. One row: written when the gateway listens, removed
 * when it stops; a row a killed gateway left behind is ignored once its process is gone.
 */
import { DEFAULT_PORT } from '../paths';
import type { Db } from './db';

export interface GatewayAddress {
  /** Notes where this process listens, unless another live gateway on this data dir already has. */
  record(url: string): void;
  forget(): void;
  /** The URL of the gateway running on this data dir, if one is. */
  running(): string | undefined;
}

export function createGatewayAddress(db: Db, pid = process.pid): GatewayAddress {
  const upsert = db.prepare('INSERT OR REPLACE INTO gateway_address (id, url, pid, started_at) VALUES (1, ?, ?, ?)');
  const remove = db.prepare('DELETE FROM gateway_address WHERE pid = ?');
  const select = db.prepare<[], { url: string; pid: number }>('SELECT url, pid FROM gateway_address WHERE id = 1');
  return {
    record(url) {
      // The first of two gateways on one data dir keeps the row: a second one says so as it starts.
      const row = select.get();
      if (row && row.pid !== pid && isAlive(row.pid)) return;
      upsert.run(url, pid, Date.now());
    },
    forget: () => void remove.run(pid),
    running() {
      const row = select.get();
      return row && isAlive(row.pid) ? row.url : undefined;
    },
  };
}

/** The URL a command prints or writes: its --port, else the gateway running on this data dir, else SWITCHYARD_PORT or the default port. */
export function gatewayUrl(db: Db, port: string | undefined, env: Record<string, string | undefined>): string {
  if (port !== undefined) return `http://127.0.0.1:${port}`;
  return createGatewayAddress(db).running() ?? `http://127.0.0.1:${env.SWITCHYARD_PORT ?? DEFAULT_PORT}`;
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
