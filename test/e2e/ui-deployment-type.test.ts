/**
 * A new deployment's type follows its model's name until it is chosen: the form defaulted every one
 * to chat, so an embedding model added from it (nomic-embed-text) was refused every chat and
 * answered no embeddings request, until someone found the Type field.
 */
import { beforeAll, expect, it } from 'vitest';
import { twoProviders, useDashboard } from '../support/dashboard';

const dashboard = useDashboard(twoProviders);
beforeAll(() => dashboard.logIn());

it("sets a new deployment's type to embedding for an embedding model's name, says why, and leaves a type once chosen", async () => {
  const { h, page } = dashboard;
  await dashboard.go('/routes');
  await page.getByRole('button', { name: 'Add deployment' }).click();
  await page.getByLabel('Deployment name').fill('vectors');
  await page.getByLabel('Provider').selectOption('local');
  const model = page.getByLabel('Model', { exact: true });
  const type = page.getByLabel('Type', { exact: true });
  await model.fill('nomic-embed-text');
  expect(await type.inputValue()).toBe('embedding');
  await page.getByText("its model's name says it embeds").waitFor();
  // A chat model's name turns it back.
  await model.fill('llama3.2:3b');
  expect(await type.inputValue()).toBe('chat');
  // Families that only embed, whose names do not say "embed".
  for (const name of ['bge-m3', 'all-minilm:33m', 'paraphrase-multilingual', 'hf.co/BAAI/bge-large-en-v1.5']) {
    await model.fill('llama3.2:3b');
    await model.fill(name);
    expect(await type.inputValue(), name).toBe('embedding');
  }
  await model.fill('mxbai-embed-large');
  expect(await type.inputValue()).toBe('embedding');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('cell', { name: /^vectors/ }).waitFor();
  expect(h.gateway.config().deployments.find((d) => d.name === 'vectors')).toMatchObject({ model: 'mxbai-embed-large', type: 'embedding' });

  // Chosen by hand, the type stays whatever the name.
  await page.getByRole('button', { name: 'Add deployment' }).click();
  await page.getByLabel('Deployment name').fill('odd');
  await page.getByLabel('Provider').selectOption('local');
  await type.selectOption('chat');
  await model.fill('my-embedder-chat');
  expect(await type.inputValue()).toBe('chat');
  expect(await page.getByText("its model's name says it embeds").count()).toBe(0);
});
