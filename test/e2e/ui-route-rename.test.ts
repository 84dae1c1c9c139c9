/**
 * Renaming a route on the Routes page, in a real browser (support/dashboard.ts): the card comes back
 * under its new name, its old name kept as an alias (the Aliases card lists it), so a tool connected
 * with the old name still reaches it and the Connect page does not call it lost; a name taken is
 * refused beside the field, and nothing changes. A deployment renamed from its form keeps its old
 * name as an alias too, unless unticked, and a weighted route's weights follow it.
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

it('renames a deployment from its form, keeping its old name as an alias unless unticked', async () => {
  const { h, page } = dashboard;
  await dashboard.go('/routes');
  const edit = (model: string) => page.locator('tr', { hasText: model }).getByRole('button', { name: 'Edit' }).click();
  await edit('gpt-4.1-mini');
  const form = page.locator('form', { has: page.getByLabel('Deployment name') });
  // Offered only once the name changes.
  expect(await form.textContent()).not.toContain('as an alias');
  await form.getByLabel('Deployment name').fill('cloud-mini');
  const keep = form.getByRole('checkbox', { name: 'Keep "mini" as an alias, so tools that ask for it still reach this deployment' });
  expect(await keep.isChecked()).toBe(true);
  await form.getByRole('button', { name: 'Save' }).click();
  // Closed once saved: another Edit before then would ask about the edits still being saved.
  await form.waitFor({ state: 'detached' });
  await expect.poll(() => h.gateway.config().aliases?.mini).toBe('cloud-mini');
  expect(h.gateway.config().deployments.map((d) => d.name)).toEqual(['llama', 'cloud-mini']);

  // Unticked: the old name goes with the rename.
  await edit('llama3.2:3b');
  await form.getByLabel('Deployment name').fill('local-llama');
  await form.getByRole('checkbox', { name: /^Keep "llama" as an alias/ }).uncheck();
  await form.getByRole('button', { name: 'Save' }).click();
  await form.waitFor({ state: 'detached' });
  await expect.poll(() => h.gateway.config().deployments.map((d) => d.name)).toEqual(['local-llama', 'cloud-mini']);
  expect(h.gateway.config().aliases?.llama).toBeUndefined();
  // Its Delete says the alias goes with it.
  await edit('gpt-4.1-mini');
  await form.getByRole('button', { name: 'Delete' }).click();
  expect(await form.getByRole('button', { name: /^Delete cloud-mini\?/ }).textContent()).toBe('Delete cloud-mini? Its alias mini goes with it.');
  await form.getByRole('button', { name: 'Cancel' }).click();
  expect(dashboard.notFound).toEqual([]);
});

it('deletes a renamed route with its alias, saying first which go and which tool asks for it', async () => {
  const { h, page } = dashboard;
  await dashboard.go('/routes');
  await page.getByRole('button', { name: 'Delete route main' }).click();
  const confirm = page.getByRole('button', { name: 'Confirm: Delete route main' });
  expect(await confirm.textContent()).toBe('Delete main? Its alias default goes with it. codex asks for it');
  await confirm.click();
  await expect.poll(() => h.gateway.config().routes.map((r) => r.name)).toEqual(['taken']);
  expect(h.gateway.config().aliases?.default).toBeUndefined();
  expect(dashboard.notFound).toEqual([]);
});

it("edits a weighted route's weights, each with its share of traffic, and they follow a deployment renamed from its form", async () => {
  const { h, page } = dashboard;
  expect((await h.admin('/admin/api/routes', { method: 'POST', body: JSON.stringify({ name: 'split', deployments: ['local-llama', 'cloud-mini'] }) })).status).toBe(201);
  await dashboard.go('/routes');
  expect(await page.getByTestId('weights-split').count()).toBe(0);
  await page.getByLabel('Strategy of split').selectOption('weighted');
  const weights = page.getByTestId('weights-split');
  await expect.poll(() => weights.textContent()).toContain('local-llama: 50% of traffic');
  await weights.getByLabel('Weight of local-llama').fill('3');
  await expect.poll(() => weights.textContent()).toContain('local-llama: 75% of traffic');
  await weights.getByLabel('Weight of cloud-mini').fill('one');
  await weights.getByRole('button', { name: 'Save weights' }).click();
  await expect.poll(() => weights.textContent()).toContain('"one" is not a number');
  await expect.poll(() => weights.textContent()).toContain('cloud-mini: not a number');
  expect(h.gateway.config().routes.find((r) => r.name === 'split')?.weights).toBeUndefined();
  await weights.getByLabel('Weight of cloud-mini').fill('0');
  await expect.poll(() => weights.textContent()).toContain('cloud-mini: only when the others cannot answer');
  // Enter in a weight saves them, as the button does.
  await weights.getByLabel('Weight of cloud-mini').press('Enter');
  await expect.poll(() => h.gateway.config().routes.find((r) => r.name === 'split')?.weights).toEqual({ 'local-llama': 3, 'cloud-mini': 0 });
  await expect.poll(() => weights.textContent()).toContain('Saved: traffic follows these weights');

  await page.locator('tr', { hasText: 'gpt-4.1-mini' }).getByRole('button', { name: 'Edit' }).click();
  const form = page.locator('form', { has: page.getByLabel('Deployment name') });
  await form.getByLabel('Deployment name').fill('mini-2');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect.poll(() => h.gateway.config().routes.find((r) => r.name === 'split')?.weights).toEqual({ 'local-llama': 3, 'mini-2': 0 });
  await expect.poll(() => weights.textContent()).toContain('mini-2: only when the others cannot answer');
  expect(dashboard.notFound).toEqual([]);
});
