/**
 * The dashboard's small edits in a real browser, made on a page that loaded before a change made
 * elsewhere (another window, the tray, the CLI): the route card's strategy and retry, the Settings
 * card and the budget form sent the whole route, settings or budget as the page had read them and
 * undid that change.
 * They now send only what they change (admin-patches.test.ts has the API's side).
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { twoProviders, useDashboard } from '../support/dashboard';
import type { Harness } from '../support/harness';

const dashboard = useDashboard(twoProviders);
let h: Harness;
let page: Page;
beforeAll(async () => {
  ({ h, page } = dashboard);
  await dashboard.logIn();
});

/** A change made elsewhere: the admin API, as another window or the tray makes it. */
const elsewhere = (path: string, method: string, body: unknown) => h.admin(`/admin/api/${path}`, { method, body: JSON.stringify(body) }).then((r) => expect(r.status).toBe(200));

describe('an edit on a page loaded before a change made elsewhere', () => {
  it("keeps the route's new order when the strategy, the cache and the retry are saved", async () => {
    await dashboard.go('/routes');
    const strategy = page.getByLabel('Strategy of default');
    await strategy.waitFor();
    await elsewhere('routes/default/order', 'PUT', { deployments: ['llama', 'mini'] });
    await strategy.selectOption('lowest-cost');
    await expect.poll(() => h.gateway.config().routes[0]?.strategy).toBe('lowest-cost');
    expect(h.gateway.config().routes[0]?.deployments).toEqual(['llama', 'mini']);
    await page.getByRole('checkbox', { name: 'Cache every answer' }).first().check();
    await expect.poll(() => h.gateway.config().routes[0]?.cache).toBe(true);

    await elsewhere('routes/default/order', 'PUT', { deployments: ['mini', 'llama'] });
    await page.getByText('Retry, fallback and breaker').click();
    await page.getByLabel('Attempts per deployment').fill('2');
    await page.getByRole('button', { name: 'Save retry settings' }).click();
    await expect.poll(() => h.gateway.config().routes[0]?.retry).toEqual({ attempts: 2 });
    expect(h.gateway.config().routes[0]).toMatchObject({ deployments: ['mini', 'llama'], strategy: 'lowest-cost', cache: true });
    await page.getByRole('checkbox', { name: 'Cache every answer' }).first().uncheck();
    await expect.poll(() => h.gateway.config().routes[0]?.cache).toBeUndefined();
  });

  it('keeps sessions on one deployment once ticked, shows why a session went where it did, and what the session did', async () => {
    await elsewhere('routes/default', 'PATCH', { strategy: null, retry: null });
    await dashboard.go('/routes');
    const keep = page.getByLabel('Keep each session on one deployment');
    await keep.check();
    await expect.poll(() => h.gateway.config().routes[0]?.stickySessions).toBe(true);
    expect(h.gateway.config().routes[0]?.deployments).toEqual(['mini', 'llama']);

    // mini fails once: the session moves to llama and stays there once mini is back.
    const ask = () => fetch(`${h.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-switchyard-session': 'ui-session' }, body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'hi' }] }) });
    await dashboard.openai.setMode({ kind: 'status', status: 500 });
    expect((await ask()).headers.get('x-switchyard-deployment')).toBe('llama');
    await dashboard.openai.reset();
    expect((await ask()).headers.get('x-switchyard-deployment')).toBe('llama');
    await dashboard.go('/usage');
    const table = page.getByTestId('usage-table');
    await table.locator('tbody tr').first().click();
    const drawer = page.getByTestId('request-drawer');
    await drawer.getByTestId('decision').waitFor();
    expect(await drawer.getByTestId('decision').textContent()).toContain('llama first: it answered this session last');
    // The session's requests, then every session added up.
    await drawer.getByRole('button', { name: 'Its requests' }).click();
    await page.getByTestId('session-filter').waitFor();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(2);
    await expect.poll(() => page.getByTestId('session-totals').textContent()).toMatch(/^2 requests · .* answered by llama$/);
    await page.getByRole('button', { name: 'Show every session' }).click();
    const session = page.getByRole('row', { name: 'Requests of session ui-session' });
    await session.waitFor();
    expect(await session.textContent()).toMatch(/anonymous2\s+1 fell backllama/);
    await session.click();
    await page.getByTestId('session-filter').waitFor();

    await dashboard.go('/routes');
    await keep.uncheck();
    await expect.poll(() => h.gateway.config().routes[0]?.stickySessions).toBeUndefined();
  });

  it('keeps local only, switched from the tray, when the Settings card is saved; says where data and notices go, and what the cache holds', async () => {
    await dashboard.go('/settings');
    const ttl = page.getByLabel('Cache TTL (seconds)');
    await ttl.waitFor();
    await elsewhere('settings', 'PATCH', { settings: { localOnly: true } });
    await ttl.fill('600');
    // Enter in a field saves the card, as its button does.
    await page.getByLabel('Keep Responses answers for previous_response_id (days)').fill('7');
    await page.getByLabel('Keep Responses answers for previous_response_id (days)').press('Enter');
    await expect.poll(() => h.gateway.config().settings?.cache?.ttlSeconds).toBe(600);
    expect(h.gateway.config().settings?.responses?.retentionDays).toBe(7);
    expect(h.gateway.config().settings?.localOnly).toBe(true);
    // The Server card says where the data is, how big, and how to copy it while it runs.
    expect(await page.getByTestId('data-dir').textContent()).toMatch(new RegExp(`^Data: ${h.dataDir} \\(\\d+(\\.\\d)? (KiB|MiB): `));
    await page.getByText(`switchyard backup FILE --data-dir ${h.dataDir}`).waitFor();
    // And where notices go: nowhere for a gateway started without a webhook, with how to send them;
    // a gateway that reads secrets from its environment takes a variable's name, not the URL.
    expect(await page.getByTestId('notices').textContent()).toMatch(/^Notices: none here\. A chat's incoming webhook .* set below, or SWITCHYARD_WEBHOOK_URL where switchyard serve starts, is told of .*\.$/);
    await page.getByLabel("env:NAME of a variable holding the chat webhook's URL").waitFor();
    // The cache's line counts in words of the right number: one answer kept, asked for once more.
    expect((await h.admin('/admin/api/cache', { method: 'DELETE' })).status).toBe(200);
    for (let i = 0; i < 2; i++) await h.openai.chat.completions.create({ model: 'llama', temperature: 0, messages: [{ role: 'user', content: 'the same question' }] });
    await page.reload();
    // Its size in the unit it reaches (it said "0.0 of 256 MiB").
    await page.getByText(/^1 cached answer, \d+(\.\d)? (B|KiB) of 256 MiB, 1 hit$/).waitFor();
  });

  it("keeps a deployment's fields changed elsewhere while its form was open, and saves what the form changed", async () => {
    await dashboard.go('/routes');
    await page.getByRole('row', { name: /mini/ }).getByRole('button', { name: 'Edit' }).click();
    const form = page.locator('.card', { has: page.getByRole('heading', { name: 'Edit mini' }) });
    await form.getByLabel('Model', { exact: true }).waitFor();
    const mini = h.gateway.config().deployments.find((d) => d.name === 'mini')!;
    await elsewhere('deployments/mini', 'PUT', { ...mini, timeWindows: [{ start: '22:00', end: '06:00' }] });
    await form.getByLabel('Model', { exact: true }).fill('gpt-4.1-nano');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => h.gateway.config().deployments.find((d) => d.name === 'mini')?.model).toBe('gpt-4.1-nano');
    expect(h.gateway.config().deployments.find((d) => d.name === 'mini')?.timeWindows).toEqual([{ start: '22:00', end: '06:00' }]);
  });

  it("keeps a budget's fields changed elsewhere while its form was open, and moves its scope whole", async () => {
    await h.admin('/admin/api/budgets', { method: 'POST', body: JSON.stringify({ name: 'team', scope: { route: 'default' }, period: 'month', limitUsd: 10 }) });
    await dashboard.go('/settings');
    await page.getByRole('button', { name: 'Edit budget team' }).click();
    const form = page.getByTestId('budget-form');
    await form.getByLabel('Limit (USD)').waitFor();
    await elsewhere('budgets/team', 'PATCH', { period: 'week' });
    await form.getByLabel('Limit (USD)').fill('20');
    await form.getByLabel(/^Counts/).selectOption('clientKey');
    await form.getByRole('button', { name: 'Save budget' }).click();
    await expect.poll(() => h.gateway.config().budgets?.find((b) => b.name === 'team')?.limitUsd).toBe(20);
    expect(h.gateway.config().budgets?.find((b) => b.name === 'team')).toMatchObject({ period: 'week', scope: { clientKey: 'anonymous' } });
  });

  it("keeps a provider's fields changed elsewhere while its form was open, and its key", async () => {
    await dashboard.go('/providers');
    await page.locator('.card', { has: page.getByRole('heading', { name: /^cloud/ }) }).getByRole('button', { name: 'Edit' }).click();
    const form = page.locator('.card', { has: page.getByRole('heading', { name: 'Edit cloud' }) });
    await form.getByLabel('Base URL').waitFor();
    const cloud = h.gateway.config().providers.find((p) => p.name === 'cloud')!;
    await elsewhere('providers/cloud', 'PUT', { ...cloud, timeouts: { firstByteMs: 5000 } });
    await form.getByLabel('Base URL').fill(`${cloud.baseUrl}/`);
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => h.gateway.config().providers.find((p) => p.name === 'cloud')?.baseUrl).toBe(`${cloud.baseUrl}/`);
    expect(h.gateway.config().providers.find((p) => p.name === 'cloud')).toMatchObject({ timeouts: { firstByteMs: 5000 }, apiKey: 'env:TEST_KEY', local: false });
  });
});

describe('a number typed wrong', () => {
  // JSON writes NaN as null, which a merge patch reads as "remove": "abc" in the cache TTL put it back
  // to its default with "Saved" beside it. Now the field says so and nothing is sent.
  it('is named under its field, and nothing is saved or sent', async () => {
    await elsewhere('settings', 'PATCH', { settings: { cache: { ttlSeconds: 600 } } });
    await dashboard.go('/settings');
    const ttl = page.getByLabel('Cache TTL (seconds)');
    await expect.poll(() => ttl.inputValue()).toBe('600');
    await ttl.fill('ten minutes');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('"ten minutes" is not a number').waitFor();
    expect(await page.getByText('Fix the highlighted fields: nothing was saved.').count()).toBe(1);
    expect(h.gateway.config().settings?.cache?.ttlSeconds).toBe(600);

    await page.getByLabel('Requests per minute').fill('lots');
    await page.getByLabel('Key name').fill('typo-key');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByText('"lots" is not a number').waitFor();
    expect(h.gateway.keys.list().some((k) => k.name === 'typo-key')).toBe(false);

    await dashboard.go('/routes');
    await page.getByText('Retry, fallback and breaker').click();
    await page.getByLabel('Attempts per deployment').fill('two');
    await page.getByRole('button', { name: 'Save retry settings' }).click();
    await page.getByText('"two" is not a number').waitFor();
    expect(h.gateway.config().routes[0]?.retry).toBeUndefined();

    await dashboard.openPlayground();
    const asked = dashboard.openai.requests.length + dashboard.ollama.requests.length;
    await page.getByLabel('Temperature').fill('warm');
    await page.getByText('"warm" is not a number').waitFor();
    await page.getByRole('textbox', { name: 'Message' }).fill('hi');
    expect(await page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
    await page.getByRole('textbox', { name: 'Message' }).press('Control+Enter');
    expect(dashboard.openai.requests.length + dashboard.ollama.requests.length).toBe(asked);
    await page.getByLabel('Temperature').fill('0.2');
    expect(await page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(false);
  });

  it('compares local answers with the cloud model the Settings card names, and the Overview says which', async () => {
    await dashboard.go('/settings');
    const label = page.getByLabel('Price local answers as (a cloud model)');
    await label.fill('claude-sonnet-4-5');
    await page.getByLabel('Its input price ($ per million tokens)').fill('3');
    await page.getByLabel('Its output price ($ per million tokens)').fill('15');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => h.gateway.config().settings?.usage?.compareWith).toEqual({ label: 'claude-sonnet-4-5', inputPerMTok: 3, outputPerMTok: 15 });
    await dashboard.go('/overview');
    const saved = page.locator('.stat', { hasText: 'Saved by local and cache' });
    await expect.poll(() => saved.getAttribute('title')).toMatch(/local answers at claude-sonnet-4-5's price$/);

    // Emptied: back to the default.
    await dashboard.go('/settings');
    await label.fill('');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => h.gateway.config().settings?.usage?.compareWith).toBeUndefined();
    await dashboard.go('/overview');
    await expect.poll(() => saved.getAttribute('title')).toMatch(/local answers at gpt-4.1-mini's price$/);
  });
});
