/**
 * A gateway whose config a file owns (`serve --config FILE`), in a real browser (support/dashboard.ts):
 * the pages that edit the config say that the file is applied again at each start and reload, and
 * link the export that would put a change made here in it; the other pages say nothing of it. A
 * config pasted to import (comments and a comma after the last item allowed, as in a file edited by
 * hand) is said to be not JSON where it stops being so, then previewed (a rename said as one, its
 * warnings said) and applied.
 */
import { beforeAll, expect, it } from 'vitest';
import { twoProviders, useDashboard } from '../support/dashboard';

const dashboard = useDashboard(twoProviders, { configFile: '/etc/switchyard/config.json' });
beforeAll(() => dashboard.logIn());

it('says on the pages that edit the config that a file owns it, and nowhere else', async () => {
  const { page } = dashboard;
  const note = page.getByTestId('config-file');
  for (const path of ['/routes', '/providers', '/settings']) {
    await dashboard.go(path);
    await expect.poll(() => note.textContent()).toBe(
      'This gateway applies /etc/switchyard/config.json at each start and reload: a change made here lasts until then (the config history keeps it, to restore). To keep one, put it in that file too: export the config as it is now.',
    );
    expect(await note.getByRole('link', { name: 'export the config' }).getAttribute('href')).toBe('/admin/api/config');
  }
  for (const path of ['/overview', '/usage']) {
    await dashboard.go(path);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await note.count()).toBe(0);
  }
  // What the note reads: the settings' server view (null without a file: ui-connected-routes.test.ts).
  const settings = await dashboard.h.admin('/admin/api/settings').then((r) => r.json());
  expect(settings.server.configFile).toBe('/etc/switchyard/config.json');
  expect(dashboard.notFound).toEqual([]);
});

it('imports a pasted config: says where a paste stops being JSON, then what it would change, then applies it', async () => {
  const { h, page } = dashboard;
  await dashboard.go('/settings');
  const paste = page.getByLabel('Paste a config to import');
  const card = page.locator('section', { has: page.getByRole('heading', { name: 'Export and import' }) });
  await paste.fill('{\n  "version": 1\n  "routes": []\n}');
  await expect.poll(() => card.textContent()).toMatch(/This is not valid JSON: .*(line 3|position 18)/);
  expect(await card.getByRole('button', { name: 'Preview changes' }).isDisabled()).toBe(true);

  const next = structuredClone(h.gateway.config());
  next.routes.push({ name: 'pasted', deployments: ['mini'] });
  // A route renamed in the paste, nothing else of it changed: said as a rename (its keys and budgets go with it).
  next.routes[0]!.name = 'main';
  // As a file edited by hand has it: a comment, and a comma after the last item.
  await paste.fill(`// edited by hand\n${JSON.stringify(next, null, 2).replace(/\n}$/, ',\n}')}`);
  await card.getByRole('button', { name: 'Preview changes' }).click();
  await expect.poll(() => card.textContent()).toContain('added route pasted');
  expect(await card.textContent()).toContain('renamed route main (was default)');
  // What the config takes but may not mean is said before it is applied, as `switchyard import` says it.
  expect(await card.getByRole('status', { name: 'Warnings' }).textContent()).toContain('routes[1].deployments: route "pasted" has a single deployment, so fallback cannot help it');
  await card.getByRole('button', { name: 'Apply' }).click();
  await expect.poll(() => h.gateway.config().routes.map((r) => r.name)).toContain('pasted');
  expect(dashboard.notFound).toEqual([]);
});

it("says the config's warnings above the pages that edit it, whatever made them, and nowhere else", async () => {
  const { h, page } = dashboard;
  // The test before left a route of one deployment: a config with none first.
  const before = { ...h.gateway.config(), routes: h.gateway.config().routes.filter((r) => r.deployments.length > 1) };
  expect(h.gateway.applyConfig(before, 'test').ok).toBe(true);
  const warnings = page.getByTestId('config-warnings');
  // Made by a file or the CLI, not by this page: a route of one deployment.
  expect(h.gateway.applyConfig({ ...before, routes: [...before.routes, { name: 'solo', deployments: ['mini'] }] }, 'test').ok).toBe(true);
  await dashboard.go('/routes');
  await expect.poll(() => warnings.locator('summary').textContent()).toBe('1 thing in the config worth a look');
  await warnings.locator('summary').click();
  expect(await warnings.textContent()).toContain('routes[1].deployments: route "solo" has a single deployment, so fallback cannot help it');
  await dashboard.go('/overview');
  await page.getByRole('heading', { level: 1 }).waitFor();
  expect(await warnings.count()).toBe(0);
  // Mended, it is gone.
  expect(h.gateway.applyConfig(before, 'test').ok).toBe(true);
  await dashboard.go('/providers');
  await page.getByRole('heading', { name: 'Providers', level: 1 }).waitFor();
  expect((await (await h.admin('/admin/api/config/warnings')).json()).warnings).toEqual([]);
  await expect.poll(() => warnings.count()).toBe(0);
});
