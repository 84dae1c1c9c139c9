/**
 * Local models in a real browser (support/dashboard.ts): the Overview and the Routes page say
 * whether each Ollama deployment's model is in memory, and "Load now" loads one that is not, before
 * a request waits for it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { twoProviders, useDashboard } from '../support/dashboard';

const dashboard = useDashboard(twoProviders);
beforeAll(() => dashboard.logIn());

describe('local models', () => {
  it('shows which models are in memory, and loads one that is not with Load now', async () => {
    const { h, page, ollama } = dashboard;
    // Its keep-alive ran out: Ollama unloaded it (what a request with keep_alive 0 makes it do).
    await fetch(`${ollama.url}/api/generate`, { method: 'POST', body: JSON.stringify({ model: 'llama3.2:3b', keep_alive: 0 }) });
    await h.gateway.health.probeAll();
    // The Overview, the first page the desktop app shows, says so too, with the same button.
    await dashboard.go('/overview');
    await page.getByRole('button', { name: "Load llama's model now" }).waitFor();
    expect(await page.getByRole('row', { name: /^llama/ }).textContent()).toContain('not loaded');
    await dashboard.go('/routes');
    const state = page.getByTestId('state-llama').first();
    await expect.poll(() => state.textContent()).toContain('not loaded');
    // A cloud deployment has nothing to load.
    expect(await page.getByTestId('state-mini').first().textContent()).not.toMatch(/loaded|in memory/);
    expect(await page.getByRole('button', { name: "Load mini's model now" }).count()).toBe(0);

    await page.getByRole('button', { name: "Load llama's model now" }).click();
    await expect.poll(() => state.textContent()).toContain('in memory');
    expect(await page.getByRole('button', { name: "Load llama's model now" }).count()).toBe(0);
    expect(ollama.requests.filter((r) => r.path === '/api/generate' && r.body.prompt === undefined).map((r) => r.body.keep_alive)).toEqual([0, undefined]);
  });

  it('says why a model could not be loaded', async () => {
    const { h, page, ollama } = dashboard;
    await fetch(`${ollama.url}/api/generate`, { method: 'POST', body: JSON.stringify({ model: 'llama3.2:3b', keep_alive: 0 }) });
    await h.gateway.health.probeAll();
    await dashboard.go('/routes');
    await ollama.setMode({ kind: 'status', status: 500, body: { error: 'llama runner process has terminated: out of memory' } });
    try {
      await page.getByRole('button', { name: "Load llama's model now" }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('local did not load llama3.2:3b');
      expect(await page.getByRole('alert').textContent()).toContain('out of memory');
    } finally {
      await ollama.setMode({ kind: 'healthy' });
    }
  });
});
