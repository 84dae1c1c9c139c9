/**
 * The dashboard as a keyboard uses it, in a real browser (support/dashboard.ts): a request's row
 * opens its drawer on Enter or Space, the drawer takes the focus and gives it back.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { twoProviders, useDashboard } from '../support/dashboard';

const dashboard = useDashboard(twoProviders);
beforeAll(async () => {
  await dashboard.h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'x' }] });
  await dashboard.logIn();
});

describe('the dashboard from the keyboard', () => {
  it("opens a request's details from the keyboard, as a button opens, and gives the focus back to its row", async () => {
    const { page } = dashboard;
    await dashboard.go('/usage');
    const row = page.getByTestId('usage-table').locator('tbody tr').first();
    const drawer = page.getByTestId('request-drawer');
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent);
    for (const key of ['Enter', 'Space']) {
      await row.focus();
      await page.keyboard.press(key);
      await drawer.waitFor();
      // The focus in the drawer, so the next Tab is its Close button, not the next row behind it.
      expect(await focused(), key).toBe('Request details');
      await page.keyboard.press('Tab');
      expect(await focused()).toBe('Close');
      await page.keyboard.press('Escape');
      await expect.poll(() => drawer.count()).toBe(0);
      expect(await focused()).toBe(await row.getAttribute('aria-label'));
    }
  });
});
