/**
 * The dashboard losing the gateway while a page is open, in a real browser (support/dashboard.ts):
 * its session ends, or the gateway stops answering. The page stays with what was typed in it, says
 * once at its top what happened, and picks up by itself once the gateway answers with a session again
 * (a login link opened in another tab sets the cookie this page sends; a gateway back on its port).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { sessionCookieName } from '../../gateway/surfaces/admin/session';
import { twoProviders, useDashboard } from '../support/dashboard';

const dashboard = useDashboard(twoProviders);
beforeEach(() => dashboard.logIn());

/** Signs in as another tab's login link would: a new session's cookie for this origin. */
async function signInElsewhere(): Promise<void> {
  const { h, page } = dashboard;
  await page.context().addCookies([{ name: sessionCookieName(h.port), value: h.gateway.sessions.createSession(), url: h.url, httpOnly: true, sameSite: 'Strict' }]);
}

const banner = () => dashboard.page.getByRole('alert').filter({ hasText: 'Your session has ended' });
const silent = () => dashboard.page.getByRole('alert').filter({ hasText: 'The gateway does not answer' });

/** The gateway stops answering the page, as a stopped one does (the connection refused), until `back()`; `asked` lists what the page asked meanwhile. */
async function gatewayStops(): Promise<{ asked: string[]; back(): Promise<void> }> {
  const { page, h } = dashboard;
  const asked: string[] = [];
  const refuse = (route: { abort(code: string): Promise<void>; request(): { url(): string } }) => {
    asked.push(new URL(route.request().url()).pathname);
    return route.abort('connectionrefused');
  };
  await page.route(`${h.url}/admin/api/**`, refuse);
  return { asked, back: () => page.unroute(`${h.url}/admin/api/**`, refuse) };
}

describe('a session that ends while the dashboard is open', () => {
  it('keeps the edits, says so once, and saves them once signed in again', async () => {
    const { page, h } = dashboard;
    const form = await dashboard.editDeployment('llama');
    const model = form.getByRole('combobox', { name: 'Model', exact: true });
    await model.fill('llama3.2:1b');
    await page.context().clearCookies();
    await form.getByRole('button', { name: 'Save' }).click();
    await banner().waitFor();
    // The page is still the form, as typed: not the sign-in page.
    expect(await model.inputValue()).toBe('llama3.2:1b');
    expect(await page.getByRole('heading', { name: 'Sign in to Switchyard' }).count()).toBe(0);
    // How to sign in is said once, with the command that issues a link for this gateway.
    expect(await page.locator('pre', { hasText: 'login-link' }).allTextContents()).toEqual([`npm run switchyard -- login-link --port ${h.port} --data-dir ${h.dataDir}`]);
    expect(await page.getByText('Open the login link printed').count()).toBe(0);
    await form.getByText('Not signed in: sign in again (the note at the top of the page says how), then try again.').waitFor();
    expect(h.gateway.config().deployments.find((d) => d.name === 'llama')?.model).toBe('llama3.2:3b');

    await signInElsewhere();
    await banner().waitFor({ state: 'detached', timeout: 15_000 });
    expect(await model.inputValue()).toBe('llama3.2:1b');
    // What the refused save said is outdated once signed in: the form says nothing until its next Save.
    await form.getByText('Not signed in').waitFor({ state: 'detached' });
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => h.gateway.config().deployments.find((d) => d.name === 'llama')?.model).toBe('llama3.2:1b');
  });

  it("a page's cards load again once signed in, without a reload", async () => {
    const { page } = dashboard;
    const nav = (label: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label });
    await nav('Settings').click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await page.context().clearCookies();
    await nav('Providers').click();
    await banner().waitFor();
    await expect.poll(() => page.getByText('Not signed in: sign in again (the note at the top of the page says how), then try again.').count()).toBeGreaterThan(0);
    expect(await page.getByRole('heading', { name: /^cloud / }).count()).toBe(0);
    await signInElsewhere();
    await banner().waitFor({ state: 'detached', timeout: 15_000 });
    await page.getByRole('heading', { name: /^cloud / }).waitFor();
    expect(await page.getByText('Not signed in').count()).toBe(0);
  });

  it("the playground's turn refused for want of a session says so once too, and the next one, signed in, is answered", async () => {
    const { page } = dashboard;
    await dashboard.openPlayground();
    await page.getByRole('heading', { name: 'Playground', level: 1 }).waitFor();
    await page.context().clearCookies();
    await page.getByLabel('Message').fill('hello there');
    await page.getByRole('button', { name: 'Send' }).click();
    await banner().waitFor();
    await page.getByText('Not signed in: sign in again (the note at the top of the page says how), then try again.').waitFor();
    await signInElsewhere();
    await banner().waitFor({ state: 'detached', timeout: 15_000 });
    await page.getByLabel('Message').fill('hello again');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.getByTestId('answer').last().textContent()).toContain('hello again');
  });

  it('a gateway that stops answering: said once, the edits kept, and all picks up once it answers again', async () => {
    const { page, h } = dashboard;
    const form = await dashboard.editDeployment('mini');
    const model = form.getByRole('combobox', { name: 'Model', exact: true });
    await model.fill('gpt-4.1-nano');
    const stopped = await gatewayStops();
    await form.getByRole('button', { name: 'Save' }).click();
    await silent().waitFor();
    await form.getByText('The Switchyard gateway cannot be reached').waitFor();
    // The page is still the form, as typed.
    expect(await model.inputValue()).toBe('gpt-4.1-nano');
    expect(await page.getByRole('heading', { name: 'Routes & deployments', level: 1 }).count()).toBe(1);
    await stopped.back();
    await silent().waitFor({ state: 'detached', timeout: 15_000 });
    await form.getByText('cannot be reached').waitFor({ state: 'detached' });
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => h.gateway.config().deployments.find((d) => d.name === 'mini')?.model).toBe('gpt-4.1-nano');
  });

  it("a page opened while the gateway does not answer loads its cards once it does, without a reload", async () => {
    const { page } = dashboard;
    const stopped = await gatewayStops();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Providers' }).click();
    await silent().waitFor();
    await expect.poll(() => page.getByText('The Switchyard gateway cannot be reached').count()).toBeGreaterThan(0);
    expect(await page.getByRole('heading', { name: /^cloud / }).count()).toBe(0);
    // It looks again every 3 seconds, not in a loop: a failed look is itself a request that found no gateway.
    const before = stopped.asked.filter((path) => path === '/admin/api/session').length;
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(stopped.asked.filter((path) => path === '/admin/api/session').length - before).toBeLessThanOrEqual(3);
    await stopped.back();
    await silent().waitFor({ state: 'detached', timeout: 15_000 });
    await page.getByRole('heading', { name: /^cloud / }).waitFor();
    expect(await page.getByText('cannot be reached').count()).toBe(0);
  });

  // Last: the script stays for every later page of this file.
  it('in the desktop window, which signs itself in again, names no command', async () => {
    const { page } = dashboard;
    await page.addInitScript(() => Object.defineProperty(window, 'switchyardDesktop', { value: Object.freeze({}) }));
    await dashboard.go('/overview');
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    await page.context().clearCookies();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Providers' }).click();
    await expect.poll(() => banner().textContent()).toContain('Switchyard signs this window in again within a few seconds');
    expect(await page.locator('pre', { hasText: 'login-link' }).count()).toBe(0);
    await signInElsewhere();
    await banner().waitFor({ state: 'detached', timeout: 15_000 });
  });
});
