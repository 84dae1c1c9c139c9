/**
 * The admin session: `/?token=...` trades a single-use login token for an HttpOnly SameSite=Strict
 * cookie (as Jupyter's start-up link does), and every admin route needs that cookie. The check is a
 * hook of the admin plugin itself, so it runs for exactly the routes that plugin declared, however
 * the client spelled the path (`/%61dmin/api/...` matches the same route and meets the same hook).
 * Host and Origin are checked for every request by the root's local guard.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../../errors';
import { SESSION_TTL_MS, type AdminSessions } from '../../store/admin-sessions';
import { isBusy } from '../../store/busy';
import { SessionSchema } from './schemas';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** An admin route that answers without a session (only the session check itself). */
    public?: boolean;
  }
}

/** Per port: two gateways on one machine share cookies by host, not by port. */
export function sessionCookieName(port: number): string {
  return `switchyard_session_${port}`;
}

function readCookie(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(value.join('='));
    } catch {
      // A malformed cookie is no session.
      return undefined;
    }
  }
  return undefined;
}

function setSessionCookie(reply: FastifyReply, port: number, sessionId: string): void {
  reply.header('set-cookie', `${sessionCookieName(port)}=${encodeURIComponent(sessionId)}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${Math.floor(SESSION_TTL_MS / 1000)}`);
}

export interface SessionOptions {
  sessions: AdminSessions;
  port: () => number;
  version: string;
  loginLink: LoginLinkHint;
}

/**
 * What `switchyard login-link` must be told to issue a link this gateway takes: a link is a row in
 * the data dir's database, so one issued on another data dir (the default, when the gateway was
 * started with --data-dir, or the desktop app's) is refused as expired. A gateway open to the
 * network names no path to a visitor who has not signed in.
 */
export interface LoginLinkHint {
  /** `--data-dir`'s argument, quoted for the shell; null for the default data dir or when hidden. */
  dataDir: string | null;
  /** The gateway runs on another data dir than the default, which it does not show. */
  hiddenDataDir: boolean;
}

/** `argument`: the data dir as one word of a command line. */
export function loginLinkHint(data: { argument: string; isDefault: boolean }, exposed: boolean): LoginLinkHint {
  if (data.isDefault) return { dataDir: null, hiddenDataDir: false };
  if (exposed) return { dataDir: null, hiddenDataDir: true };
  return { dataDir: data.argument, hiddenDataDir: false };
}

/** Registers the session requirement on the admin plugin, and `GET /session` (the one public admin route). */
export function registerSession(app: FastifyInstance, { sessions, port, version, loginLink }: SessionOptions): void {
  const authenticated = (request: FastifyRequest) => sessions.valid(readCookie(request, sessionCookieName(port())));
  const command = `switchyard login-link${loginLink.dataDir === null ? '' : ` --data-dir ${loginLink.dataDir}`}`;
  const required = `Open the login link printed when Switchyard started (or run "${command}"${loginLink.hiddenDataDir ? ' with the data dir it was started on' : ''}) to use the admin API`;
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.public === true) return;
    if (!authenticated(request)) throw new GatewayError('admin_session_required', required);
  });

  app.get('/session', { config: { public: true }, schema: { response: { 200: SessionSchema } } }, async (request) => ({ authenticated: authenticated(request), version, loginLink }));
}

/** `GET /?token=...`: sets the session cookie and redirects to the clean URL. */
export function redeemLoginLink(sessions: AdminSessions, request: FastifyRequest, reply: FastifyReply, port: number): boolean {
  const token = (request.query as { token?: unknown }).token;
  if (typeof token !== 'string' || token === '') return false;
  let session: string | undefined;
  try {
    session = sessions.redeem(token);
  } catch (error) {
    // Another program holding the write lock: the link is not used, and works once it is done.
    if (!isBusy(error)) throw error;
    void reply.redirect('/?login=busy', 303);
    return true;
  }
  if (session) setSessionCookie(reply, port, session);
  void reply.redirect(session ? '/' : '/?login=expired', 303);
  return true;
}
