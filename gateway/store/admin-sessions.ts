/**
 * Admin sessions. A login link (`/?token=...`) carries a single-use token; opening it sets an
 * HttpOnly SameSite=Strict session cookie. Both are kept as SHA-256 hashes in SQLite, so a link
 * printed by `switchyard login-link` (another process) works for the running gateway, and a session
 * outlives a restart. Expired ones are deleted with the store's other old rows (store/retention.ts):
 * every start prints a login link, and every desktop launch makes a session.
 */
import { createHash, randomBytes } from 'node:crypto';
import { writeTransaction, type Db } from './db';

const LOGIN_TOKEN_TTL_MS = 24 * 3_600_000;
export const SESSION_TTL_MS = 30 * 86_400_000;

export interface AdminSessions {
  /** A new single-use login token. */
  issueLoginToken(): string;
  /** Trades a login token for a session id, once; undefined when unknown, used or expired. */
  redeem(token: string): string | undefined;
  /** A session without a login link (the desktop app sets its cookie itself). */
  createSession(): string;
  valid(sessionId: string | undefined): boolean;
  /** Deletes the tokens and sessions expired by `at`. */
  prune(at: number): void;
}

const hash = (value: string) => createHash('sha256').update(value).digest('hex');

export function createAdminSessions(db: Db, now: () => number = Date.now): AdminSessions {
  const insertToken = db.prepare('INSERT INTO admin_tokens (hash, expires_at) VALUES (?, ?)');
  const useToken = db.prepare('UPDATE admin_tokens SET used_at = ? WHERE hash = ? AND used_at IS NULL AND expires_at > ?');
  const insertSession = db.prepare('INSERT INTO admin_sessions (hash, expires_at) VALUES (?, ?)');
  const findSession = db.prepare<[string, number], { hash: string }>('SELECT hash FROM admin_sessions WHERE hash = ? AND expires_at > ?');
  const expiredTokens = db.prepare<[number]>('DELETE FROM admin_tokens WHERE expires_at <= ?');
  const expiredSessions = db.prepare<[number]>('DELETE FROM admin_sessions WHERE expires_at <= ?');
  const createSession = () => {
    const id = randomBytes(32).toString('base64url');
    insertSession.run(hash(id), now() + SESSION_TTL_MS);
    return id;
  };
  return {
    issueLoginToken() {
      const token = randomBytes(24).toString('base64url');
      insertToken.run(hash(token), now() + LOGIN_TOKEN_TTL_MS);
      return token;
    },
    // One transaction: a link is used up only with the session it gives (a store locked out between the two kept neither).
    redeem: writeTransaction(db, (token: string) => (useToken.run(now(), hash(token), now()).changes === 1 ? createSession() : undefined)),
    createSession,
    valid: (sessionId) => (sessionId ? findSession.get(hash(sessionId), now()) !== undefined : false),
    prune(at) {
      expiredTokens.run(at);
      expiredSessions.run(at);
    },
  };
}
