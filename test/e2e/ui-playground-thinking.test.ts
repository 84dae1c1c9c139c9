/**
 * The playground with a thinking model (a local qwen3 that thinks by default), in a real browser:
 * what it thought is shown apart from its answer, folded once the answer came, through each of
 * the three APIs (chat's reasoning, Messages' thinking blocks, Responses' reasoning summary),
 * streamed or whole.
 */
import { expect, it } from 'vitest';
import { twoProviders, useDashboard } from '../support/dashboard';

const dashboard = useDashboard((upstreams) => {
  const config = twoProviders(upstreams);
  return { ...config, deployments: [...config.deployments, { name: 'qwen', provider: 'local', model: 'qwen3:8b', think: true }] };
});

it("shows what a thinking model thought apart from its answer, in each API's shape", async () => {
  const { page, ollama } = dashboard;
  // As `ollama pull qwen3:8b` there.
  expect((await fetch(`${ollama.url}/api/pull`, { method: 'POST', body: JSON.stringify({ model: 'qwen3:8b', stream: false }) })).status).toBe(200);
  await dashboard.logIn();
  await dashboard.go('/playground');
  await page.getByLabel('Model').selectOption('qwen');
  const turns: [string, boolean][] = [['openai', true], ['openai', false], ['anthropic', true], ['anthropic', false], ['responses', true], ['responses', false]];
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
