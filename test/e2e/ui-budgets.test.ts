/**
 * Budgets in a real browser (support/dashboard.ts): added, edited and deleted in Settings with a
 * meter on the Overview, and what requests in flight hold of one, on the meter and in a request's
 * routing decision.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { twoProviders, useDashboard } from '../support/dashboard';

const dashboard = useDashboard(twoProviders);
beforeAll(() => dashboard.logIn());

describe('budgets', () => {
  it('adds a budget in Settings, shows its meter on the Overview, edits and deletes it', async () => {
    const { h, page } = dashboard;
    await dashboard.go('/settings');
    await page.getByRole('button', { name: 'Add budget' }).click();
    const form = page.getByTestId('budget-form');
    await form.getByLabel('Name').fill('cloud-month');
    await form.getByRole('button', { name: 'Add' }).click();
    await expect.poll(() => form.getByText('Give the limit in US dollars').count()).toBe(1);
    await form.getByLabel('Limit (USD)').fill('12.5');
    await form.getByLabel(/^Counts/).selectOption('provider');
    await form.getByLabel(/^Provider/).selectOption('cloud');
    // Enter in a field adds it, as the button does.
    await form.getByLabel('Limit (USD)').press('Enter');
    await expect.poll(() => h.gateway.config().budgets).toEqual([{ name: 'cloud-month', scope: { provider: 'cloud' }, period: 'month', limitUsd: 12.5, onExceeded: 'skip-paid' }]);
    await expect.poll(() => page.getByTestId('budget-cloud-month').textContent()).toContain('of $12.50');
    // Its buttons side by side at the row's end, not one under the other in half a window.
    const boxes = await Promise.all(['Edit budget cloud-month', 'Delete budget cloud-month'].map((name) => page.getByRole('button', { name }).boundingBox()));
    expect(Math.abs((boxes[0]?.y ?? 0) - (boxes[1]?.y ?? 100))).toBeLessThan(2);
    await dashboard.go('/overview');
    await page.getByRole('meter', { name: /cloud-month/ }).waitFor();

    // The zone its periods start in, set in the config, is shown, kept by an edit of its limit, and set from the form.
    h.gateway.applyConfig({ ...h.gateway.config(), budgets: [{ name: 'cloud-month', scope: { provider: 'cloud' }, period: 'month', limitUsd: 12_500, timeZone: 'Asia/Tokyo' }] }, 'test');
    await dashboard.go('/settings');
    await expect.poll(() => page.getByTestId('budget-cloud-month').textContent()).toContain('per month (Asia/Tokyo)');
    // Grouped as money is read.
    expect(await page.getByTestId('budget-cloud-month').textContent()).toContain('$12,500.00');
    await page.getByRole('button', { name: 'Edit budget cloud-month' }).click();
    expect(await form.getByLabel('Zone the periods start in').inputValue()).toBe('Asia/Tokyo');
    await form.getByLabel('Limit (USD)').fill('30');
    await form.getByRole('button', { name: 'Save budget' }).click();
    await expect.poll(() => h.gateway.config().budgets?.[0]).toMatchObject({ limitUsd: 30, timeZone: 'Asia/Tokyo' });
    // Saved, the form closes once the page has read the config back: opened again only then (else it closes under the next edit).
    await form.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Edit budget cloud-month' }).click();
    await form.getByLabel('Zone the periods start in').fill('Europe/Pariss');
    await form.getByRole('button', { name: 'Save budget' }).click();
    await form.getByText('"Europe/Pariss" is not a known IANA time zone').waitFor();
    await form.getByLabel('Zone the periods start in').fill('Europe/Paris');
    await form.getByRole('button', { name: 'Save budget' }).click();
    await expect.poll(() => h.gateway.config().budgets?.[0]?.timeZone).toBe('Europe/Paris');
    await page.getByRole('button', { name: 'Delete budget cloud-month' }).click();
    await page.getByRole('button', { name: /Confirm/ }).click();
    await expect.poll(() => h.gateway.config().budgets).toEqual([]);
  });

  it("adds a budget of one tool, offered by the names the gateway knows tools by", async () => {
    const { h, page } = dashboard;
    await dashboard.go('/settings');
    await page.getByRole('button', { name: 'Add budget' }).click();
    const form = page.getByTestId('budget-form');
    await form.getByLabel('Name').fill('agent-day');
    await form.getByLabel('Limit (USD)').fill('5');
    await form.getByLabel(/^Per(?!iods)/).selectOption('day');
    await form.getByLabel(/^Counts/).selectOption('tool');
    const tool = form.getByLabel(/^Tool/);
    await expect.poll(() => tool.locator('option').allTextContents()).toEqual(expect.arrayContaining(['Claude Code', 'Codex']));
    await tool.selectOption('Codex');
    await form.getByLabel('When spent').selectOption('refuse');
    await form.getByRole('button', { name: 'Add' }).click();
    await expect.poll(() => h.gateway.config().budgets).toEqual([{ name: 'agent-day', scope: { tool: 'Codex' }, period: 'day', limitUsd: 5, onExceeded: 'refuse' }]);
    await expect.poll(() => page.getByTestId('budget-agent-day').textContent()).toContain('tool Codex, per day');
    await page.getByRole('button', { name: 'Delete budget agent-day' }).click();
    await page.getByRole('button', { name: /Confirm/ }).click();
    await expect.poll(() => h.gateway.config().budgets).toEqual([]);
  });

  it('shows what requests in flight hold on the meter, and a paid deployment tried last for it in the decision', async () => {
    const { h, page } = dashboard;
    // gpt-4.1-mini at $0.40 per million input tokens: about 1,000 tokens hold $0.0004, past this limit.
    h.gateway.applyConfig({ ...h.gateway.config(), budgets: [{ name: 'tiny', scope: 'global', period: 'day', limitUsd: 0.0001 }] }, 'test');
    const ask = () => fetch(`${h.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'word '.repeat(1_000) }] }) });
    // Slow enough to stay in flight while the page loads on a busy machine.
    await dashboard.openai.setMode({ kind: 'slow-first-byte', delayMs: 8_000 });
    const slow = ask();
    await expect.poll(() => dashboard.openai.requests.filter((r) => r.path === '/v1/chat/completions').length, { timeout: 3_000 }).toBeGreaterThan(0);
    await dashboard.go('/overview');
    await expect.poll(() => page.getByRole('meter', { name: /tiny/ }).textContent(), { timeout: 6_000 }).toMatch(/of \$0\.0001 \(\$0\.000\d+ more in flight\)/);
    // Cloud first on this route; with the budget held, the local model answers first.
    expect((await ask()).headers.get('x-switchyard-route')).toBe('llama:ok');
    await dashboard.go('/usage');
    await page.getByTestId('usage-table').locator('tbody tr').first().click();
    const decision = page.getByTestId('request-drawer').getByTestId('decision');
    await decision.waitFor();
    expect(await decision.textContent()).toContain('mini last: the requests in flight would spend its budget');
    expect((await slow).status).toBe(200);
    await dashboard.openai.setMode({ kind: 'healthy' });
    h.gateway.applyConfig({ ...h.gateway.config(), budgets: [] }, 'test');
  });
});
