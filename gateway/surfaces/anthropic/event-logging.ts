/**
 * Claude Code's own telemetry. With `ANTHROPIC_BASE_URL` set, it posts its batches of events (its
 * sessions, the tools it used, its requests' timings) to `/api/event_logging/batch` here, and later
 * versions to `/api/event_logging/v2/batch`. A 404 made it retry each batch up to eight times, log
 * "1P event logging: N events failed to export", and keep the batch on disk to send again at its
 * next start. A batch is taken and dropped unread. It is not stored, and it is not sent on: the
 * user pointed the tool at this machine.
 */
import type { FastifyInstance } from 'fastify';

/** A batch is at most 200 events of a few KiB. */
const BATCH_LIMIT = 8 * 1024 * 1024;

export const EVENT_LOGGING_PATHS = ['/api/event_logging/batch', '/api/event_logging/v2/batch'];

export async function claudeCodeEventLogging(app: FastifyInstance): Promise<void> {
  // Read to its end and never parsed, whatever its type or encoding: nothing in it is used.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BATCH_LIMIT }, (_request, _body, done) => done(null, undefined));
  for (const url of EVENT_LOGGING_PATHS) app.post(url, { config: { unlisted: true } }, (_request, reply) => reply.send({}));
}
