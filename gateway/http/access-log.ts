/**
 * A line per answered request when the log level is `info` or finer (`SWITCHYARD_LOG_LEVEL=info`, as a
 * server's journal wants it): method, path, status, time and the deployment that answered. Below
 * `info` no hook is added, so the request path pays nothing. The query is left out (a login link's
 * token is in one) and so are headers and bodies: the usage log keeps what a request was.
 */
import type { FastifyInstance } from 'fastify';

const FINE_LEVELS = new Set(['trace', 'debug', 'info']);
/** A path is cut to this in the log: a client may send one of kilobytes. */
const PATH_CHARS = 300;

export function addAccessLog(app: FastifyInstance): void {
  if (!FINE_LEVELS.has(app.log.level)) return;
  app.addHook('onResponse', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const deployment = reply.getHeader('x-switchyard-deployment');
    request.log.info(
      {
        method: request.method,
        path: path.length > PATH_CHARS ? `${path.slice(0, PATH_CHARS)}...` : path,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        ...(deployment === undefined || deployment === 'none' ? {} : { deployment: String(deployment) }),
      },
      'request',
    );
  });
}
