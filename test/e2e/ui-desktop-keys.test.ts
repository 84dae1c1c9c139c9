/**
 * Provider keys in the desktop app, in a real browser: a key its config names by an environment
 * variable the app cannot see (opened from the dock, it never read the shell profile that exports it)
 * says how to give it instead, and a key pasted in the provider's form, with the line break a copy
 * brings, is kept without it and shown by its last four characters; one that no request can carry
 * is not shown as set; one kept for no provider is listed in Settings and forgotten there; and a
 * key typed as a header's value is kept encrypted too, the header naming it.
 */
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createEncryptedSecrets } from '../../electron/main/secrets';
import { twoProviders, useDashboard } from '../support/dashboard';
import { tempDir } from '../support/harness';

const dir = tempDir();
const cipher = { available: async () => true, backend: () => 'keychain', encrypt: async (text: string) => Buffer.from(text), decrypt: async (data: Buffer) => data.toString() };
// No TEST_KEY: the provider "cloud" names env:TEST_KEY, which this app was not started with.
const secrets = await createEncryptedSecrets({ cipher, file: join(dir.path, 'secrets.json'), env: {} });
const dashboard = useDashboard(twoProviders, { secrets });
afterAll(() => dir.remove());

it('says to paste a key the app cannot see in its environment, keeps one pasted with a line break without it, and shows one no request can carry as unusable', async () => {
  const { page, openai } = dashboard;
  await dashboard.logIn();
  await dashboard.go('/providers');
  const card = page.locator('.card', { has: page.getByRole('heading', { name: /^cloud/ }) });
  await expect.poll(() => card.getByText('TEST_KEY is not set', { exact: true }).count()).toBe(1);
  expect(await page.getByTestId('key-hint-cloud').textContent()).toBe("The app sees only the variables it was started with, not your shell profile's: Edit, and paste the key (it is kept encrypted).");
  expect(await page.getByTestId('key-hint-local').count()).toBe(0);

  await card.getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('API key value').fill('sk-pasted-4321\n');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect.poll(() => card.getByText('key set ····4321').count()).toBe(1);
  expect(await page.getByTestId('key-hint-cloud').count()).toBe(0);
  expect(secrets.resolve('secret:cloud')).toBe('sk-pasted-4321');
  await card.getByRole('button', { name: 'Test connection' }).click();
  await expect.poll(() => openai.requests.some((r) => r.path === '/v1/models' && r.headers.authorization === 'Bearer sk-pasted-4321')).toBe(true);

  // A key kept before keys were checked as they are typed, with a typographic dash in it: not "key set".
  await secrets.store?.('cloud', 'sk-pasted\u20144321');
  await page.reload();
  await expect.poll(() => card.getByText('key unusable: copy it again').count()).toBe(1);
});

it('lists a key kept for no provider in Settings, and forgets it there', async () => {
  const { page, h } = dashboard;
  await dashboard.logIn();
  expect(secrets.resolve('secret:cloud')).toBeDefined();
  // The provider takes a variable instead: the key it was typed for stays kept, for a restore.
  expect((await h.admin('/admin/api/providers/cloud', { method: 'PATCH', body: JSON.stringify({ apiKey: 'env:TEST_KEY' }) })).status).toBe(200);
  await dashboard.go('/settings');
  const card = page.locator('.card', { has: page.getByRole('heading', { name: 'Keys kept for no provider' }) });
  await expect.poll(() => card.getByTestId('kept-keys').textContent()).toContain('cloud');
  await card.getByRole('button', { name: 'Forget cloud' }).click();
  await card.getByRole('button', { name: 'Confirm: Forget cloud' }).click();
  await card.waitFor({ state: 'detached' });
  expect(secrets.resolve('secret:cloud')).toBeUndefined();
  expect(dashboard.notFound).toEqual([]);
});

it("keeps a key typed as a header's value encrypted, ticked so for a header that carries keys, and sends it", async () => {
  const { page, openai, h } = dashboard;
  await dashboard.logIn();
  await dashboard.go('/providers');
  const form = await dashboard.editProvider('cloud');
  // A proxy that takes its key in a header of its own (the variable the API key names is not set here).
  await form.getByLabel('API key reference').fill('');
  await form.getByText('Headers', { exact: true }).click();
  await form.getByRole('button', { name: 'Add a header' }).click();
  await form.getByLabel('Header 1', { exact: true }).fill('x-api-key');
  await form.getByLabel('Value of header 1').fill('proxy-secret-9876');
  expect(await form.getByLabel('Keep the key in row 1 encrypted').isChecked()).toBe(true);
  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect.poll(() => openai.requests.at(-1)?.headers['x-api-key']).toBe('proxy-secret-9876');
  expect(secrets.resolve('secret:cloud.x-api-key')).toBeUndefined();
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  const card = page.locator('.card', { has: page.getByRole('heading', { name: /^cloud/ }) });
  await expect.poll(() => card.getByText('key in its x-api-key header').count()).toBe(1);
  expect(h.gateway.config().providers[1]?.headers).toEqual({ 'x-api-key': 'secret:cloud.x-api-key' });
  expect(secrets.resolve('secret:cloud.x-api-key')).toBe('proxy-secret-9876');
  await h.openai.chat.completions.create({ model: 'mini', messages: [{ role: 'user', content: 'hi' }] });
  expect(openai.requests.at(-1)?.headers['x-api-key']).toBe('proxy-secret-9876');
  // Unticked, a value is the config's, as typed.
  await dashboard.editProvider('cloud');
  await form.getByLabel('Value of header 1').fill('team-a');
  await form.getByLabel('Keep the key in row 1 encrypted').uncheck();
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect.poll(() => h.gateway.config().providers[1]?.headers).toEqual({ 'x-api-key': 'team-a' });
});
