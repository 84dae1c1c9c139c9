/**
 * A route's retry, fallback and breaker settings and a deployment's breaker, set from the dashboard
 * in a real browser: the config takes what the form says, the gateway acts on it (a failure the route
 * no longer moves on reaches the client; a status code it now moves on does not), what was set
 * elsewhere is kept, an emptied field goes back to its default, and a typo (or a failure rate given
 * in part) is named under its field with nothing sent.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { twoProviders, useDashboard } from '../support/dashboard';

// Set in the config file and not on the forms: kept through every save below.
const dashboard = useDashboard((upstreams) => {
  const config = twoProviders(upstreams);
  return {
    ...config,
    routes: [{ ...config.routes[0], breaker: { probeBudgetMs: 2_000 } }],
    deployments: config.deployments.map((d) => (d.name === 'llama' ? { ...d, breaker: { failureRate: { threshold: 0.5, minRequests: 20, windowMs: 60_000 } } } : d)),
  };
});
beforeAll(() => dashboard.logIn());

const route = () => dashboard.h.gateway.config().routes.find((r) => r.name === 'default');
const chat = () =>
  fetch(`${dashboard.h.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'hi' }] }) });

async function openRetry() {
  const { page } = dashboard;
  await dashboard.go('/routes');
  const card = page.locator('.card', { has: page.getByRole('heading', { name: 'Route default' }) });
  await card.getByText('Retry, fallback and breaker').click();
  return card;
}

describe("a route's card", () => {
  it('says which failures move the route on, and the gateway follows it', async () => {
    const { h } = dashboard;
    let card = await openRetry();
    await card.getByRole('checkbox', { name: /^Move on to the next deployment only on these failures/ }).check();
    const group = card.getByRole('group', { name: 'Failures that move default on' });
    // It opens on the gateway's default: the deployment's own failures, not a request found wrong.
    expect(await group.getByRole('checkbox', { name: 'rate limited (429)' }).isChecked()).toBe(true);
    expect(await group.getByRole('checkbox', { name: 'bad request (other 4xx)' }).isChecked()).toBe(false);
    await group.getByRole('checkbox', { name: 'rate limited (429)' }).uncheck();
    const codes = card.getByLabel('Status codes that move default on');
    await codes.fill('409, 99');
    await card.getByRole('button', { name: 'Save retry settings' }).click();
    await card.getByText('"99" is not a status code from 400 to 599').waitFor();
    expect(route()).not.toHaveProperty('fallbackOn');
    await codes.fill('409');
    // Enter in a field saves them, as the button does.
    await codes.press('Enter');
    await expect.poll(() => route()?.fallbackOn).toEqual(['connect', 'timeout', 'upstream_5xx', 'upstream_protocol', 'auth', 'model_missing', 'quota', 'context_length', 'unsupported', 409]);

    // A 409 from the first deployment now moves on to llama; a 429 reaches the client.
    await dashboard.openai.setMode({ kind: 'status', status: 409 });
    const moved = await chat();
    expect(moved.status).toBe(200);
    expect(moved.headers.get('x-switchyard-deployment')).toBe('llama');
    await dashboard.openai.setMode({ kind: 'status', status: 429, retryAfter: '0' });
    expect((await chat()).status).toBe(429);
    await dashboard.openai.setMode({ kind: 'healthy' });
    await h.admin('/admin/api/breakers/mini/reset', { method: 'POST' });

    // Unticked, the route goes back to the default.
    card = await openRetry();
    expect(await card.getByRole('group', { name: 'Failures that move default on' }).getByRole('checkbox', { name: 'rate limited (429)' }).isChecked()).toBe(false);
    expect(await codes.inputValue()).toBe('409');
    await card.getByRole('checkbox', { name: /^Move on to the next deployment only on these failures/ }).uncheck();
    await card.getByRole('button', { name: 'Save retry settings' }).click();
    await expect.poll(() => route()).not.toHaveProperty('fallbackOn');
  });

  it("sets the waits between retries and its deployments' breaker, keeping what the config file set", async () => {
    const { h } = dashboard;
    const card = await openRetry();
    await card.getByLabel('Breaker failures (default)').fill('two');
    await card.getByLabel('First retry after').fill('100');
    await card.getByRole('button', { name: 'Save retry settings' }).click();
    await card.getByText('"two" is not a number').waitFor();
    expect(route()?.retry?.backoffMs).toBeUndefined();
    // Changed elsewhere while the card is open (another window, the CLI): it stays, the card sends only what it changed.
    expect((await h.admin('/admin/api/routes/default', { method: 'PATCH', body: JSON.stringify({ retry: { attempts: 3 } }) })).status).toBe(200);
    await card.getByLabel('Breaker failures (default)').fill('2');
    await card.getByLabel('Breaker cool-down (default)').fill('30');
    await card.getByRole('button', { name: 'Save retry settings' }).click();
    await expect.poll(() => route()?.breaker).toEqual({ probeBudgetMs: 2_000, failures: 2, cooldownMs: 30_000 });
    expect(route()?.retry).toEqual({ attempts: 3, backoffMs: 100 });
    // mini sets no breaker of its own: the route's is what it runs with.
    const breakers = (await (await h.admin('/admin/api/breakers')).json()) as { breakers: { deployment: string; cooldownMs: number }[] };
    expect(breakers.breakers.find((b) => b.deployment === 'mini')?.cooldownMs).toBe(30_000);

    // The failure rate is one setting of three parts: given in part, the missing part is named.
    await card.getByLabel('Breaker failure rate (default)').fill('50');
    await card.getByLabel('Breaker rate requests (default)').fill('10');
    await card.getByRole('button', { name: 'Save retry settings' }).click();
    await card.getByText('give all three parts of the failure rate, or none').waitFor();
    await card.getByLabel('Breaker rate window (default)').fill('30');
    await card.getByRole('button', { name: 'Save retry settings' }).click();
    await expect.poll(() => route()?.breaker?.failureRate).toEqual({ threshold: 0.5, minRequests: 10, windowMs: 30_000 });

    for (const field of ['Breaker failures', 'Breaker cool-down', 'Breaker failure rate', 'Breaker rate requests', 'Breaker rate window']) await card.getByLabel(`${field} (default)`).fill('');
    await card.getByLabel('First retry after').fill('');
    await card.getByRole('button', { name: 'Save retry settings' }).click();
    await expect.poll(() => route()?.breaker).toEqual({ probeBudgetMs: 2_000 });
    expect(route()?.retry).toEqual({ attempts: 3 });
  });
});

describe("a deployment's form", () => {
  it('sets its own breaker over its route\'s, keeping its failure rate', async () => {
    const { h } = dashboard;
    const llama = () => h.gateway.config().deployments.find((d) => d.name === 'llama');
    const form = await dashboard.editDeployment('llama');
    await form.getByText('Breaker', { exact: true }).click();
    // The failure rate the config file set, as the form shows it.
    expect(await Promise.all(['Breaker failure rate', 'Breaker rate requests', 'Breaker rate window'].map((f) => form.getByLabel(`${f} (llama)`).inputValue()))).toEqual(['50', '20', '60']);
    await form.getByLabel('Breaker block (llama)').fill('half an hour');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('"half an hour" is not a number').waitFor();
    await form.getByLabel('Breaker block (llama)').fill('5');
    await form.getByLabel('Breaker failures (llama)').fill('1');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => llama()?.breaker).toEqual({ failureRate: { threshold: 0.5, minRequests: 20, windowMs: 60_000 }, failures: 1, blockMs: 300_000 });
  });
});
