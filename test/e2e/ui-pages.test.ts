/**
 * The dashboard's other pages in a real browser (support/dashboard.ts), on a gateway set up as the
 * dashboard tests leave one (two providers, two deployments, a route): live state and a budget's
 * meter, snippets that work as shown, connecting a tool, client keys, config history, local only,
 * an exposed gateway, a locked store's sign-in, and every page in light and dark (budgets: ui-budgets.test.ts).
 */
import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SHOTS, twoProviders, useDashboard } from '../support/dashboard';
import { fillDisk } from '../support/full-disk';
import type { FakeServer } from '../support/fake-server';
import { startGateway, type Harness } from '../support/harness';

const dashboard = useDashboard(twoProviders);
const { go, home, notFound } = dashboard;
let ollama: FakeServer, h: Harness, browser: Browser, page: Page;
beforeAll(async () => {
  ({ ollama, h, browser, page } = dashboard);
  // Traffic each deployment answered, for the charts.
  for (const model of ['llama', 'mini']) await h.openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] });
  await dashboard.logIn();
});

describe('the dashboard pages', () => {
  it('shows each deployment\'s live state beside the fallback order, and budgets on the Overview', async () => {
    const config = h.gateway.config();
    // Two models their providers do not have: an Ollama that lacks one is skipped; a cloud list is only a hint.
    const extra = [{ name: 'missing', provider: 'local', model: 'qwen9:1b' }, { name: 'typo', provider: 'cloud', model: 'gpt-9-typo' }];
    h.gateway.applyConfig({ ...config, deployments: [...config.deployments, ...extra], budgets: [{ name: 'monthly', scope: 'global', period: 'month', limitUsd: 20 }] }, 'test');
    h.gateway.breakers.get('mini').block('auth', Date.now(), '401 Incorrect API key');
    await go('/routes');
    await expect.poll(() => page.getByTestId('order-mini').first().textContent()).toContain('key refused');
    // What the model writes at most, from the bundled table: a longer ask is sent this.
    expect(await page.getByTestId('order-mini').first().textContent()).toContain('answers up to 32,768');
    expect(await page.getByTestId('order-llama').first().textContent()).toContain('usable');
    // One probe each: the cloud answered it, the local Ollama (refusing connections) did not.
    await ollama.setMode({ kind: 'refuse' });
    await h.gateway.health.probeAll();
    await ollama.setMode({ kind: 'healthy' });
    // The Routes page says so beside the order, as the Overview does: not "usable" in green.
    await go('/routes');
    await expect.poll(() => page.getByTestId('order-llama').first().textContent()).toContain('down: local failed last');
    await go('/overview');
    const meter = page.getByRole('meter', { name: /monthly/ });
    await meter.waitFor();
    expect(await meter.textContent()).toContain('of $20.00');
    await expect.poll(() => page.getByRole('row', { name: /^local / }).textContent()).toContain('its probe failed');
    expect(await page.getByRole('row', { name: /^cloud / }).textContent()).toMatch(/\d+ ms/);
    expect(await page.getByRole('row', { name: /^typo / }).textContent()).toContain("Not in cloud's model list: check the model name");
    await h.gateway.health.probeAll();
    await go('/overview');
    await expect.poll(() => page.getByRole('row', { name: /^missing / }).textContent()).toContain('Not installed in local: Pull it, or run "ollama pull qwen9:1b" there');
    await go('/routes');
    await expect.poll(() => page.getByTestId('state-missing').first().textContent()).toContain('model not installed');
    expect(await page.getByTestId('state-typo').first().textContent()).toContain("not in cloud's model list");
    h.gateway.breakers.reset('mini');
    h.gateway.applyConfig(config, 'test');
  });

  it('says on the Overview when the store cannot be written (a full disk), and stops saying it once it can', async () => {
    const db = h.gateway.db;
    const room = fillDisk(db);
    try {
      // A full disk; then requests whose rows need room.
      for (let i = 0; i < 20; i++) await h.openai.chat.completions.create({ model: 'llama', temperature: 0, messages: [{ role: 'user', content: `${'fill '.repeat(300)}${i}` }] });
      await go('/overview');
      await expect.poll(() => page.getByTestId('store-error').textContent()).toMatch(/^Requests are answered, but the store cannot be written: .*database or disk is full/);
    } finally {
      room();
    }
    await h.openai.chat.completions.create({ model: 'llama', temperature: 0, messages: [{ role: 'user', content: 'room again' }] });
    await go('/overview');
    await page.getByText('Requests today').waitFor();
    await expect.poll(() => page.getByTestId('store-error').count()).toBe(0);
  });

  it('says a login link opened while another program holds the store was not used, and signs in with it once that program is done', async () => {
    const token = h.gateway.sessions.issueLoginToken();
    const [other, signIn] = [new Database(h.gateway.db.name), await browser.newPage()];
    other.exec('BEGIN IMMEDIATE');
    try {
      await signIn.goto(`${h.url}/?token=${token}`);
    } finally {
      other.close(); // its transaction rolled back, the lock free
    }
    await signIn.getByText('The link was not used: open it again once that program is done').waitFor();
    await signIn.goto(`${h.url}/?token=${token}`);
    await signIn.getByRole('heading', { name: 'Overview' }).waitFor();
    await signIn.close();
  });

  it('gives Overview and playground a chat route this config has, the key header when keys are required, and names the requests no deployment served', async () => {
    const config = h.gateway.config();
    const llama = config.deployments.find((d) => d.name === 'llama')!;
    h.gateway.applyConfig(
      {
        ...config,
        deployments: [...config.deployments, { ...llama, name: 'vectors', model: 'nomic-embed-text', type: 'embedding' }],
        routes: [{ name: 'embed', deployments: ['vectors'] }, { name: 'team-chat', deployments: ['mini', 'llama'] }],
        settings: { ...config.settings, clientKeys: { required: true } },
      },
      'test',
    );
    try {
      // A request no deployment served: its row has no deployment, and no line of the latency chart.
      await h.openai.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }).catch(() => undefined);
      await go('/overview');
      const legend = page.locator('.recharts-legend-item-text');
      await legend.first().waitFor();
      for (const entry of await legend.allTextContents()) expect(entry).toMatch(/^(llama|mini) p(50|95)$/);
      // Every request of this file came within an hour or two: no line joins them, so their points are drawn large.
      const radii = await page.locator('.recharts-line-dots circle').evaluateAll((dots) => dots.map((dot) => dot.getAttribute('r')));
      expect(radii.length).toBeGreaterThan(0);
      expect(new Set(radii)).toEqual(new Set(['4']));
      // Recent failures says why a request no deployment saw failed: what its client was told.
      expect(await page.getByRole('row', { name: /401/ }).first().textContent()).toContain('The client key is not valid (unknown or revoked)');
      const snippet = page.locator('pre.snippet');
      await expect.poll(() => snippet.textContent()).toContain('"model":"team-chat"');
      expect(await snippet.textContent()).toContain("-H 'authorization: Bearer <your client key>'");
      await page.getByRole('tab', { name: 'OpenAI SDK' }).click();
      expect(await snippet.textContent()).toContain("apiKey: '<your client key>'");
      // The playground, before any pick, shows and sends the first chat route; the embedding ones come after, apart.
      await dashboard.openPlayground();
      await expect.poll(() => page.locator('pre.snippet', { hasText: 'curl ' }).textContent()).toContain('"model":"team-chat"');
      expect(await page.getByLabel('Model').inputValue()).toBe('team-chat');
      expect(await page.getByLabel('Model').locator('option').allTextContents()).toEqual(['team-chat', 'llama', 'mini', 'embed', 'vectors']);
      expect(await page.locator('pre.snippet', { hasText: 'curl ' }).textContent()).toContain("-H 'authorization: Bearer <your client key>'");
      // Nothing typed yet: the snippet still asks something (no messages is a request servers refuse).
      expect(await page.locator('pre.snippet', { hasText: 'curl ' }).textContent()).toContain('"messages":[{"role":"user","content":"Hello"}]');
      // On the Usage page the same request counts, under a name.
      await go('/usage');
      const bars = page.locator('.recharts-legend-item-text');
      await bars.first().waitFor();
      const names = await bars.allTextContents();
      expect(names).toContain('none answered');
      expect(names.every((n) => n.trim().length > 0)).toBe(true);
    } finally {
      h.gateway.applyConfig(config, 'test');
    }
  });

  it('connects Codex from the Connect page: every tool listed, the diff first, then written and undone', async () => {
    await go('/connect');
    for (const name of ['Claude Code', 'Codex CLI', 'opencode', 'Continue', 'Cline / Roo Code', 'VS Code (GitHub Copilot)', 'Xcode', 'Aider', 'Qwen Code', 'Crush', 'GitHub Copilot CLI', 'pi', 'Cline CLI', 'Zed', 'Open WebUI', 'OpenAI SDK', 'Ollama clients', 'Anthropic SDK']) {
      await page.getByRole('heading', { name: new RegExp(`^${name.replace(/[/()]/g, '\\$&')}`) }).waitFor();
    }
    // Every setting, long names and URLs too, stays inside its card with its copy button, also
    // at the width where the cards are narrowest (three to a row).
    await page.setViewportSize({ width: 1400, height: 900 });
    const overflowing = await page.locator('table[aria-label$=" settings"]').evaluateAll((tables) =>
      tables.filter((t) => t.scrollWidth > (t.parentElement as HTMLElement).clientWidth).map((t) => t.getAttribute('aria-label')),
    );
    await page.setViewportSize({ width: 1360, height: 900 });
    expect(overflowing).toEqual([]);
    await page.getByRole('button', { name: 'Connect Codex CLI' }).click();
    const panel = page.getByTestId('connect-codex');
    await expect.poll(() => panel.textContent()).toContain('wire_api = "responses"');
    const file = join(home.path, '.codex', 'config.toml');
    expect(existsSync(file)).toBe(false);
    await panel.getByRole('button', { name: 'Write it' }).click();
    await expect.poll(() => panel.textContent()).toContain('Wrote');
    expect(readFileSync(file, 'utf8')).toContain(`base_url = "${h.url}/v1"`);
    await expect.poll(() => page.getByRole('heading', { name: /^Codex CLI/ }).textContent()).toContain('connected: asks for default');
    await page.getByRole('button', { name: 'Undo' }).click();
    await panel.getByRole('button', { name: 'Restore the earlier file' }).click();
    await expect.poll(() => panel.textContent()).toContain('Restored');
    expect(existsSync(file)).toBe(false);
    await expect.poll(() => page.getByRole('heading', { name: /^Codex CLI/ }).textContent()).not.toContain('connected');
  });

  it('makes a key for one route, shows a route the config lost, and asks once more before revoking a key', async () => {
    await go('/settings');
    const routes = page.getByRole('group', { name: 'Routes the new key may use' });
    await routes.getByLabel('default', { exact: true }).check();
    await page.getByLabel('Key name').fill('ci-bot');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByTestId('new-key').waitFor();
    expect(h.gateway.keys.list().find((k) => k.name === 'ci-bot')?.allowedRoutes).toEqual(['default']);
    expect(await routes.getByLabel('default', { exact: true }).isChecked()).toBe(false);
    await page.getByRole('row', { name: /ci-bot/ }).getByText('default', { exact: true }).waitFor();
    // As an import that dropped a route leaves a key: it fails closed for the name, and the list says so.
    h.gateway.keys.create('old-bot', { allowedRoutes: ['dropped-route'] });
    await go('/settings');
    await page.getByRole('row', { name: /old-bot/ }).getByText('dropped-route: not in the config').waitFor();
    await page.getByRole('button', { name: 'Revoke ci-bot', exact: true }).click();
    const confirm = page.getByRole('button', { name: 'Confirm: Revoke ci-bot' });
    await confirm.waitFor();
    expect(h.gateway.keys.list().find((k) => k.name === 'ci-bot')?.revokedAt).toBeNull();
    await confirm.click();
    await expect.poll(() => h.gateway.keys.list().find((k) => k.name === 'ci-bot')?.revokedAt).not.toBeNull();
  });

  it('shows the config history, what restoring a revision would change, and restores it', async () => {
    expect((await h.admin('/admin/api/routes/default', { method: 'DELETE' })).status).toBe(200);
    const { revisions } = await h.admin('/admin/api/config/revisions').then((r) => r.json());
    const before = revisions[1].id as number;
    await go('/settings');
    await page.getByRole('cell', { name: 'admin api: DELETE /admin/api/routes/default' }).waitFor();
    await page.getByRole('button', { name: `What restoring ${before} changes` }).click();
    await page.getByRole('status').filter({ hasText: `Restoring ${before}` }).getByText('added route default').waitFor();
    await page.getByRole('button', { name: `Restore ${before}`, exact: true }).click();
    await page.getByRole('button', { name: `Confirm: Restore ${before}` }).click();
    await expect.poll(() => h.gateway.config().routes.map((r) => r.name)).toContain('default');
    // The new revision's source reads as words under its time, at the width where Settings is three cards to a row.
    await page.setViewportSize({ width: 1400, height: 900 });
    try {
      const source = page.getByText(`restore ${before}`, { exact: true });
      await source.waitFor();
      expect((await source.boundingBox())?.height).toBeLessThan(40);
    } finally {
      await page.setViewportSize({ width: 1360, height: 900 });
    }
  });

  it('switches local only on in Settings, says so on the Overview and beside each cloud deployment, and off from the Overview', async () => {
    await go('/settings');
    await page.getByRole('checkbox', { name: 'Send nothing to cloud providers' }).check();
    await expect.poll(() => h.gateway.localOnly()).toBe(true);
    await go('/overview');
    const notice = page.getByTestId('local-only');
    await expect.poll(() => notice.textContent()).toContain('Local only is on');
    await go('/routes');
    await expect.poll(() => page.getByTestId('order-mini').first().textContent()).toContain('skipped: local only');
    expect(await page.getByTestId('order-llama').first().textContent()).not.toContain('local only');
    await go('/overview');
    await page.getByRole('button', { name: 'Turn off' }).click();
    await expect.poll(() => h.gateway.localOnly()).toBe(false);
    await expect.poll(() => notice.count()).toBe(0);
    await go('/settings');
    expect(await page.getByRole('checkbox', { name: 'Send nothing to cloud providers' }).isChecked()).toBe(false);
  });

  it('gives a route another name on the Routes page, which a tool then reaches, and deletes it', async () => {
    await go('/routes');
    await page.getByLabel('Alias').fill('claude-*');
    await page.getByLabel(/^Stands for/).selectOption('default');
    await page.getByLabel('Alias').press('Enter'); // as "Add alias" does
    await expect.poll(() => h.gateway.config().aliases).toEqual({ 'claude-*': 'default' });
    await page.getByTestId('alias-claude-*').waitFor();
    const answer = await h.openai.chat.completions.create({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'x' }] });
    expect(answer.choices[0]?.message.content).toBe('Echo: x');
    await page.getByRole('button', { name: 'Delete alias claude-*' }).click();
    await page.getByRole('button', { name: 'Confirm: Delete alias claude-*' }).click();
    await expect.poll(() => h.gateway.config().aliases).toEqual({});
  });

  it('adds a route rule on the Routes page, names a bad value, and deletes the rule', async () => {
    expect((await h.admin('/admin/api/routes', { method: 'POST', body: JSON.stringify({ name: 'long', deployments: ['mini'] }) })).status).toBe(201);
    await go('/routes');
    await page.getByText('Rules (0)').first().click();
    await page.getByLabel('Rule trait for default').selectOption('minPromptTokens');
    await page.getByLabel('Rule value for default').fill('lots');
    await page.getByRole('button', { name: 'Add rule' }).first().click();
    await page.getByText('Give a whole number of tokens').waitFor();
    await page.getByLabel('Rule value for default').fill('32000');
    await page.getByLabel('Rule target for default').selectOption('long');
    await page.getByRole('button', { name: 'Add rule' }).first().click();
    await expect.poll(() => h.gateway.config().routes.find((r) => r.name === 'default')?.rules).toEqual([{ when: { minPromptTokens: 32000 }, use: 'long' }]);
    await expect.poll(() => page.getByLabel('Rules of default').textContent()).toContain('prompt ≥ 32,000 tokens');
    await page.getByRole('button', { name: 'Delete rule 1 of default' }).click();
    await expect.poll(() => h.gateway.config().routes.find((r) => r.name === 'default')?.rules).toBeUndefined();
    expect((await h.admin('/admin/api/routes/long', { method: 'DELETE' })).status).toBe(200);
  });

  it('shows client keys as required, and not to be switched off, on a gateway that listens beyond this machine', async () => {
    const exposed = await startGateway({ version: 1, providers: [], deployments: [], routes: [] }, { host: '0.0.0.0' });
    const other = await browser.newPage();
    try {
      await other.goto(`http://127.0.0.1:${exposed.port}/?token=${exposed.gateway.sessions.issueLoginToken()}`);
      await other.getByRole('heading', { name: 'Overview' }).waitFor();
      await other.goto(`http://127.0.0.1:${exposed.port}/settings`);
      const box = other.getByRole('checkbox', { name: /Require a client key for every request/ });
      await box.waitFor();
      expect(await box.isChecked()).toBe(true);
      expect(await box.isDisabled()).toBe(true);
      expect(await other.getByText('(always, while it listens beyond this machine)').count()).toBe(1);
    } finally {
      await other.close();
      await exposed.stop();
    }
  });

  it('renders every page in light and dark without errors', async () => {
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await page.evaluate((t) => localStorage.setItem('switchyard.theme', t), theme);
      for (const path of ['/overview', '/routes', '/providers', '/playground', '/connect', '/usage', '/settings']) {
        await go(path);
        await page.locator('main h1').waitFor();
        await expect.poll(() => page.getByText(/^Loading /).count(), { timeout: 10_000 }).toBe(0);
        expect(await page.locator('html').getAttribute('data-theme')).toBe(theme);
        await page.screenshot({ path: join(SHOTS, `${path.slice(1)}-${theme}.png`), fullPage: true });
      }
    }
    expect(notFound).toEqual([]);
  });
});
