/**
 * Settings' "Send a test notice" (`POST /admin/api/notices/test`): one notice posted now through the
 * webhook sender the gateway was started with, and whether it arrived, in words; refused without a
 * session, and a 404 that says how to set one up when no webhook is set.
 */
import { afterEach, expect, it } from 'vitest';
import { createWebhookSender, type WebhookSender } from '../../gateway/notices/webhook';
import { startFakeServer, type FakeServer } from '../support/fake-server';
import { startGateway, twoTierConfig, type Harness } from '../support/harness';

const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

async function withWebhook(status: number): Promise<{ h: Harness; hook: FakeServer; sender: WebhookSender }> {
  const hook = await startFakeServer((_request, res) => void res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'no_service'));
  const url = new URL(`${hook.url}/services/T1/B2/secret`);
  const sender = createWebhookSender(url, undefined, () => undefined);
  const h = await startGateway(twoTierConfig({ ollama: 'http://127.0.0.1:9', openai: 'http://127.0.0.1:9' }), { notices: { desktop: false, webhookHost: url.host }, noticeTest: { host: url.host, send: () => sender.test() } });
  running.push(h, hook, { stop: () => sender.close({ giveUpRetries: true }) });
  return { h, hook, sender };
}

it('posts a test notice to the webhook and says it arrived, or what the receiver answered', async () => {
  const { h, hook } = await withWebhook(200);
  const res = await h.admin('/admin/api/notices/test', { method: 'POST' });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ delivered: true, message: `Posted a test notice to the webhook at ${new URL(hook.url).host}` });
  expect(hook.requests).toHaveLength(1);
  expect(hook.requests[0]).toMatchObject({ method: 'POST', path: '/services/T1/B2/secret', body: { title: 'a test notice', source: 'switchyard' } });
  // The admin API's session is needed, as for every route it declares.
  expect((await fetch(`${h.url}/admin/api/notices/test`, { method: 'POST' })).status).toBe(401);
  expect(hook.requests).toHaveLength(1);

  const revoked = await withWebhook(404);
  const answer = await (await revoked.h.admin('/admin/api/notices/test', { method: 'POST' })).json();
  expect(answer).toEqual({ delivered: false, message: `Not delivered: the webhook at ${new URL(revoked.hook.url).host} answered 404 to "a test notice"` });
  expect(JSON.stringify(answer)).not.toContain('secret');
});

it('says how to set a webhook up when the gateway was started without one', async () => {
  const h = await startGateway(twoTierConfig({ ollama: 'http://127.0.0.1:9', openai: 'http://127.0.0.1:9' }));
  running.push(h);
  const res = await h.admin('/admin/api/notices/test', { method: 'POST' });
  expect(res.status).toBe(404);
  expect((await res.json()).error.message).toBe("No webhook is set: start the gateway with SWITCHYARD_WEBHOOK_URL set to a chat's incoming webhook to post notices to one");
});
