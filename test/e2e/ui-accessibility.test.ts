/**
 * The dashboard as assistive technology reads it, checked by axe-core (the engine behind Lighthouse's
 * and the browsers' accessibility audits) in a real browser (support/dashboard.ts): every page, the
 * edit forms, a request's drawer, a playground turn, each tool's setup and the sign-in page. It found
 * the snippets (commands, config files, kept bodies) scrolling where no keyboard could reach them, the
 * theme's radio buttons carrying a tab's `aria-selected`, the drawer's dialog role on an `<aside>`,
 * and a sign-in page with no main landmark.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { violations } from '../support/axe';
import { twoProviders, useDashboard } from '../support/dashboard';

const dashboard = useDashboard(twoProviders);
beforeAll(async () => {
  await dashboard.h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'x' }] });
  await dashboard.logIn();
});

describe('the dashboard, audited by axe-core', () => {
  it('breaks no rule on any page, in an edit form, in a drawer or after a playground turn', async () => {
    const { page } = dashboard;
    for (const path of ['/overview', '/routes', '/providers', '/playground', '/connect', '/usage', '/settings']) {
      await dashboard.go(path);
      await page.locator('main h1').first().waitFor();
      expect(await violations(page), path).toEqual([]);
    }
    await dashboard.editDeployment('mini');
    expect(await violations(page), 'a deployment form').toEqual([]);
    await dashboard.editProvider('cloud');
    expect(await violations(page), 'a provider form').toEqual([]);
    await dashboard.go('/usage');
    await page.getByTestId('usage-table').locator('tbody tr').first().click();
    await page.getByTestId('request-drawer').waitFor();
    expect(await violations(page), "a request's drawer").toEqual([]);
    await dashboard.openPlayground();
    await page.getByLabel('Message').fill('hello there');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText('Echo: hello there').first().waitFor();
    expect(await violations(page), 'a playground turn').toEqual([]);
  });

  it("lets a keyboard reach every snippet on the Connect page, where a tool's config scrolls", async () => {
    const { page } = dashboard;
    await dashboard.go('/connect');
    const snippets = page.locator('pre.snippet');
    await snippets.first().waitFor();
    expect(await snippets.count()).toBeGreaterThan(3);
    expect(await snippets.evaluateAll((all) => all.filter((pre) => (pre as HTMLElement).tabIndex !== 0).length)).toBe(0);
    await snippets.first().focus();
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('PRE');
  });

  it('breaks no rule on the sign-in page', async () => {
    const { page } = dashboard;
    await page.context().clearCookies();
    await dashboard.go('/overview');
    await page.getByRole('heading', { name: 'Sign in to Switchyard' }).waitFor();
    expect(await violations(page)).toEqual([]);
    await dashboard.logIn();
  });
});
