/**
 * Settings says where notices go on a desktop app whose environment names a webhook too: both
 * places, the webhook by its host alone (its path is the channel's secret); and "Send a test notice"
 * posts one through the gateway's sender and says whether it arrived.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createWebhookSender, type WebhookSender } from '../../gateway/notices/webhook';
import { twoProviders, useDashboard } from '../support/dashboard';
import { startFakeServer, type FakeServer } from '../support/fake-server';

let hook: FakeServer;
let sender: WebhookSender;
const dashboard = useDashboard(twoProviders, {
  notices: { desktop: true, webhookHost: 'hooks.slack.com' },
  noticeTest: { host: 'hooks.slack.com', send: () => sender.test() },
});
beforeAll(async () => {
  hook = await startFakeServer((_request, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
  sender = createWebhookSender(new URL(`${hook.url}/services/T1/B2/secret`), undefined, () => undefined);
});
afterAll(async () => {
  await sender.close({ giveUpRetries: true });
  await hook.stop();
});

it("names this app's notifications and the webhook's host, and posts a test notice there", async () => {
  await dashboard.logIn();
  await dashboard.go('/settings');
  const notices = dashboard.page.getByTestId('notices');
  await notices.waitFor();
  expect(await notices.textContent()).toBe(
    "Notices: this app's notifications, and posted to the webhook at hooks.slack.com, on each change (a provider down or back, falling back, a budget at 80% or spent, a full disk, a pull ended).",
  );
  await dashboard.page.getByRole('button', { name: 'Send a test notice' }).click();
  const result = dashboard.page.getByTestId('notice-test');
  await result.waitFor();
  expect(await result.textContent()).toBe('Posted a test notice to the webhook at hooks.slack.com');
  expect(hook.requests.map((r) => (r.body as { title: string }).title)).toEqual(['a test notice']);
});
