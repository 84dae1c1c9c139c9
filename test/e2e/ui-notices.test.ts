/**
 * Settings' notices in the desktop app, in a real browser: a chat webhook's URL pasted in is kept by
 * the app's encrypted key store, shown by its host alone, tried with "Send a test notice", replaced
 * and removed; a URL no chat gives is refused in words beside the field.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEncryptedSecrets } from '../../electron/main/secrets';
import { twoProviders, useDashboard } from '../support/dashboard';
import { startFakeServer, type FakeServer } from '../support/fake-server';
import { tempDir } from '../support/harness';

const dir = tempDir();
const cipher = { available: async () => true, backend: () => 'keychain', encrypt: async (text: string) => Buffer.from([...text].reverse().join('')), decrypt: async (data: Buffer) => [...data.toString()].reverse().join('') };
const secrets = await createEncryptedSecrets({ cipher, file: join(dir.path, 'secrets.json'), env: { TEST_KEY: 'sk-test-secret-1234' } });
let hook: FakeServer;
const dashboard = useDashboard(twoProviders, { notices: { desktop: true }, secrets });
beforeAll(async () => {
  hook = await startFakeServer((_request, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
});
afterAll(async () => {
  await hook.stop();
  dir.remove();
});

it("keeps a pasted webhook, names its host beside this app's notifications, posts a test notice there, and removes it", async () => {
  const { page } = dashboard;
  await dashboard.logIn();
  await dashboard.go('/settings');
  const notices = page.getByTestId('notices');
  await expect.poll(() => notices.textContent()).toBe(
    "Notices: this app's notifications, on each change (a provider down or back, falling back, a budget at 80% or spent, a full disk, a pull ended).",
  );
  const field = page.getByLabel('Chat webhook URL (kept encrypted), or env:NAME');
  await field.fill('hooks.slack.com/services/T1/B2/secret');
  await page.getByRole('button', { name: 'Save webhook' }).click();
  await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('The webhook URL is not a URL');

  const host = new URL(hook.url).host;
  await field.fill(`${hook.url}/services/T1/B2/secret`);
  await page.getByRole('button', { name: 'Save webhook' }).click();
  await expect.poll(() => notices.textContent()).toBe(
    `Notices: this app's notifications, and posted to the webhook at ${host}, on each change (a provider down or back, falling back, a budget at 80% or spent, a full disk, a pull ended).`,
  );
  await expect.poll(() => field.inputValue()).toBe('');
  expect(await page.locator('main').textContent()).not.toContain('/services/T1');
  await page.getByRole('button', { name: 'Send a test notice' }).click();
  await expect.poll(() => page.getByTestId('notice-test').textContent()).toBe(`Posted a test notice to the webhook at ${host}`);
  expect(hook.requests.map((r) => [r.path, (r.body as { title: string }).title])).toEqual([['/services/T1/B2/secret', 'a test notice']]);

  await page.getByRole('button', { name: 'Remove webhook' }).click();
  await expect.poll(() => notices.textContent()).toBe(
    "Notices: this app's notifications, on each change (a provider down or back, falling back, a budget at 80% or spent, a full disk, a pull ended).",
  );
  expect(await page.getByRole('button', { name: 'Send a test notice' }).count()).toBe(0);
});

it('says a webhook set here that cannot be posted to, and why', async () => {
  const { page } = dashboard;
  await dashboard.go('/settings');
  await page.getByLabel('Chat webhook URL (kept encrypted), or env:NAME').fill('env:NOT_SET_HERE');
  await page.getByRole('button', { name: 'Save webhook' }).click();
  await expect.poll(() => page.getByTestId('webhook-problem').textContent()).toBe(
    "The webhook set here cannot be posted to: NOT_SET_HERE, which the settings name, is not set in the gateway's environment.",
  );
  await page.getByRole('button', { name: 'Remove webhook' }).click();
  await expect.poll(() => page.getByTestId('webhook-problem').count()).toBe(0);
});
