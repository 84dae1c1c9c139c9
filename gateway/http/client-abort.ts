/**
 * An AbortSignal that fires when the client goes away before its response is finished, so the
 * upstream request is cancelled at once (no orphan generation left running on a local GPU).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

export function clientAbortSignal(request: FastifyRequest, reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  const onClose = () => {
    if (!reply.raw.writableFinished) controller.abort(new Error('client closed the connection'));
  };
  reply.raw.once('close', onClose);
  request.raw.once('aborted', onClose);
  return controller.signal;
}
