/**
 * The Usage page while tools make requests, in a real browser (support/dashboard.ts): the newest
 * page of requests and the sessions follow the log without a reload; an older page stays as read;
 * a session kept on the deployment it fell back to is let go from its view; a request's drawer shows
 * its prompt and answer once they are kept, and the request as a curl command that sends it again.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { twoProviders, useDashboard } from '../support/dashboard';

// The local model first, and each session kept where it was answered.
const dashboard = useDashboard((upstreams) => ({ ...twoProviders(upstreams), routes: [{ name: 'default', deployments: ['llama', 'mini'], stickySessions: true }] }));
beforeAll(() => dashboard.logIn());

const ask = (content: string, session?: string) =>
  dashboard.h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content }] }, session ? { headers: { 'x-switchyard-session': session } } : {});

describe('the usage page, live', () => {
  it('shows each request as it is logged, and the session it belongs to, without a reload', async () => {
    const { page } = dashboard;
    await dashboard.go('/usage');
    await page.getByText('No requests match these filters.').waitFor();
    await ask('first', 'live-session');
    const table = page.getByTestId('usage-table');
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 10_000 }).toBe(1);
    await ask('second', 'live-session');
    await ask('third');
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 10_000 }).toBe(3);
    await expect.poll(() => page.getByText('live-session').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await page.getByText('The newest first, updated as requests are logged.').count()).toBe(1);
    // The gateway here counts days in UTC, the browser lives in New York (vitest.config.ts): the page says whose is whose.
    await dashboard.go('/usage');
    expect(await page.getByTestId('chart-zone').textContent()).toBe("The charts count days and hours in the gateway's zone, UTC; the requests below show this browser's time (America/New_York).");
  });

  it('keeps an older page still while new requests arrive', async () => {
    const { page } = dashboard;
    for (let i = 0; i < 50; i++) await ask(`filler ${i}`);
    await dashboard.go('/usage');
    const table = page.getByTestId('usage-table');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(50);
    await page.getByRole('button', { name: 'Older' }).click();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(3);
    const read = await table.textContent();
    await ask('while reading an older page');
    // Longer than the newest page takes to follow the log (the test above).
    await page.waitForTimeout(4_000);
    expect(await table.textContent()).toBe(read);
    expect(await page.getByText('An older page: it stays as it was read.').count()).toBe(1);
    await page.getByRole('button', { name: 'Newer' }).click();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(50);
  });

  it('shows where a session fell back to and is kept, and lets it go back to the route\'s order', async () => {
    const { page, ollama } = dashboard;
    await ollama.setMode({ kind: 'status', status: 503 });
    const fellBack = await ask('while the local model is down', 'agent-session').withResponse();
    expect(fellBack.response.headers.get('x-switchyard-deployment')).toBe('mini');
    await ollama.setMode({ kind: 'healthy' });
    await dashboard.go('/usage');
    await page.getByRole('row', { name: 'Requests of session agent-session' }).click();
    const kept = page.getByTestId('session-kept');
    await expect.poll(() => kept.textContent()).toContain('Kept on mini (route default)');
    await kept.getByRole('button', { name: "Follow the route's order again" }).click();
    await page.getByText("Its next request follows each route's order.").waitFor();
    const after = await ask('the local model is back', 'agent-session').withResponse();
    expect(after.response.headers.get('x-switchyard-deployment')).toBe('llama');
  });

  it("shows a request's prompt and answer in its drawer once they are kept, and says so where they are not", async () => {
    const { h, page } = dashboard;
    const id = (await ask('before storing').withResponse()).response.headers.get('x-request-id');
    const settings = (logBodies: boolean) => h.admin('/admin/api/settings', { method: 'PATCH', body: JSON.stringify({ settings: { usage: { logBodies } } }) });
    expect((await settings(true)).status).toBe(200);
    try {
      await ask('the capital of France?');
      await dashboard.go('/usage');
      const table = page.getByTestId('usage-table');
      await table.locator('tbody tr').first().click();
      const answer = page.getByRole('group', { name: 'Answer as kept' });
      await expect.poll(() => answer.textContent()).toContain('Echo: the capital of France?');
      const request = page.getByRole('group', { name: 'Request as kept' });
      await request.locator('summary').click();
      // The request as the client sent it, laid out to read.
      expect(await request.locator('pre').textContent()).toContain('"content": "the capital of France?"');
      expect(await request.getByRole('link', { name: 'Download' }).getAttribute('href')).toMatch(/^\/admin\/api\/usage\/[^/]+\/bodies\/request$/);
      // Sent again as shown, by a shell: the same question, answered and logged again.
      const curl = page.getByRole('group', { name: 'Request as curl' });
      await curl.locator('summary').click();
      const command = (await curl.locator('pre').textContent()) ?? '';
      expect(command).toMatch(new RegExp(`^curl -sS '${h.url}/v1/chat/completions' -H 'content-type: application/json' --data-binary @- <<'JSON'\n`));
      const { stdout } = await promisify(execFile)('bash', ['-c', command], { timeout: 10_000 });
      expect(JSON.parse(stdout).choices[0].message.content).toBe('Echo: the capital of France?');

      await page.getByRole('button', { name: 'Close' }).click();
      await page.goto(`${h.url}/usage`);
      // Third newest: behind the one sent again and the one it sent.
      await table.locator('tbody tr').nth(2).click();
      await page.getByTestId('request-drawer').getByText(id!).waitFor();
      await expect.poll(() => page.getByTestId('request-drawer').textContent()).toContain('Not kept for this request: prompts and answers are stored only while "Store prompts and answers" is on');
      // Not kept is no failure: nothing the page asked for was missing.
      expect(dashboard.notFound).toEqual([]);
    } finally {
      await settings(false);
    }
  });
});

describe('the usage filters', () => {
  it('offer a route renamed since, as the log still has its requests, and filter by it', async () => {
    const { h, page } = dashboard;
    const route = (await h.admin('/admin/api/routes').then((r) => r.json())).routes.find((r: { name: string }) => r.name === 'default');
    const rename = (from: string, to: string) => h.admin(`/admin/api/routes/${from}`, { method: 'PUT', body: JSON.stringify({ ...route, name: to }) });
    expect((await rename('default', 'everyday')).status).toBe(200);
    try {
      await h.openai.chat.completions.create({ model: 'everyday', messages: [{ role: 'user', content: 'under the new name' }] });
      await dashboard.go('/usage');
      const select = page.getByLabel('Route', { exact: true });
      await expect.poll(() => select.locator('option').allTextContents()).toEqual(['all', 'everyday', 'default (not in the config now)']);
      await select.selectOption('default');
      const models = () => page.getByTestId('usage-table').locator('td[data-label="Model"]').allTextContents();
      await expect.poll(async () => (await models()).length).toBeGreaterThan(0);
      await expect.poll(async () => new Set((await models()).map((m) => m.replace(/ · stream$/, '')))).toEqual(new Set(['default']));
    } finally {
      expect((await rename('everyday', 'default')).status).toBe(200);
    }
  });

  it('offer the tools the log has requests from, chart requests and cost by tool, and filter by one', async () => {
    const { h, page } = dashboard;
    const codex = { 'user-agent': 'codex_cli_rs/0.98.0 (Mac OS 15.1.0; arm64)', originator: 'codex_cli_rs' };
    for (let i = 0; i < 2; i++) await h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: `from codex ${i}` }] }, { headers: codex });
    await dashboard.go('/usage');
    const select = page.getByLabel('Tool', { exact: true });
    // The earlier tests' requests came from the SDK and from curl.
    await expect.poll(() => select.locator('option').allTextContents()).toEqual(['all', 'Codex', 'OpenAI SDK (JS)', 'curl']);
    // Both tools in the charts' legends (recharts draws each as a list item).
    for (const title of ['Requests by tool', 'Cost by tool']) {
      const legend = page.locator('.card', { has: page.getByText(title, { exact: true }) }).locator('.recharts-legend-item-text');
      await expect.poll(() => legend.allTextContents()).toEqual(expect.arrayContaining(['Codex', 'OpenAI SDK (JS)']));
    }
    await select.selectOption('Codex');
    const from = () => page.getByTestId('usage-table').locator('td[data-label="From"]').allTextContents();
    await expect.poll(from).toEqual(['Codex', 'Codex']);
    // The charts are of Codex alone too.
    const legend = page.locator('.card', { has: page.getByText('Requests by tool', { exact: true }) }).locator('.recharts-legend-item-text');
    await expect.poll(() => legend.allTextContents()).toEqual(['Codex']);
    // The address says so, and the range too: a reload shows the same.
    expect(new URL(page.url()).search).toBe('?tool=Codex');
    await page.getByLabel('Time range').selectOption('30 days');
    await expect.poll(() => new URL(page.url()).search).toBe('?tool=Codex&days=30');
    await page.reload();
    await expect.poll(() => select.inputValue()).toBe('Codex');
    expect(await page.getByLabel('Time range').inputValue()).toBe('30 days');
    await expect.poll(from).toEqual(['Codex', 'Codex']);

    // The Overview adds up today per tool, each a link to its requests.
    await dashboard.go('/overview');
    const today = page.getByTestId('today-by-tool');
    await expect.poll(() => today.textContent()).toMatch(/Codex 2 requests, \$/);
    await today.getByRole('link', { name: 'Codex' }).click();
    await page.waitForURL(/\/usage\?tool=Codex$/);
    await expect.poll(() => page.getByLabel('Tool', { exact: true }).inputValue()).toBe('Codex');
    await expect.poll(from).toEqual(['Codex', 'Codex']);
  });
});
