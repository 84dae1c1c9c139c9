/**
 * `POST /admin/api/notices/test`: Settings' "Send a test notice", posted to the webhook the gateway
 * was started with, as `switchyard notices test` posts one from a terminal. The answer says whether
 * it arrived, in words for the page (the webhook by its host alone: its path is the channel's secret).
 */
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors';
import { NoticeTestSchema } from './server-schemas';

export interface NoticeTest {
  /** Where it goes (the webhook's host). */
  host: string;
  /** Posts one notice now: undefined when the receiver took it, else what went wrong. */
  send(): Promise<string | undefined>;
}

export function noticeTestRoute(app: FastifyInstance, test: NoticeTest | undefined): void {
  app.post('/notices/test', { schema: { response: { 200: NoticeTestSchema } } }, async () => {
    if (!test) throw new GatewayError('not_found', 'No webhook is set: start the gateway with SWITCHYARD_WEBHOOK_URL set to a chat\'s incoming webhook to post notices to one');
    const problem = await test.send();
    return { delivered: problem === undefined, message: problem === undefined ? `Posted a test notice to the webhook at ${test.host}` : `Not delivered: ${problem}` };
  });
}
