/**
 * `switchyard keys create|list|revoke`: client keys from the command line. A running gateway on the
 * data dir honours a key created or revoked here within 2 s.
 */
import { localTime, type Output } from './cli-output';
import { unknownModels } from './routing/aliases';
import { didYouMean } from './config/nearest';
import { ALLOWED_ROUTES_MAX, ClientKeyError, createClientKeyStore, RATE_LIMIT_MAX, ROUTE_NAME_MAX } from './store/client-keys';
import { createConfigStore } from './store/config-store';
import { openDatabase } from './store/db';

export function keysCommand(positionals: string[], values: { rpm?: string; routes?: string }, dataDir: string, io: Output): number {
  const [action, name] = positionals;
  const db = openDatabase(dataDir);
  try {
    const keys = createClientKeyStore(db);
    if (action === 'list') {
      const all = keys.list();
      // On stderr: stdout stays a list a script can read, empty or not.
      if (all.length === 0) io.err('No client keys yet: make one with "switchyard keys create NAME".\n');
      const config = createConfigStore(db).current();
      for (const key of all) {
        io.out(`${key.name}\t${key.prefix}...\t${key.revokedAt ? `revoked ${localTime(new Date(key.revokedAt))}` : 'active'}\t${key.rateLimitPerMinute ? `${key.rateLimitPerMinute}/min` : 'no limit'}\t${key.allowedRoutes?.join(',') ?? 'all routes'}\n`);
        // A route an import or restore dropped: the key fails closed for it, so say so (on stderr, as above).
        const gone = config && key.allowedRoutes && !key.revokedAt ? unknownModels(config, key.allowedRoutes) : [];
        if (gone.length > 0) io.err(`Key "${key.name}" names ${gone.map((n) => `"${n}"`).join(', ')}, which the config no longer has: requests for it with this key are refused.\n`);
      }
      return 0;
    }
    if (action === 'create' && name) {
      // Digits only: Number() would also take "0x10", " 5" and "1e3".
      const rpm = values.rpm === undefined ? null : /^[0-9]{1,7}$/.test(values.rpm) ? Number(values.rpm) : NaN;
      if (rpm !== null && !(rpm >= 1 && rpm <= RATE_LIMIT_MAX)) {
        io.err(`--rpm "${values.rpm}" is not a whole number of requests per minute from 1 to ${RATE_LIMIT_MAX.toLocaleString('en-US')}\n`);
        return 2;
      }
      const allowedRoutes = values.routes ? values.routes.split(',').map((r) => r.trim()).filter(Boolean) : null;
      if (allowedRoutes && (allowedRoutes.length > ALLOWED_ROUTES_MAX || allowedRoutes.some((r) => r.length > ROUTE_NAME_MAX))) {
        io.err(`--routes takes at most ${ALLOWED_ROUTES_MAX} names of at most ${ROUTE_NAME_MAX} characters each\n`);
        return 2;
      }
      const config = createConfigStore(db).current();
      const unknown = config && allowedRoutes ? unknownModels(config, allowedRoutes) : [];
      if (unknown.length > 0) {
        const known = config ? [...config.routes.map((r) => r.name), ...config.deployments.map((d) => d.name), ...Object.keys(config.aliases ?? {})] : [];
        io.err(`--routes: no route, deployment or alias is named ${unknown.map((n) => `"${n}"`).join(', ')}${didYouMean(unknown[0] as string, known)}\n`);
        return 1;
      }
      const { key } = keys.create(name, { rateLimitPerMinute: rpm, allowedRoutes });
      io.out(`${key}\n`);
      if (!config && allowedRoutes) io.err(`No config is stored in ${dataDir} yet, so --routes ${allowedRoutes.join(',')} was not checked: a name the config lacks once "switchyard serve" writes it is refused for this key ("switchyard keys list" says which).\n`);
      io.err(`Created client key "${name}". It is shown only now: store it in your tool's settings.\n`);
      return 0;
    }
    if (action === 'revoke' && name) {
      if (!keys.revoke(name)) {
        io.err(`No active key is named "${name}"\n`);
        return 1;
      }
      io.out(`Revoked "${name}"\n`);
      return 0;
    }
    io.err('Usage: switchyard keys create NAME [--rpm N] [--routes a,b] | keys list | keys revoke NAME\n');
    return 2;
  } catch (error) {
    if (error instanceof ClientKeyError) {
      io.err(`${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    db.close();
  }
}
