/**
 * The dashboard as assistive technology reads it, checked by axe-core (the engine behind Lighthouse's
 * and the browsers' accessibility audits) in a real browser (support/dashboard.ts): every page, the
 * edit forms, a request's drawer, a playground turn, each tool's setup and the sign-in page. It found
 * the snippets (commands, config files, kept bodies) scrolling where no keyboard could reach them, the
 * theme's radio buttons carrying a tab's `aria-selected`, the drawer's dialog role on an `<aside>`,
 * and a sign-in page with no main landmark.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { twoProviders, useDashboard } from '../support/dashboard';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const dashboard = useDashboard(twoProviders);
beforeAll(async () => {
  await dashboard.h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'x' }] });
  await dashboard.logIn();
});

/** Each rule axe finds broken on the page, with the elements that break it. */
async function violations(page: Page): Promise<string[]> {
  // Evaluated, not added as a script tag: the dashboard's CSP refuses inline scripts, as it should.
  await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  return found;
}

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
