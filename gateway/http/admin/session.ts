/**
 * The admin session: `/?token=...` trades a single-use login token for an HttpOnly SameSite=Strict
 * cookie (as Jupyter's start-up link does), and every `/admin/api/` request needs that cookie.
 * Host and Origin are already checked for every request by the local guard.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../../errors';
import { SESSION_TTL_MS } from '../../store/admin-sessions';

/** Per port: two gateways on one machine share cookies by host, not by port. */
export function sessionCookieName(port: number): string {
  return `switchyard_session_${port}`;
}

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

export function setSessionCookie(reply: FastifyReply, port: number, sessionId: string): void {
  reply.header('set-cookie', `${sessionCookieName(port)}=${encodeURIComponent(sessionId)}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${Math.floor(SESSION_TTL_MS / 1000)}`);
}

export function registerAdminSession(app: FastifyInstance, port: () => number): void {
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/admin/api/')) return;
    if (request.url === '/admin/api/session' && request.method === 'GET') return;
    if (!app.switchyard.sessions.valid(readCookie(request, sessionCookieName(port())))) {
      throw new GatewayError('admin_session_required', 'Open the login link printed when Switchyard started (or run "switchyard login-link") to use the admin API');
    }
  });

  app.get('/admin/api/session', async (request) => ({
    authenticated: app.switchyard.sessions.valid(readCookie(request, sessionCookieName(port()))),
    version: app.switchyard.version,
  }));
}

/** `GET /?token=...`: sets the session cookie and redirects to the clean URL. */
export function redeemLoginLink(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, port: number): boolean {
  const token = (request.query as { token?: unknown }).token;
  if (typeof token !== 'string' || token === '') return false;
  const session = app.switchyard.sessions.redeem(token);
  if (session) setSessionCookie(reply, port, session);
  void reply.redirect(session ? '/' : '/?login=expired', 303);
  return true;
}
