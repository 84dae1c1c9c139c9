/**
 * A tool connected here and the route it asks for, in a real browser (support/dashboard.ts): deleting
 * that route says which tool asks for it before it is done, and a tool asking for a route the config
 * has no more (renamed since) is shown as such on the Connect page, not as connected.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { twoProviders, useDashboard } from '../support/dashboard';

const dashboard = useDashboard(twoProviders);
beforeAll(() => dashboard.logIn());

it('names the connected tool when its route is deleted, and says when it asks for a route that is gone', async () => {
  const { h, page } = dashboard;
  expect((await h.admin('/admin/api/connect/codex', { method: 'POST', body: JSON.stringify({ route: 'default' }) })).status).toBe(200);
  const file = join(dashboard.home.path, '.codex', 'config.toml');
  const codex = page.getByRole('heading', { name: /^Codex CLI/ });
  await dashboard.go('/connect');
  await expect.poll(() => codex.textContent()).toContain('connected: asks for default');

  // Deleting the route it asks for says so before it is done (the second click deletes; none is made).
  await dashboard.go('/routes');
  await page.getByRole('button', { name: 'Delete route default' }).click();
  // No config file owns this gateway's config (ui-config-file.test.ts): the page says nothing of one.
  expect(await page.getByTestId('config-file').count()).toBe(0);
  expect(await page.getByRole('button', { name: 'Confirm: Delete route default' }).textContent()).toBe('Delete default? codex asks for it');

  // A model the config has no more (a route renamed since): the card says its requests go nowhere.
  const written = readFileSync(file, 'utf8');
  writeFileSync(file, written.replace('model = "default"', 'model = "default-renamed-since"'));
  await dashboard.go('/connect');
  await expect.poll(() => codex.textContent()).toContain('asks for default-renamed-since, which is not here: connect it again');
  expect(h.gateway.config().routes.map((r) => r.name)).toEqual(['default']);
  expect(dashboard.notFound).toEqual([]);
});
