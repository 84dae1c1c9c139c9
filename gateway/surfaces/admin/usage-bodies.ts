/**
 * A request's prompt and answer as the usage log kept them (only while `settings.usage.logBodies` is
 * on, for `bodyRetentionDays`): the start of each for the Usage page's drawer, and either one whole
 * as a download. The whole is sent as it is stored, never escaped into a JSON string: a prompt may
 * be megabytes, and escaping it would hold the event loop.
 */
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors';
import type { UsageLog } from '../../store/usage-log';
import { BodyPartParams, RequestIdParams, UsageBodiesSchema, type UsageBodies } from './schemas';

/** What the drawer shows of each: enough to read, little enough for a page to lay out at once. */
const BODY_PREVIEW_CHARS = 100_000;

export function usageBodies(app: FastifyInstance, { usageLog }: { usageLog: UsageLog }): void {
  const kept = (requestId: string) => {
    const bodies = usageLog.body(requestId);
    if (!bodies) {
      throw new GatewayError('not_found', `No prompt or answer is kept for request "${requestId}": they are kept only while "Store prompts and answers" is on (Settings), for its body retention`, { param: 'requestId' });
    }
    return bodies;
  };
  const preview = (text: string | null | undefined) => (text == null ? null : { text: text.slice(0, BODY_PREVIEW_CHARS), length: text.length });

  // A request in the log whose bodies were not kept is no error: both are null (the drawer says why).
  app.get<{ Params: { requestId: string } }>('/usage/:requestId/bodies', { schema: { params: RequestIdParams, response: { 200: UsageBodiesSchema } } }, async (request): Promise<UsageBodies> => {
    const { requestId } = request.params;
    const bodies = usageLog.body(requestId);
    if (!bodies && !usageLog.row(requestId)) throw new GatewayError('not_found', `No request with id "${requestId}" is in the usage log`, { param: 'requestId' });
    return { request: preview(bodies?.request), answer: preview(bodies?.response) };
  });

  app.get<{ Params: { requestId: string; part: 'request' | 'answer' } }>('/usage/:requestId/bodies/:part', { schema: { params: BodyPartParams } }, async (request, reply) => {
    const { requestId, part } = request.params;
    const bodies = kept(requestId);
    const text = part === 'request' ? bodies.request : bodies.response;
    if (text === null) throw new GatewayError('not_found', `The ${part} of request "${requestId}" was not kept`, { param: 'part' });
    const file = `${requestId.replace(/[^\w-]/g, '_')}-${part}.${part === 'request' ? 'json' : 'txt'}`;
    // A prompt is the client's text: saved, never shown as a page of this origin.
    return reply
      .type(part === 'request' ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8')
      .header('content-disposition', `attachment; filename="${file}"`)
      .header('x-content-type-options', 'nosniff')
      .send(text);
  });
}
