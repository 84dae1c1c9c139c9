/**
 * The playground tries an embedding route, in a real browser against the wire-format fakes: texts
 * a line each, embedded through OpenAI's or Ollama's front door with a fallback rehearsed, each
 * vector's size and how alike it is to the first, the trace (none of it breaking an axe-core rule), a
 * readable error when nothing could answer, and the request as a Node.js script that runs with the
 * official client.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { violations } from '../support/axe';
import { twoProviders, useDashboard } from '../support/dashboard';

const withEmbeddings = (upstreams: { ollama: string; openai: string }) => {
  const config = twoProviders(upstreams);
  return {
    ...config,
    deployments: [...config.deployments, { name: 'local-embed', provider: 'local', model: 'nomic-embed-text', type: 'embedding' }, { name: 'cloud-embed', provider: 'cloud', model: 'text-embedding-3-small', type: 'embedding' }],
    routes: [...config.routes, { name: 'embed', deployments: ['local-embed', 'cloud-embed'] }],
  };
};
const dashboard = useDashboard(withEmbeddings);
const run = promisify(execFile);
mkdirSync(join(process.cwd(), 'test-artifacts'), { recursive: true });
const scratch = mkdtempSync(join(process.cwd(), 'test-artifacts', 'embed-snippets-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
beforeAll(() => dashboard.logIn());

const cosine = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * b[i]!, 0) / Math.sqrt(a.reduce((s, x) => s + x * x, 0) * b.reduce((s, x) => s + x * x, 0));

it('embeds texts through the route, showing each vector, how alike it is to the first, and the fallback taken', async () => {
  const { page } = dashboard;
  await dashboard.openPlayground();
  // Listed apart from the chat routes and deployments.
  // (the list comes with the page's query of the client basics: polled, not read at once)
  await expect.poll(() => page.getByLabel('Model').locator('optgroup[label="Embeddings"] option').allTextContents()).toEqual(['embed', 'local-embed', 'cloud-embed']);
  await page.getByLabel('Model').selectOption('embed');
  // Chat's settings do not apply to an embedding request.
  expect(await page.getByLabel('Temperature').count()).toBe(0);
  expect(await page.getByLabel('API').locator('option').allTextContents()).toEqual(['OpenAI embeddings', 'Ollama embed']);
  await page.getByLabel('Texts to embed').fill('a cat\n\na dog\na car');
  await page.getByLabel('Simulate failure of local-embed').check();
  await page.getByRole('button', { name: 'Embed' }).click();
  const rows = page.getByTestId('vectors').locator('tbody tr');
  await expect.poll(() => rows.count()).toBe(3);
  // The same texts asked of the same deployment directly: the table shows their sizes and likeness.
  const direct = await (await fetch(`${dashboard.h.url}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'cloud-embed', input: ['a cat', 'a dog', 'a car'] }) })).json();
  const vectors = (direct.data as { embedding: number[] }[]).map((d) => d.embedding);
  const cells = await Promise.all([0, 1, 2].map((i) => rows.nth(i).locator('td').allTextContents()));
  expect(cells.map((c) => [c[0], c[1], c[3]])).toEqual([
    ['a cat', String(vectors[0]!.length), '-'],
    ['a dog', String(vectors[1]!.length), cosine(vectors[0]!, vectors[1]!).toFixed(3)],
    ['a car', String(vectors[2]!.length), cosine(vectors[0]!, vectors[2]!).toFixed(3)],
  ]);
  expect(cells[0]![2]).toBe(`${vectors[0]!.slice(0, 4).map((n) => n.toFixed(4)).join(', ')}${vectors[0]!.length > 4 ? ', ...' : ''}`);
  const trace = page.getByTestId('trace');
  await expect.poll(() => trace.textContent()).toContain('Answered by cloud-embed');
  expect(await trace.textContent()).toMatch(/local-embed.*simulated/s);
  expect(await trace.textContent()).not.toContain('first token');
  expect(await violations(page), 'the vectors and their trace').toEqual([]);
});

it('embeds through Ollama\'s front door, and says why when no deployment could answer', async () => {
  const { page } = dashboard;
  await dashboard.openPlayground();
  await page.getByLabel('Model').selectOption('embed');
  await page.getByLabel('API').selectOption({ label: 'Ollama embed' });
  await page.getByLabel('Texts to embed').fill('one text');
  await page.getByRole('button', { name: 'Embed' }).click();
  await expect.poll(() => page.getByTestId('trace').textContent()).toContain('Answered by local-embed');
  expect(await page.getByTestId('upstream').textContent()).toContain('/api/embed');

  await page.getByLabel('Simulate failure of local-embed').check();
  await page.getByLabel('Simulate failure of cloud-embed').check();
  await page.getByRole('button', { name: 'Embed' }).click();
  await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/simulated/);
  expect(await page.getByTestId('vectors').count()).toBe(0);
});

it('shows the embedding request as a Node.js script that runs with the official client', async () => {
  const { page } = dashboard;
  await dashboard.openPlayground();
  await page.getByLabel('Model').selectOption('embed');
  await page.getByLabel('Texts to embed').fill('a cat\na dog');
  await page.getByRole('tab', { name: 'Node.js' }).click();
  for (const [label, model] of [['OpenAI embeddings', 'text-embedding-3-small'], ['Ollama embed', 'nomic-embed-text']] as const) {
    await page.getByLabel('API').selectOption({ label });
    const script = (await page.locator('.card', { has: page.getByRole('heading', { name: /^As code/ }) }).locator('pre.snippet').textContent()) ?? '';
    const file = join(scratch, `${label.replace(/ /g, '-')}.mjs`);
    writeFileSync(file, script);
    const { stdout } = await run(process.execPath, [file], { timeout: 30_000 });
    expect(stdout.trim(), `${label} (${model})`).toMatch(/^2 vectors of \d+ numbers$/);
  }
});
