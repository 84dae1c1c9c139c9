/**
 * The playground with a thinking model (a local qwen3 that thinks by default), in a real browser:
 * what it thought is shown apart from its answer, folded once the answer came, through each of
 * the four APIs (chat's reasoning, Messages' thinking blocks, Responses' reasoning summary,
 * Ollama's thinking), streamed or whole; and how hard it is asked to think, which a route's rule
 * may route by.
 */
import { expect, it } from 'vitest';
import { twoProviders, useDashboard } from '../support/dashboard';

const dashboard = useDashboard((upstreams) => {
  const config = twoProviders(upstreams);
  return {
    ...config,
    deployments: [...config.deployments, { name: 'qwen', provider: 'local', model: 'qwen3:8b', think: true }, { name: 'qwen-asked', provider: 'local', model: 'qwen3:8b' }],
    // Requests that ask to think go to the thinking model.
    routes: [...config.routes, { name: 'deep', deployments: ['qwen-asked'] }, { name: 'smart', deployments: ['llama'], rules: [{ when: { thinking: true }, use: 'deep' }] }],
  };
});

it("shows what a thinking model thought apart from its answer, in each API's shape", async () => {
  const { page, ollama } = dashboard;
  // As `ollama pull qwen3:8b` there.
  expect((await fetch(`${ollama.url}/api/pull`, { method: 'POST', body: JSON.stringify({ model: 'qwen3:8b', stream: false }) })).status).toBe(200);
  await dashboard.logIn();
  await dashboard.openPlayground();
  await page.getByLabel('Model').selectOption('qwen');
  const turns: [string, boolean][] = [['openai', true], ['openai', false], ['anthropic', true], ['anthropic', false], ['responses', true], ['responses', false], ['ollama', true], ['ollama', false]];
  for (const [index, [api, stream]] of turns.entries()) {
    await page.getByLabel('API').selectOption(api);
    await page.getByLabel('Stream').setChecked(stream);
    await page.getByLabel('Message').fill(`think ${index}`);
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.getByTestId('answer').nth(index).textContent(), { message: `${api}, stream ${stream}` }).toBe(`Echo: think ${index}`);
    const thinking = page.getByTestId('thinking').nth(index);
    expect(await thinking.textContent(), `${api}, stream ${stream}`).toBe('ThinkingLet me think about it.');
    // Folded under the answer once it came.
    expect(await thinking.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(false);
  }
  // A model that does not think shows none.
  await page.getByLabel('Model').selectOption('llama');
  await page.getByLabel('Message').fill('plain');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect.poll(() => page.getByTestId('answer').last().textContent()).toBe('Echo: plain');
  expect(await page.getByTestId('thinking').count()).toBe(turns.length);
});

it("asks a model to think as hard as picked, in each API's words, and rehearses a route's rule for requests that think", async () => {
  const { page, ollama } = dashboard;
  await dashboard.openPlayground();
  await page.getByLabel('Model').selectOption('smart');
  const last = () => ollama.requests.filter((r) => r.path === '/api/chat').at(-1);
  const turns = [['openai', 'high'], ['anthropic', 'medium'], ['responses', 'low'], ['ollama', 'high']] as const;
  for (const [index, [api, effort]] of turns.entries()) {
    await page.getByLabel('API').selectOption(api);
    await page.getByLabel('Thinking').selectOption(effort);
    await page.getByLabel('Message').fill(`deep ${index}`);
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.getByTestId('answer').last().textContent(), { message: api }).toBe(`Echo: deep ${index}`);
    // The rule sent it to the thinking model, asked to think (qwen3 thinks on or off); what it thought is shown.
    expect(await page.getByTestId('trace').last().textContent(), api).toContain('Answered by qwen-asked');
    expect(last()?.body, api).toMatchObject({ model: 'qwen3:8b', think: true });
    expect(await page.getByTestId('thinking').last().textContent()).toBe('ThinkingLet me think about it.');
    if (api !== 'anthropic') continue;
    // A thinking budget, and no temperature (Anthropic takes none but 1 with thinking on).
    const curl = await page.locator('pre.snippet', { hasText: 'curl ' }).textContent();
    expect(curl).toContain('"thinking":{"type":"enabled","budget_tokens":4096}');
    expect(curl).not.toContain('temperature');
  }
  // Off: the route's first deployment answers, and a model that thinks by default is asked not to.
  await page.getByLabel('Thinking').selectOption('none');
  const thoughts = await page.getByTestId('thinking').count();
  await page.getByLabel('Message').fill('quick');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect.poll(() => page.getByTestId('answer').last().textContent()).toBe('Echo: quick');
  expect(await page.getByTestId('trace').last().textContent()).toContain('Answered by llama');
  await page.getByLabel('Model').selectOption('qwen');
  await page.getByLabel('Message').fill('no thoughts');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect.poll(() => page.getByTestId('answer').last().textContent()).toBe('Echo: no thoughts');
  expect(last()?.body).toMatchObject({ model: 'qwen3:8b', think: false });
  expect(await page.getByTestId('thinking').count()).toBe(thoughts);
});
