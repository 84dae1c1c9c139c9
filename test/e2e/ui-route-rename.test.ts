/**
 * Renaming a route on the Routes page, in a real browser (support/dashboard.ts): the card comes back
 * under its new name, its old name kept as an alias (the Aliases card lists it), so a tool connected
 * with the old name still reaches it and the Connect page does not call it lost; a name taken is
 * refused beside the field, and nothing changes.
 */
import { beforeAll, expect, it } from 'vitest';
import { twoProviders, useDashboard } from '../support/dashboard';

const dashboard = useDashboard(twoProviders);
beforeAll(() => dashboard.logIn());

it('renames a route, keeping its old name as an alias the connected tool still asks for', async () => {
  const { h, page } = dashboard;
  expect((await h.admin('/admin/api/connect/codex', { method: 'POST', body: JSON.stringify({ route: 'default' }) })).status).toBe(200);
  expect((await h.admin('/admin/api/routes', { method: 'POST', body: JSON.stringify({ name: 'taken', deployments: ['mini'] }) })).status).toBe(201);
  await dashboard.go('/routes');

  // A name taken: said beside the field, nothing renamed.
  await page.getByRole('button', { name: 'Rename route default' }).click();
  const form = page.getByRole('form', { name: 'Rename route default' });
  expect(await form.textContent()).toContain('Keep "default" as an alias, so tools that ask for it still reach this route (codex does)');
  await form.getByLabel('New name of default').fill('taken');
  await form.getByRole('button', { name: 'Rename' }).click();
  await expect.poll(() => form.textContent()).toContain('A route named "taken" exists already');
  expect(h.gateway.config().routes.map((r) => r.name)).toEqual(['default', 'taken']);

  await form.getByLabel('New name of default').fill('main');
  await form.getByRole('button', { name: 'Rename' }).click();
  await page.getByRole('heading', { name: 'Route main' }).waitFor();
  expect(await page.getByRole('heading', { name: 'Route default' }).count()).toBe(0);
  expect(h.gateway.config().aliases).toEqual({ default: 'main' });
  const aliases = page.locator('section', { has: page.getByRole('heading', { name: 'Aliases' }) });
  await expect.poll(() => aliases.textContent()).toMatch(/default.*main/);

  // Codex still asks for default, which the alias answers: connected, not lost.
  await dashboard.go('/connect');
  const codex = page.getByRole('heading', { name: /^Codex CLI/ });
  await expect.poll(() => codex.textContent()).toContain('connected: asks for default');
  expect(await codex.textContent()).not.toContain('not here');
  expect(dashboard.notFound).toEqual([]);
});
