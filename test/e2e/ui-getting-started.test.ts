/**
 * The Overview's "Getting started" in a real browser: what a new install still lacks (a model the
 * routes name that Ollama does not have, a tool pointed here or sending requests), each with where
 * to do it, gone once everything is done, and hidden for good by hand.
 */
import { beforeAll, expect, it } from 'vitest';
import { twoProviders, useDashboard } from '../support/dashboard';

const dashboard = useDashboard((upstreams) => {
  const config = twoProviders(upstreams);
  return { ...config, deployments: [...config.deployments, { name: 'qwen', provider: 'local', model: 'qwen3:8b' }] };
});
beforeAll(() => dashboard.logIn());

it('lists what is missing with where to do it, ticks each as it is done, and is gone when all are', async () => {
  const { h, page } = dashboard;
  await h.gateway.health.probeAll();
  await dashboard.go('/');
  const card = page.getByTestId('getting-started');
  await card.waitFor();
  const items = async () => (await card.locator('li').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
  expect(await items()).toEqual([
    `✓ Ollama answers at ${dashboard.ollama.url}`,
    '✗ Not installed yet: qwen3:8b · Pull them on the Routes page',
    '✓ A cloud provider takes over when the local model cannot answer',
    '✗ No tool points here yet (Claude Code, Codex, opencode, editors) · Point a tool here',
  ]);
  expect(await card.getByRole('link', { name: 'Pull them on the Routes page' }).getAttribute('href')).toBe('/routes');

  // A tool set up without a settings file (environment variables, an editor's box) is known by its
  // requests; the dashboard's own playground is no tool pointed here.
  const post = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'hi' }] }) };
  expect((await h.admin('/admin/api/playground', post)).status).toBe(200);
  await dashboard.go('/');
  await card.waitFor();
  expect((await items()).at(-1)).toBe('✗ No tool points here yet (Claude Code, Codex, opencode, editors) · Point a tool here');
  const sent = await fetch(`${h.baseUrl}/chat/completions`, { ...post, headers: { ...post.headers, 'user-agent': 'codex_cli_rs/0.98.0 (Ubuntu 24.04; x86_64) xterm-256color' } });
  expect(sent.status).toBe(200);
  await dashboard.go('/');
  await card.waitFor();
  await expect.poll(async () => (await items()).at(-1)).toBe('✓ Requests arrive from Codex');
  // The Connect page says so on Codex's card, and on no other.
  await dashboard.go('/connect');
  const codex = page.locator('.card', { has: page.getByRole('heading', { name: /^Codex CLI/ }) });
  await expect.poll(() => codex.textContent()).toContain('last request');
  expect(await page.getByText('last request').count()).toBe(1);

  // Claude Code pointed here, and the model not named any more: nothing is left, and the card goes.
  expect((await h.admin('/admin/api/connect/claude-code', { method: 'POST', body: '{}' })).status).toBe(200);
  const before = h.gateway.config();
  h.gateway.applyConfig({ ...before, deployments: before.deployments.filter((d) => d.name !== 'qwen') }, 'test');
  try {
    await dashboard.go('/');
    await page.getByRole('heading', { name: 'Health' }).waitFor();
    await expect.poll(() => card.count()).toBe(0);
    // The route Claude Code asks for renamed: the card is back, saying which tool to connect again.
    const ready = h.gateway.config();
    h.gateway.applyConfig({ ...ready, routes: ready.routes.map((r) => ({ ...r, name: `${r.name}-renamed` })) }, 'test');
    await dashboard.go('/');
    await card.waitFor();
    expect((await items()).at(-1)).toBe('✗ claude-code asks for default, which is no route here any more · Connect it again');
  } finally {
    h.gateway.applyConfig(before, 'test');
  }

  // Hidden by hand, it stays hidden after a reload, though the model is missing again.
  await dashboard.go('/');
  await card.waitFor();
  await page.getByRole('button', { name: 'Hide' }).click();
  expect(await card.count()).toBe(0);
  await dashboard.go('/');
  await page.getByRole('heading', { name: 'Health' }).waitFor();
  expect(await card.count()).toBe(0);
  expect(dashboard.notFound).toEqual([]);
});
