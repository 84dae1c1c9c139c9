/**
 * Client keys: named keys for tools, so usage is attributed and, when required, only known tools
 * get in. Keys are shown once at creation and stored as SHA-256 hashes (they are 190-bit random
 * strings, so a fast hash is enough; no salt or KDF is needed for secrets nobody chose).
 */
import { hash as digest, randomBytes } from 'node:crypto';
import type { Db } from './db';
import { KEY_NAME_PATTERN, patternWords } from '../config/patterns';

/** A key's rate limit, in requests a minute, from 1 to this: the admin API and the CLI take the same. */
export const RATE_LIMIT_MAX = 1_000_000;
/** The most names a key's route list holds, and the longest name: the admin API and the CLI take the same. */
export const ALLOWED_ROUTES_MAX = 256;
export const ROUTE_NAME_MAX = 256;

export interface ClientKey {
  name: string;
  prefix: string;
  createdAt: number;
  revokedAt: number | null;
  rateLimitPerMinute: number | null;
  allowedRoutes: string[] | null;
}

export interface ClientKeyStore {
  create(name: string, options?: { rateLimitPerMinute?: number | null; allowedRoutes?: string[] | null }): { key: string; record: ClientKey };
  list(): ClientKey[];
  revoke(name: string): boolean;
  /** The live key a token belongs to, if any. */
  verify(token: string): ClientKey | undefined;
  /** Forgets what it read, for keys created or revoked by another process (the CLI). */
  reload(): void;
}

export class ClientKeyError extends Error {
  /** `taken`: the name is another key's (409 on the admin API). */
  constructor(
    message: string,
    readonly taken = false,
  ) {
    super(message);
  }
}

interface Row {
  name: string;
  hash: string;
  prefix: string;
  created_at: number;
  revoked_at: number | null;
  rate_limit_per_minute: number | null;
  allowed_routes: string | null;
}

const KEY_NAME = new RegExp(KEY_NAME_PATTERN);
const hash = (token: string) => digest('sha256', token, 'hex');

/** Tokens whose verdict is remembered; past this many the memory starts over. */
const VERIFIED_MAX = 1024;

export function createClientKeyStore(db: Db, now: () => number = Date.now): ClientKeyStore {
  const insert = db.prepare('INSERT INTO client_keys (name, hash, prefix, created_at, revoked_at, rate_limit_per_minute, allowed_routes) VALUES (?, ?, ?, ?, NULL, ?, ?)');
  const all = db.prepare<[], Row>('SELECT * FROM client_keys ORDER BY created_at');
  const revoke = db.prepare('UPDATE client_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL');
  let byHash: Map<string, ClientKey> | undefined;
  // Every request from an SDK carries a token, and a SHA-256 through OpenSSL costs 5-9 us of CPU
  // on this machine: each token's verdict is kept until the keys change.
  const verified = new Map<string, ClientKey | null>();
  const live = () => {
    byHash ??= new Map(all.all().filter((r) => r.revoked_at === null).map((r) => [r.hash, fromRow(r)]));
    return byHash;
  };
  const reload = () => {
    byHash = undefined;
    verified.clear();
  };
  return {
    create(name, options = {}) {
      if (!KEY_NAME.test(name)) throw new ClientKeyError(`"${name}" is not ${patternWords(KEY_NAME_PATTERN)}`);
      const same = all.all().find((r) => r.name === name);
      // A revoked key keeps its name: the usage log's rows name it, and a new key under it would be counted as the old.
      if (same) throw new ClientKeyError(`a key named "${name}" exists already${same.revoked_at === null ? '' : ' (revoked: a revoked key keeps its name, so its usage stays its own): choose another name'}`, true);
      const key = `sy-${randomBytes(24).toString('base64url')}`;
      insert.run(name, hash(key), key.slice(0, 7), now(), options.rateLimitPerMinute ?? null, options.allowedRoutes ? JSON.stringify(options.allowedRoutes) : null);
      reload();
      return { key, record: fromRow(all.all().find((r) => r.name === name) as Row) };
    },
    list: () => all.all().map(fromRow),
    revoke(name) {
      const changed = revoke.run(now(), name).changes > 0;
      reload();
      return changed;
    },
    verify(token) {
      let key = verified.get(token);
      if (key === undefined) {
        key = live().get(hash(token)) ?? null;
        if (verified.size >= VERIFIED_MAX) verified.clear();
        verified.set(token, key);
      }
      return key ?? undefined;
    },
    reload,
  };
}

/**
 * Keys limited to a route or deployment a config change renamed (old name to new) keep it under its
 * new name; called as the revision is saved (store/config-store.ts), in its transaction.
 */
export function keyLimitsFollowing(db: Db): (renamed: ReadonlyMap<string, string>) => void {
  const limited = db.prepare<[], Pick<Row, 'name' | 'allowed_routes'>>('SELECT name, allowed_routes FROM client_keys WHERE allowed_routes IS NOT NULL');
  const setRoutes = db.prepare<[string, string]>('UPDATE client_keys SET allowed_routes = ? WHERE name = ?');
  return (renamed) => {
    if (renamed.size === 0) return;
    for (const row of limited.all()) {
      const routes = JSON.parse(row.allowed_routes as string) as string[];
      if (routes.some((r) => renamed.has(r))) setRoutes.run(JSON.stringify(routes.map((r) => renamed.get(r) ?? r)), row.name);
    }
  };
}

function fromRow(r: Row): ClientKey {
  return {
    name: r.name,
    prefix: r.prefix,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    rateLimitPerMinute: r.rate_limit_per_minute,
    allowedRoutes: r.allowed_routes ? (JSON.parse(r.allowed_routes) as string[]) : null,
  };
}
