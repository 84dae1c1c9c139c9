/**
 * Copy buttons where the browser has no clipboard API, in a real browser (support/dashboard.ts): a
 * dashboard opened over plain http from another machine is no secure page, and there
 * `navigator.clipboard` does not exist. A new client key, shown only once, and a tool's settings
 * are copied all the same, each button says so, and says to copy it by hand where the page may not.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { twoProviders, useDashboard } from '../support/dashboard';

const dashboard = useDashboard(twoProviders);
let context: BrowserContext;
let page: Page;
beforeAll(async () => {
  context = await dashboard.browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: dashboard.h.url });
  // As on an insecure page: no clipboard API. The test keeps a way to read what was copied.
  await context.addInitScript(() => {
    const clipboard = navigator.clipboard;
    (window as { readCopied?: () => Promise<string> }).readCopied = () => clipboard.readText();
    delete (Navigator.prototype as { clipboard?: unknown }).clipboard;
  });
  page = await context.newPage();
  await page.goto(`${dashboard.h.url}/?token=${dashboard.h.gateway.sessions.issueLoginToken()}`);
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
});
afterAll(() => context.close());

const copied = () => page.evaluate(() => (window as { readCopied?: () => Promise<string> }).readCopied!());

it('copies a new client key and a tool\'s setting on a page without the clipboard API, and says it did', async () => {
  expect(await page.evaluate(() => 'clipboard' in navigator)).toBe(false);
  await page.goto(`${dashboard.h.url}/settings`);
  await page.getByLabel('Key name').fill('laptop-editor');
  await page.getByRole('button', { name: 'Create key' }).click();
  const key = await page.getByTestId('new-key').textContent();
  expect(key).toMatch(/^sy-/);
  const notice = page.locator('.notice', { has: page.getByTestId('new-key') });
  await notice.getByRole('button', { name: 'Copy' }).click();
  await notice.getByRole('button', { name: 'Copied' }).waitFor();
  expect(await copied()).toBe(key);
  // The focus goes back where it was: the copy's selection is not left behind.
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Copied');

  await page.goto(`${dashboard.h.url}/connect`);
  const button = page.getByRole('button', { name: 'Copy ANTHROPIC_BASE_URL' });
  await button.click();
  await expect.poll(copied).toBe(dashboard.h.url);
  expect(await button.textContent()).toBe('Copied');
});

it('says a text was not copied, and to copy it by hand, where the page may not copy at all', async () => {
  await page.goto(`${dashboard.h.url}/overview`);
  await page.evaluate(() => {
    document.execCommand = () => false;
  });
  await page.getByRole('button', { name: 'Copy base URL' }).click();
  expect(await page.getByRole('alert').filter({ hasText: 'Not copied' }).textContent()).toBe(' Not copied (this page may not use the clipboard): select it and copy it yourself');
});
