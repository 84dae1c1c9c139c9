/**
 * What Claude Code sends its `ANTHROPIC_BASE_URL` besides the Messages API, answered so that none
 * of it is a 404 in the access log or in Claude Code's own:
 * - `HEAD /api/hello` at each start (2.1 here), to open a connection early; it reads no answer.
 * - Its telemetry, batches of events (its sessions, the tools it used, its requests' timings):
 *   releases of late 2025 and early 2026 post them to `/api/event_logging/batch` here, and a 404
 *   made them retry each batch up to eight times, log "1P event logging: N events failed to export",
 *   and keep the batch on disk to send again at the next start (`/v2/batch` is the later path). A
 *   batch is taken and dropped unread. It is not stored, and it is not sent on: the user pointed
 *   the tool at this machine.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requiredKey, type ClientKeysOptions } from '../../http/client-keys';

/** A batch is at most 200 events of a few KiB. */
const BATCH_LIMIT = 8 * 1024 * 1024;

const EVENT_LOGGING_PATHS = ['/api/event_logging/batch', '/api/event_logging/v2/batch'];

export interface ClaudeCodeExtrasOptions {
  keys: Pick<ClientKeysOptions, 'keys' | 'required'>;
}

export async function claudeCodeExtras(app: FastifyInstance, options: ClaudeCodeExtrasOptions): Promise<void> {
  // Where keys are required, a batch comes with one (Claude Code sends its token) or is refused
  // before it is read; it spends nothing of the key's rate limit, which is for its model requests.
  const keyed = async (request: FastifyRequest) => void requiredKey(request, options.keys);
  // Read to its end and never parsed, whatever its type or encoding: nothing in it is used.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BATCH_LIMIT }, (_request, _body, done) => done(null, undefined));
  for (const url of EVENT_LOGGING_PATHS) app.post(url, { config: { unlisted: true }, onRequest: keyed }, (_request, reply) => reply.send({}));
  // Sent without credentials, and answered with nothing. GET answers HEAD too (Fastify's own HEAD route for it).
  app.get('/api/hello', { config: { unlisted: true } }, (_request, reply) => reply.send({}));
}
