/**
 * The playground's conversation outlives the page while the tab lives (ui/kept-state.ts), in a real
 * browser against the wire-format fakes: a trip to the Usage page and back, or a reload, finds the
 * turns, the settings and a message half typed as they were; leaving while an answer streams stops
 * it as Stop does (the gateway cancels it upstream) and keeps what came. Clear empties it for good.
 */
import { beforeAll, expect, it } from 'vitest';
import { twoProviders, useDashboard } from '../support/dashboard';

const dashboard = useDashboard(twoProviders);
beforeAll(() => dashboard.logIn());

const nav = (label: string) => dashboard.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label });

async function goTo(label: string): Promise<void> {
  await nav(label).click();
  await dashboard.page.getByRole('heading', { name: label, level: 1 }).waitFor();
}

it('keeps the conversation, its settings and a half-typed message across pages and a reload, until Clear', async () => {
  const { page } = dashboard;
  await dashboard.openPlayground();
  await page.getByLabel('API').selectOption({ label: 'Anthropic Messages' });
  await page.getByLabel('Temperature').fill('0.2');
  await page.getByPlaceholder('none (optional): sent with every turn').fill('Answer in French.');
  await page.getByLabel('Message').fill('first question');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect.poll(() => page.getByTestId('answer').textContent()).toBe('Echo: first question');
  await page.getByLabel('Message').fill('a second, not sent yet');

  const shown = async () => ({
    answers: await page.getByTestId('answer').allTextContents(),
    api: await page.getByLabel('API').inputValue(),
    temperature: await page.getByLabel('Temperature').inputValue(),
    system: await page.getByPlaceholder('none (optional): sent with every turn').inputValue(),
    message: await page.getByLabel('Message').inputValue(),
  });
  const before = await shown();
  expect(before).toEqual({ answers: ['Echo: first question'], api: 'anthropic', temperature: '0.2', system: 'Answer in French.', message: 'a second, not sent yet' });

  await goTo('Usage');
  await goTo('Playground');
  expect(await shown()).toEqual(before);
  await page.reload();
  await page.getByRole('heading', { name: 'Playground', level: 1 }).waitFor();
  expect(await shown()).toEqual(before);

  // The next turn carries the kept one: the conversation goes on where it was.
  const sent = dashboard.openai.requests.length;
  await page.getByRole('button', { name: 'Send' }).click();
  await expect.poll(() => page.getByTestId('answer').count()).toBe(2);
  const upstream = dashboard.openai.requests.slice(sent).find((r) => r.path === '/v1/chat/completions');
  expect(upstream?.body?.messages?.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);

  await page.getByRole('button', { name: 'Clear' }).click();
  await page.reload();
  await page.getByRole('heading', { name: 'Playground', level: 1 }).waitFor();
  expect(await page.getByTestId('answer').count()).toBe(0);
});

it('stops an answer under way when the page is left, cancels it upstream and keeps what came', async () => {
  const { page, openai } = dashboard;
  await dashboard.openPlayground();
  // Its role, then "Echo:" and " leave", then nothing: the stream stays open and silent.
  await openai.setMode({ kind: 'stall', chunks: 3 });
  try {
    await page.getByLabel('Message').fill('leave me here');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.getByTestId('answer').textContent()).toBe('Echo: leave ');
    await goTo('Usage');
    await expect.poll(() => openai.aborted.filter((r) => r.body?.messages?.at(-1)?.content === 'leave me here').length).toBe(1);
  } finally {
    await openai.setMode({ kind: 'healthy' });
  }
  await goTo('Playground');
  expect(await page.getByTestId('answer').textContent()).toBe('Echo: leave ');
  expect(await page.getByTestId('stopped').textContent()).toBe('Stopped: the gateway cancelled the request upstream.');
  // Ready for the next turn: nothing is still answering.
  expect(await page.getByRole('button', { name: 'Stop' }).count()).toBe(0);
  await page.getByLabel('Message').fill('and now answer');
  expect(await page.getByRole('button', { name: 'Send' }).isEnabled()).toBe(true);
});
