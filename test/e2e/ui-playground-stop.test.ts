/**
 * The playground's Stop: an answer under way (a cloud model that went silent mid-stream) is
 * stopped from the page; what came is kept, the gateway cancels the upstream request, and the
 * page is ready for the next turn at once instead of waiting out the provider's idle timeout. The
 * same for a turn sent through another front door (Messages), which the gateway runs in process.
 */
import { expect, it } from 'vitest';
import { twoProviders, useDashboard } from '../support/dashboard';

const dashboard = useDashboard(twoProviders);

it('stops a streamed answer under way, keeps what came and cancels it upstream', async () => {
  const { page, openai } = dashboard;
  await dashboard.logIn();
  await dashboard.openPlayground();
  // Its role, then "Echo:" and " stop", then nothing: the stream stays open and silent.
  await openai.setMode({ kind: 'stall', chunks: 3 });
  await page.getByLabel('Message').fill('stop me here');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect.poll(() => page.getByTestId('answer').textContent()).toBe('Echo: stop ');
  expect(await page.getByRole('button', { name: 'Answering...' }).isDisabled()).toBe(true);
  await page.getByRole('button', { name: 'Stop' }).click();

  await page.getByTestId('stopped').waitFor();
  expect(await page.getByTestId('stopped').textContent()).toBe('Stopped: the gateway cancelled the request upstream.');
  expect(await page.getByTestId('answer').textContent()).toBe('Echo: stop ');
  await expect.poll(() => openai.aborted.filter((r) => r.path === '/v1/chat/completions').length).toBe(1);
  expect(await page.getByRole('button', { name: 'Stop' }).count()).toBe(0);
  // No error shown: stopping is not a failure.
  expect(await page.getByRole('alert').count()).toBe(0);

  // The next turn goes at once.
  await openai.setMode({ kind: 'healthy' });
  await page.getByLabel('Message').fill('and now answer');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect.poll(() => page.getByTestId('answer').last().textContent()).toBe('Echo: and now answer');
});

it('stops a turn sent as Messages, which the gateway runs through that front door in process, and cancels it upstream too', async () => {
  const { page, openai } = dashboard;
  await dashboard.openPlayground();
  await page.getByLabel('API').selectOption({ label: 'Anthropic Messages' });
  await openai.setMode({ kind: 'hang' });
  const sent = openai.requests.length;
  await page.getByLabel('Message').fill('never answered');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect.poll(() => openai.requests.length).toBe(sent + 1);
  // Escape stops it too, wherever the focus is.
  await page.getByLabel('Temperature').focus();
  await page.keyboard.press('Escape');
  await page.getByTestId('stopped').waitFor();
  expect(await page.getByTestId('stopped').textContent()).toBe('Stopped before any of the answer came: the gateway cancelled the request upstream.');
  // The in-process request had no connection of its own to close: the browser's request stands for it.
  await expect.poll(() => openai.aborted.some((r) => r.body?.messages?.at(-1)?.content === 'never answered')).toBe(true);
  await openai.setMode({ kind: 'healthy' });
});
