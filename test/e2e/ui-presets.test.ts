/**
 * Providers added from the Providers page's presets, in a real browser: each saved as that server
 * takes requests (its base URL, its key's usual variable, the APIs it serves beyond chat), and
 * Azure's, whose base URL holds each user's resource name, not saved until that is filled in.
 */
import { expect, it } from 'vitest';
import { twoProviders, useDashboard } from '../support/dashboard';

const dashboard = useDashboard(twoProviders);

it("adds providers from presets: local servers with text completions (real fill-in-the-middle), Gemini at Google's compatibility layer", async () => {
  const { page, h } = dashboard;
  await dashboard.logIn();
  await dashboard.go('/providers');
  const expected = {
    lmstudio: { baseUrl: 'http://127.0.0.1:1234/v1', apis: ['chat', 'completions'] },
    llamacpp: { baseUrl: 'http://127.0.0.1:8080/v1', apis: ['chat', 'completions'] },
    gemini: { baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai', apiKey: 'env:GEMINI_API_KEY' },
  };
  for (const [label, name] of [['LM Studio', 'lmstudio'], ['llama.cpp', 'llamacpp'], ['Google Gemini', 'gemini']] as const) {
    await page.getByRole('button', { name: label, exact: true }).click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => h.gateway.config().providers.find((p) => p.name === name)).toMatchObject(expected[name]);
    expect((await h.admin(`/admin/api/providers/${name}`, { method: 'DELETE' })).status).toBe(200);
  }
});

it("adds Azure OpenAI's v1 API once its resource's name is put in its base URL, serving chat and Responses", async () => {
  const { page, h } = dashboard;
  await dashboard.go('/providers');
  await page.getByRole('button', { name: 'Azure OpenAI', exact: true }).click();
  const form = page.locator('.card', { has: page.getByRole('heading', { name: 'New provider' }) });
  expect(await form.getByLabel('Base URL').inputValue()).toBe('https://YOUR-RESOURCE.openai.azure.com/openai/v1');
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await form.getByText("Put your Azure resource's name in place of YOUR-RESOURCE").waitFor();
  expect(h.gateway.config().providers.some((p) => p.name === 'azure')).toBe(false);
  await form.getByLabel('Base URL').fill('https://contoso-ai.openai.azure.com/openai/v1');
  expect(await form.getByText("Put your Azure resource's name in place of YOUR-RESOURCE").count()).toBe(0);
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect.poll(() => h.gateway.config().providers.find((p) => p.name === 'azure')).toEqual({
    name: 'azure',
    kind: 'openai',
    baseUrl: 'https://contoso-ai.openai.azure.com/openai/v1',
    apiKey: 'env:AZURE_OPENAI_API_KEY',
    apis: ['chat', 'responses'],
  });
});
