/**
 * The Providers page in a real browser shows what a server was found to refuse, in words, on its
 * provider's card, and Forget makes the next request go as the client sent it; and how the
 * gateway's probes found each provider (up, or down and why).
 */
import { beforeAll, expect, it } from 'vitest';
import { twoProviders, useDashboard } from '../support/dashboard';

const dashboard = useDashboard((upstreams) => {
  const config = twoProviders(upstreams);
  // OpenAI serves its -codex models by Responses alone: a chat request learns so from its refusal.
  return { ...config, deployments: [...config.deployments, { name: 'codex', provider: 'cloud', model: 'gpt-5.1-codex' }] };
});
beforeAll(() => dashboard.logIn());

it("shows what the cloud provider's server refused on its card, and forgets it", async () => {
  const { h, page } = dashboard;
  const ask = () => h.openai.chat.completions.create({ model: 'codex', messages: [{ role: 'user', content: 'hi' }] });
  const chatRequests = () => dashboard.openai.requests.filter((r) => r.path === '/v1/chat/completions').length;
  await ask();
  expect(chatRequests()).toBe(1);

  await dashboard.go('/providers');
  const learned = page.getByLabel('Learned about cloud');
  await learned.waitFor();
  expect(await learned.textContent()).toContain('gpt-5.1-codex is served by the Responses API alone: chat goes to it that way');
  expect(await page.getByLabel('Learned about local').count()).toBe(0);

  await learned.getByRole('button', { name: 'Forget what was learned' }).click();
  await expect.poll(() => learned.count()).toBe(0);
  await ask();
  expect(chatRequests()).toBe(2);
});

it("shows on each provider's card how the gateway's probes found it, and why it is down", async () => {
  const { h, page, ollama } = dashboard;
  // Before any probe, the cloud provider's status comes from its answers to the requests above.
  await dashboard.go('/providers');
  await expect.poll(() => page.getByTestId('provider-health-cloud').textContent()).toBe('up · from its answers, not probed yet');
  await h.gateway.health.probeAll();
  await dashboard.go('/providers');
  const local = page.getByTestId('provider-health-local');
  await expect.poll(() => local.textContent()).toMatch(/^up · probed \d\d:\d\d(\s?[AP]M)?, \d+ ms$/);
  await ollama.setMode({ kind: 'refuse' });
  try {
    await h.gateway.health.probeAll();
    await dashboard.go('/providers');
    // Why, under the card's name, without the name again.
    await expect.poll(() => local.textContent()).toMatch(/^down · probed \d\d:\d\d(\s?[AP]M)?connection failed \(ECONNREFUSED\)$/);
  } finally {
    await ollama.setMode({ kind: 'healthy' });
  }
});

it("says on a provider's card that answers its probe which of its deployments fail, as in a cloud API's outage", async () => {
  const { h, page, openai } = dashboard;
  await openai.setMode({ kind: 'status', status: 503 });
  try {
    // Five failures in a row open the deployment's breaker (the SDK's retries are off).
    for (let i = 0; i < 5; i++) await expect(h.openai.chat.completions.create({ model: 'mini', messages: [{ role: 'user', content: 'hi' }] })).rejects.toThrow();
  } finally {
    await openai.setMode({ kind: 'healthy' });
  }
  // Its models list still answers: the provider is up, and says which deployment fails.
  await h.gateway.health.probeAll();
  await dashboard.go('/providers');
  const cloud = page.getByTestId('provider-health-cloud');
  await expect.poll(() => cloud.textContent()).toMatch(/^up · probed .+ msbut 1 of its 2 deployments fail: mini \(last: .*503.*\)$/);
  await expect.poll(() => page.getByTestId('provider-health-local').textContent()).not.toContain('fail');
  h.gateway.breakers.reset('mini');
  await dashboard.go('/providers');
  await expect.poll(() => cloud.textContent()).not.toContain('fail');
});

it('says a provider whose config turns probes off will not be probed, rather than "not probed yet" for ever', async () => {
  const { h, page } = dashboard;
  const config = h.gateway.config();
  const spare = { name: 'spare', kind: 'openai' as const, baseUrl: config.providers.find((p) => p.name === 'cloud')?.baseUrl as string, healthCheck: { intervalMs: 0 } };
  h.gateway.applyConfig({ ...config, providers: [...config.providers, spare] }, 'test');
  await dashboard.go('/providers');
  await expect.poll(() => page.getByTestId('provider-health-spare').textContent()).toBe('unknown · probes off, and no request sent to it yet');
  await dashboard.go('/overview');
  await expect.poll(() => page.getByRole('row', { name: /^spare openai/ }).textContent()).toContain('probes off');
  // Those it probes still say they wait for one.
  expect(await page.getByRole('row', { name: /^local ollama/ }).textContent()).not.toContain('probes off');
});
