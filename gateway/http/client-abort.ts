/**
 * A signal that fires when the client goes away before its response is finished, so the upstream
 * request is cancelled at once (no orphan generation left running on a local GPU). The response's
 * 'close' comes both when it finished and when the connection dropped first.
 */
import type { FastifyReply } from 'fastify';
import { Cancellation, type CancelSignal } from '../cancel';

export function clientAbortSignal(reply: FastifyReply): CancelSignal {
  const cancellation = new Cancellation();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) cancellation.abort(new Error('client closed the connection'));
  });
  return cancellation;
}
