/**
 * Local models in a real browser (support/dashboard.ts): the Overview and the Routes page say
 * whether each Ollama deployment's model is in memory, "Load now" loads one that is not, before a
 * request waits for it, "Unload" frees one that is, and a deployment set to let the others answer meanwhile says so in the
 * request's decision.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { twoProviders, useDashboard } from '../support/dashboard';
import { startFakeOllama } from '../support/fake-ollama';

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

    // Loaded, it can be let go, and the badge and the button turn back.
    await page.getByRole('button', { name: "Unload llama's model" }).click();
    await expect.poll(() => state.textContent()).toContain('not loaded');
    await page.getByRole('button', { name: "Load llama's model now" }).waitFor();
    expect(ollama.requests.filter((r) => r.path === '/api/generate' && r.body.prompt === undefined).map((r) => r.body.keep_alive)).toEqual([0, undefined, 0]);
    expect(await page.getByRole('button', { name: "Unload mini's model" }).count()).toBe(0);
  });

  it('loads an embedding model with Load now too (an embed request of nothing: Ollama will not load one for a generate)', async () => {
    const { h, page, ollama } = dashboard;
    const before = h.gateway.config();
    h.gateway.applyConfig({ ...before, deployments: [...before.deployments, { name: 'vectors', provider: 'local', model: 'nomic-embed-text', type: 'embedding' }] }, 'test');
    try {
      await fetch(`${ollama.url}/api/generate`, { method: 'POST', body: JSON.stringify({ model: 'nomic-embed-text', keep_alive: 0 }) });
      await h.gateway.health.probeAll();
      await dashboard.go('/routes');
      const state = page.getByTestId('state-vectors').first();
      await expect.poll(() => state.textContent()).toContain('not loaded');
      await page.getByRole('button', { name: "Load vectors's model now" }).click();
      await expect.poll(() => state.textContent()).toContain('in memory');
      expect(ollama.requests.filter((r) => r.path === '/api/embed').map((r) => r.body)).toEqual([{ model: 'nomic-embed-text' }]);
      expect(await page.getByRole('alert').count()).toBe(0);
    } finally {
      h.gateway.applyConfig(before, 'test');
    }
  });

  it("says in a request's decision that an Ollama read an embed input cut to its window, as the client allowed", async () => {
    const { h, page } = dashboard;
    const before = h.gateway.config();
    h.gateway.applyConfig({ ...before, deployments: [...before.deployments, { name: 'vectors', provider: 'local', model: 'nomic-embed-text', type: 'embedding' }] }, 'test');
    try {
      await h.gateway.health.probeAll();
      const long = Array.from({ length: 12_000 }, (_, i) => `word${i}`).join(' ');
      expect((await h.ollama.embed({ model: 'vectors', input: long })).embeddings).toHaveLength(1);
      await dashboard.go('/usage');
      await page.getByTestId('usage-table').locator('tbody tr').first().click();
      await expect.poll(() => page.getByTestId('decision').textContent()).toContain('vectors read the input cut to its window, as the client allowed: tried after any that read it whole');
    } finally {
      h.gateway.applyConfig(before, 'test');
    }
  });

  it('says of an embedding model added as chat (the form\'s default type) what to change, as chat requests pass it over', async () => {
    const { h, page } = dashboard;
    const before = h.gateway.config();
    h.gateway.applyConfig({ ...before, deployments: [...before.deployments, { name: 'misfiled', provider: 'local', model: 'nomic-embed-text' }] }, 'test');
    try {
      await h.gateway.health.probeAll();
      await dashboard.go('/routes');
      await expect.poll(() => page.getByTestId('state-misfiled').first().textContent()).toContain('an embedding model: set its type to embedding');
      expect(await page.getByTestId('state-llama').first().textContent()).not.toContain('embedding model');
    } finally {
      h.gateway.applyConfig(before, 'test');
    }
  });

  it('offers nothing to load for a model its Ollama does not have: it says to pull it instead', async () => {
    const { h, page } = dashboard;
    const before = h.gateway.config();
    // And a tag its Ollama lacks of a model it has: the tag it has is offered as the one meant.
    h.gateway.applyConfig({ ...before, deployments: [...before.deployments, { name: 'gone', provider: 'local', model: 'mistral:7b' }, { name: 'small', provider: 'local', model: 'llama3.2:1b' }] }, 'test');
    try {
      await h.gateway.health.probeAll();
      await dashboard.go('/overview');
      const row = page.getByRole('row', { name: /^gone/ });
      await expect.poll(() => row.textContent()).toContain('ollama pull mistral:7b');
      expect(await row.textContent()).not.toMatch(/not loaded|in memory/);
      await dashboard.go('/routes');
      const state = page.getByTestId('state-gone').first();
      await expect.poll(() => state.textContent()).toContain('model not installed');
      expect(await state.textContent()).not.toContain('not loaded');
      expect(await page.getByRole('button', { name: "Load gone's model now" }).count()).toBe(0);
      expect(await state.textContent()).not.toContain('meant');
      await expect.poll(() => page.getByTestId('state-small').first().textContent()).toContain('model not installed (meant llama3.2:3b?)');
      await dashboard.go('/overview');
      await expect.poll(() => page.getByRole('row', { name: /^small/ }).textContent()).toContain('Not installed in local (it has llama3.2:3b: the one meant?): Pull it, or run "ollama pull llama3.2:1b" there');
    } finally {
      h.gateway.applyConfig(before, 'test');
    }
  });

  it('pulls a model its Ollama does not have from the page, and says why one could not be pulled', async () => {
    const { h, page, ollama } = dashboard;
    const before = h.gateway.config();
    h.gateway.applyConfig({ ...before, deployments: [...before.deployments, { name: 'qwen', provider: 'local', model: 'qwen3:8b' }, { name: 'nowhere', provider: 'local', model: 'no-such-model:1b' }] }, 'test');
    try {
      await h.gateway.health.probeAll();
      await dashboard.go('/routes');
      const state = page.getByTestId('state-qwen').first();
      await expect.poll(() => state.textContent()).toContain('model not installed');
      await page.getByRole('button', { name: "Pull qwen's model" }).click();
      // Done, and the report asked again: installed (and loaded by its first request, not by the pull).
      await expect.poll(() => state.textContent(), { timeout: 10_000 }).toContain('usable');
      expect(await state.textContent()).toContain('not loaded');
      expect(await page.getByRole('button', { name: "Pull qwen's model" }).count()).toBe(0);
      expect(ollama.requests.filter((r) => r.path === '/api/pull').map((r) => r.body)).toEqual([{ model: 'qwen3:8b', stream: true }]);

      await page.getByRole('button', { name: "Pull nowhere's model" }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('local did not pull no-such-model:1b: pull model manifest: file does not exist');
    } finally {
      h.gateway.applyConfig(before, 'test');
    }
  });

  it('updates an installed model from the page, and says whether its registry had a newer version', async () => {
    const { h, page } = dashboard;
    const other = await startFakeOllama({ models: ['mistral:7b'], newer: ['mistral:7b'] });
    const before = h.gateway.config();
    h.gateway.applyConfig({ ...before, providers: [...before.providers, { name: 'other', kind: 'ollama', baseUrl: other.url }], deployments: [...before.deployments, { name: 'mistral', provider: 'other', model: 'mistral:7b' }] }, 'test');
    try {
      await h.gateway.health.probeAll();
      await dashboard.go('/routes');
      const update = page.getByRole('button', { name: "Update mistral's model" });
      await update.click();
      const said = page.getByRole('status').filter({ hasText: /newer|up to date/ });
      await expect.poll(() => said.textContent(), { timeout: 10_000 }).toBe(' updated to its newer version');
      await update.click();
      await expect.poll(() => said.textContent(), { timeout: 10_000 }).toBe(' up to date: nothing newer');
      expect(other.requests.filter((r) => r.path === '/api/pull')).toHaveLength(2);
      // Only the Routes page offers it: the Overview keeps to what needs doing.
      await dashboard.go('/');
      await page.getByRole('heading', { name: 'Health' }).waitFor();
      expect(await page.getByRole('button', { name: "Update mistral's model" }).count()).toBe(0);
    } finally {
      h.gateway.applyConfig(before, 'test');
      await other.stop();
    }
  });

  it("shows a pull's progress as a bar with the bytes, and cancels it", async () => {
    const { h, page } = dashboard;
    // An Ollama on a slow line: each progress line comes a second after the last.
    const slow = await startFakeOllama({ models: [], pullStepMs: 1_000 });
    const before = h.gateway.config();
    h.gateway.applyConfig({ ...before, providers: [...before.providers, { name: 'slow', kind: 'ollama', baseUrl: slow.url }], deployments: [...before.deployments, { name: 'mistral', provider: 'slow', model: 'mistral:7b' }] }, 'test');
    try {
      await h.gateway.health.probeAll();
      await dashboard.go('/routes');
      await page.getByRole('button', { name: "Pull mistral's model" }).click();
      const bar = page.getByRole('progressbar', { name: "Pulling mistral's model" });
      // A layer under way: the bar has its size, and the bytes read as Ollama counts them.
      await expect.poll(() => bar.getAttribute('max'), { timeout: 10_000 }).toBe('2019377376');
      await expect.poll(() => page.getByTestId('pull-mistral').textContent()).toMatch(/\d\.\d of 2\.0 GB/);
      await page.getByRole('button', { name: "Cancel pulling mistral's model" }).click();
      await page.getByRole('button', { name: "Pull mistral's model" }).waitFor();
      expect(await bar.count()).toBe(0);
      expect(slow.requests.filter((r) => r.path === '/api/pull')).toHaveLength(1);
    } finally {
      h.gateway.applyConfig(before, 'test');
      await slow.stop();
    }
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

  it('lets a deployment\'s others answer while its model loads, set in its form, and says so in the request\'s decision', async () => {
    const { h, page, ollama } = dashboard;
    await dashboard.go('/routes');
    await page.getByRole('row', { name: /^llama/ }).getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel(/while its model is not in memory/).check();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => h.gateway.config().deployments.find((d) => d.name === 'llama')?.coldStart).toBe('fallback');
    // Unloaded, as Ollama does when its keep-alive runs out, and the route local first.
    await fetch(`${ollama.url}/api/generate`, { method: 'POST', body: JSON.stringify({ model: 'llama3.2:3b', keep_alive: 0 }) });
    await h.gateway.health.probeAll();
    h.gateway.applyConfig({ ...h.gateway.config(), routes: [{ name: 'default', deployments: ['llama', 'mini'] }] }, 'test');
    const { response } = await h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(response.headers.get('x-switchyard-deployment')).toBe('mini');
    await dashboard.go('/usage');
    await page.getByTestId('usage-table').locator('tbody tr').first().click();
    await expect.poll(() => page.getByTestId('decision').textContent()).toContain('llama after the others: its model was not in memory, and was being loaded');
    await page.keyboard.press('Escape');
  });
});
