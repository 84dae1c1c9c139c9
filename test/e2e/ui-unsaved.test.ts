/**
 * Edits not saved yet, and a new client key not copied, in a real browser (support/dashboard.ts): a
 * page's link, Back, another form in the same place and a reload each ask before they drop them, name
 * what would be lost, and leave everything as it was when the user stays. Nothing asks once the edits
 * are saved or undone by hand, or the key is copied.
 */
import type { Dialog } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { twoProviders, useDashboard } from '../support/dashboard';

const dashboard = useDashboard(twoProviders);
beforeAll(() => dashboard.logIn());

/** Answers the next dialog the page opens (`accept`: leave), and gives what it said. */
function answerNext(accept: boolean): Promise<Dialog> {
  return new Promise((resolve) => {
    dashboard.page.once('dialog', (dialog) => {
      void (accept ? dialog.accept() : dialog.dismiss()).then(() => resolve(dialog));
    });
  });
}

const nav = (label: string) => dashboard.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label });

/** The dialogs `action` opened, each dismissed (so a test that expects none sees any). */
async function dialogsDuring(action: () => Promise<unknown>): Promise<string[]> {
  const said: string[] = [];
  const onDialog = (dialog: Dialog) => {
    said.push(dialog.message());
    void dialog.dismiss();
  };
  dashboard.page.on('dialog', onDialog);
  try {
    await action();
  } finally {
    dashboard.page.off('dialog', onDialog);
  }
  return said;
}

/** To another page by its link, there once its heading shows. */
async function goTo(label: string): Promise<void> {
  await nav(label).click();
  await dashboard.page.getByRole('heading', { name: label, level: 1 }).waitFor();
}

/** Whether the page would have the browser ask before a reload or closing the tab: its beforeunload cancelled. */
const unloadStopped = () => dashboard.page.evaluate(() => !window.dispatchEvent(new Event('beforeunload', { cancelable: true })));

describe('leaving a page with unsaved edits', () => {
  it("asks before a page's link drops a deployment's edits, and keeps them when the user stays", async () => {
    const { page } = dashboard;
    const form = await dashboard.editDeployment('llama');
    await form.getByRole('combobox', { name: 'Model', exact: true }).fill('llama3.2:1b');
    const stay = answerNext(false);
    await nav('Usage').click();
    expect((await stay).message()).toBe('Your edits to deployment llama will be lost. Leave anyway?');
    expect(new URL(page.url()).pathname).toBe('/routes');
    expect(await form.getByRole('combobox', { name: 'Model', exact: true }).inputValue()).toBe('llama3.2:1b');
    const leave = answerNext(true);
    await nav('Usage').click();
    await leave;
    await page.getByRole('heading', { name: 'Usage', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/usage');
  });

  it('asks on Back, and puts the address back when the user stays', async () => {
    const { page } = dashboard;
    await dashboard.go('/overview');
    await nav('Settings').click();
    const ttl = page.getByLabel('Cache TTL (seconds)');
    await ttl.fill('600');
    const stay = answerNext(false);
    await page.goBack();
    expect((await stay).message()).toContain('the cache, usage and access settings');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/settings');
    expect(await ttl.inputValue()).toBe('600');
    // Saved, nothing is at stake: Back goes back without a word.
    const card = page.locator('.card', { has: page.getByRole('heading', { name: 'Cache, usage and access' }) });
    await card.getByRole('button', { name: 'Save', exact: true }).click();
    await card.getByText('Saved', { exact: true }).waitFor();
    expect(await dialogsDuring(() => goTo('Overview'))).toEqual([]);
  });

  it('asks nothing for an edit undone by hand', async () => {
    const { page } = dashboard;
    await dashboard.go('/routes');
    const name = page.getByPlaceholder('coder');
    await name.fill('half-typed');
    expect(await unloadStopped()).toBe(true);
    await name.fill('');
    expect(await dialogsDuring(() => goTo('Overview'))).toEqual([]);
  });

  it("asks before another deployment's form takes the place of one with edits", async () => {
    const { page } = dashboard;
    const form = await dashboard.editDeployment('llama');
    await form.getByRole('combobox', { name: 'Model', exact: true }).fill('llama3.2:1b');
    const edit = (name: string) => page.getByRole('row', { name: new RegExp(`^${name} `) }).getByRole('button', { name: 'Edit' });
    const stay = answerNext(false);
    await edit('mini').click();
    expect((await stay).message()).toBe('Your edits to deployment llama will be lost. Leave anyway?');
    expect(await form.getByRole('combobox', { name: 'Model', exact: true }).inputValue()).toBe('llama3.2:1b');
    // The same deployment's Edit keeps its form as it is.
    expect(await dialogsDuring(() => edit('llama').click())).toEqual([]);
    const leave = answerNext(true);
    await edit('mini').click();
    await leave;
    await page.getByRole('heading', { name: 'Edit mini' }).waitFor();
    // Cancel is the user's own word: it asks nothing.
    await page.getByRole('combobox', { name: 'Model', exact: true }).fill('gpt-4.1');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Edit mini' }).count()).toBe(0);
  });

  it("asks the browser for its own prompt before a reload or closing the tab, and only while edits are unsaved", async () => {
    const { page } = dashboard;
    // The tests' headless Chromium shows no prompt on unload (Chromium's headless shell skips it), so
    // this asks what the browser asks the page: whether its beforeunload event is cancelled.
    await dashboard.go('/routes');
    expect(await unloadStopped()).toBe(false);
    await page.getByPlaceholder('coder').fill('half-typed');
    expect(await unloadStopped()).toBe(true);
    await page.getByPlaceholder('coder').fill('');
    expect(await unloadStopped()).toBe(false);
  });
});

describe("every form's unsaved edits", () => {
  const forms: { path: string; what: string; edit: () => Promise<void> }[] = [
    { path: '/routes', what: 'the order of route default', edit: async () => {
      // dnd-kit's keyboard sensor: Space lifts, arrows move, Space drops (it measures between steps).
      await dashboard.page.getByRole('button', { name: /Move llama/ }).focus();
      for (const key of ['Space', 'ArrowUp', 'Space']) {
        await dashboard.page.keyboard.press(key);
        await dashboard.page.waitForTimeout(150);
      }
      await dashboard.page.getByText('Unsaved order').waitFor();
    } },
    { path: '/routes', what: 'the new alias', edit: () => dashboard.page.getByPlaceholder('claude-*').fill('gpt-*') },
    { path: '/routes', what: 'the new name of route default', edit: async () => { await dashboard.page.getByRole('button', { name: 'Rename route default' }).click(); await dashboard.page.getByLabel('New name of default').fill('coder'); } },
    { path: '/routes', what: 'the retry settings of route default', edit: async () => { await dashboard.page.getByText('Retry, fallback and breaker').click(); await dashboard.page.getByLabel('Attempts per deployment').fill('3'); } },
    { path: '/providers', what: 'provider local', edit: async () => { await (await dashboard.editProvider('local')).getByLabel('Base URL').fill('http://127.0.0.1:1'); } },
    { path: '/settings', what: 'the new client key', edit: () => dashboard.page.getByLabel('Key name').fill('editor') },
    { path: '/settings', what: 'the new budget', edit: async () => { await dashboard.page.getByRole('button', { name: 'Add budget' }).click(); await dashboard.page.getByPlaceholder('monthly').fill('daily'); } },
    { path: '/settings', what: 'the config pasted to import', edit: () => dashboard.page.getByLabel('Paste a config to import').fill('{}') },
    { path: '/settings', what: 'the chat webhook', edit: () => dashboard.page.getByPlaceholder('env:NOTICES_WEBHOOK').fill('env:HOOK') },
  ];
  for (const form of forms) {
    it(`asks before ${form.what} is dropped`, async () => {
      await dashboard.go(form.path);
      await form.edit();
      expect(await unloadStopped()).toBe(true);
      const stay = answerNext(false);
      await nav('Overview').click();
      expect((await stay).message()).toBe(`Your edits to ${form.what} will be lost. Leave anyway?`);
      expect(new URL(dashboard.page.url()).pathname).toBe(form.path);
    });
  }
});

describe('a new client key, shown only once', () => {
  it('asks before the page goes with the key not copied, and not once it is', async () => {
    const { page } = dashboard;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: dashboard.h.url });
    await dashboard.go('/settings');
    await page.getByLabel('Key name').fill('editor');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByTestId('new-key').waitFor();
    const stay = answerNext(false);
    await nav('Overview').click();
    expect((await stay).message()).toBe('The new client key editor (shown only now) will be lost. Leave anyway?');
    expect(await page.getByTestId('new-key').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await dialogsDuring(() => goTo('Overview'))).toEqual([]);
  });
});
