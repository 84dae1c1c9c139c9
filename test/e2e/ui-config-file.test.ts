/**
 * A gateway whose config a file owns (`serve --config FILE`), in a real browser (support/dashboard.ts):
 * the pages that edit the config say that the file is applied again at each start and reload, and
 * link the export that would put a change made here in it; the other pages say nothing of it.
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
