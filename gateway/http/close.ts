/**
 * Closing the server: no new connections, new requests on open ones get 503, and requests in flight
 * may finish within a grace period; connections close as they fall idle, and whatever is still
 * running when the grace ends is cut (a stream's client sees it end early; its usage row says so).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { GatewayError } from '../errors';

/** How often connections that finished their last response are closed while the server drains. */
const IDLE_SWEEP_MS = 50;

const closing = new WeakSet<FastifyInstance>();

/**
 * A request that arrives on an open connection while the server drains is refused in its own
 * surface's error shape (Fastify's own 503 body is in none of them), and its connection closed.
 */
export const drainPlugin = fp(
  async (app) => {
    app.addHook('onRequest', (_request, reply, done) => {
      if (!closing.has(app)) return done();
      reply.header('connection', 'close');
      done(new GatewayError('shutting_down', 'Switchyard is stopping; send the request again in a moment', { retryAfterSeconds: 1 }));
    });
  },
  { name: 'switchyard-drain' },
);

export async function closeServer(app: FastifyInstance, graceMs: number): Promise<void> {
  closing.add(app);
  const closed = app.close();
  const sweep = setInterval(() => app.server.closeIdleConnections(), IDLE_SWEEP_MS);
  const cut = setTimeout(() => app.server.closeAllConnections(), graceMs);
  try {
    await closed;
  } finally {
    clearInterval(sweep);
    clearTimeout(cut);
  }
}

/** Cuts every connection now: a second Ctrl-C while the server drains. */
export function cutConnections(app: FastifyInstance): void {
  app.server.closeAllConnections();
}
