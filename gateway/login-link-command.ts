/**
 * `switchyard login-link`: issues a one-time dashboard link. A link is a row in the data dir's
 * database, so it signs in only to the gateway serving that data dir: when none serves it now, or
 * the one that does listens elsewhere than the link says, the command says so beside the link
 * (a gateway started with --data-dir refuses, as expired, a link issued on the default one).
 */
import type { Output } from './cli-output';
import { createAdminSessions } from './store/admin-sessions';
import { openDatabase } from './store/db';
import { createGatewayAddress, gatewayOf } from './store/gateway-address';

export function loginLinkCommand(dataDir: string, port: string | undefined, env: Record<string, string | undefined>, io: Output): number {
  const db = openDatabase(dataDir);
  try {
    // The URL first: a port it cannot have issues no token.
    const url = gatewayOf(db, port, env).url;
    io.out(`${url}/?token=${createAdminSessions(db).issueLoginToken()}\n`);
    const running = createGatewayAddress(db).running();
    if (!running) {
      io.err(`Note: no gateway is serving ${dataDir} now. The link works, within 24 h, for one started on it; a gateway started with another --data-dir takes links issued with its own.\n`);
    } else if (running.url !== url) {
      io.err(`Note: the gateway serving ${dataDir} listens at ${running.url}; the link names ${url} (a tunnel or a forwarded port?).\n`);
    }
    return 0;
  } finally {
    db.close();
  }
}
