/**
 * The Overview in a real browser lists the last day's breaker events: a local model that failed
 * opens its breaker (its requests go to the cloud), and a reset by hand closes it, with how long it
 * was open. Its recent failures say what each attempt's upstream said, not only its failure class,
 * and of a request whose client left, what it was doing then.
 */
import { beforeAll, expect, it } from 'vitest';
import { twoProviders, useDashboard } from '../support/dashboard';

const dashboard = useDashboard((upstreams) => {
  const config = twoProviders(upstreams);
  return {
    ...config,
    deployments: [{ ...config.deployments[0]!, breaker: { failures: 2, cooldownMs: 4_000 } }, config.deployments[1]!],
    routes: [{ name: 'default', deployments: ['llama', 'mini'] }],
  };
});
beforeAll(() => dashboard.logIn());

it('lists the breaker opening and its reset by hand, newest first', async () => {
  const { h, page } = dashboard;
  await dashboard.go('/');
  await page.getByText('No breaker opened in the last 24 hours').waitFor();

  await dashboard.ollama.setMode({ kind: 'status', status: 500 });
  for (let i = 0; i < 2; i++) {
    const answer = await h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'hi' }] });
    expect(answer.model).toBe('gpt-4.1-mini');
  }
  // The page asks every 10 s; opened afresh, it asks at once.
  await dashboard.go('/');
  const events = page.getByTestId('breaker-event');
  await expect.poll(() => events.count()).toBe(1);
  expect(await events.first().textContent()).toMatch(/llamaclosed → open2 consecutive failures$/);

  // Its cool-down over, the breaker stays open until a request tries it: the page says so, not "until" a time gone by.
  const breaker = page.getByRole('row', { name: /^llama/ }).filter({ has: page.getByRole('button', { name: 'Reset' }) });
  await expect.poll(async () => {
    await dashboard.go('/');
    return breaker.textContent();
  }, { timeout: 15_000, interval: 1_000 }).toContain('opencooled down: its next request tries it');
  expect(await breaker.locator('td[data-label="Status"]').textContent()).toMatch(/^cooled down/);
  // So does its route's list: nothing is being probed until that request comes.
  await dashboard.go('/routes');
  const badges = page.getByTestId('order-llama').first();
  await expect.poll(() => badges.textContent()).toContain('cooled down: its next request tries it');
  expect(await badges.textContent()).not.toContain('being probed');
  await dashboard.go('/');

  await dashboard.ollama.setMode({ kind: 'healthy' });
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect.poll(() => events.count()).toBe(2);
  expect(await events.first().textContent()).toMatch(/llamaopen → closedreset by hand \(open \d+ s\)$/);
  expect(await events.nth(1).textContent()).toContain('2 consecutive failures');
  expect(dashboard.notFound).toEqual([]);
});

it("says why each attempt of a failed request failed, in its upstream's words", async () => {
  const { h, page } = dashboard;
  await Promise.all([dashboard.ollama.setMode({ kind: 'refuse' }), dashboard.openai.setMode({ kind: 'status', status: 500 })]);
  try {
    await expect(h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'hi' }] }, { maxRetries: 0 })).rejects.toThrow();
  } finally {
    await Promise.all([dashboard.ollama.setMode({ kind: 'healthy' }), dashboard.openai.setMode({ kind: 'healthy' })]);
  }
  await dashboard.go('/');
  const why = page.getByRole('row', { name: /upstream_5xx/ }).first().locator('td[data-label="Why"]');
  await expect.poll(() => why.count()).toBe(1);
  expect(await why.textContent()).toMatch(/^llama: .*connection failed \(ECONNREFUSED\) > mini: 500 fake upstream error 500$/);
});

it('says of a client that left mid-answer that its deployment answered until then, and of one that left a deployment thinking, which one', async () => {
  const { h, page } = dashboard;
  // The first chunks, then silence: the client has part of an answer and leaves.
  await dashboard.openai.setMode({ kind: 'stall', chunks: 2 });
  await dashboard.ollama.setMode({ kind: 'slow-first-byte', delayMs: 5_000 });
  try {
    const left = new AbortController();
    const stream = await h.openai.chat.completions.create({ model: 'mini', stream: true, messages: [{ role: 'user', content: 'hi' }] }, { signal: left.signal });
    // The SDK ends its stream quietly once aborted.
    for await (const chunk of stream) if (chunk.choices[0]?.delta?.content) left.abort();
    expect(left.signal.aborted).toBe(true);
    const chats = () => dashboard.ollama.requests.filter((r) => r.body?.messages).length;
    const before = chats();
    const thinking = new AbortController();
    const asked = h.openai.chat.completions.create({ model: 'llama', messages: [{ role: 'user', content: 'think' }] }, { signal: thinking.signal, maxRetries: 0 }).catch(() => undefined);
    await expect.poll(chats).toBe(before + 1);
    thinking.abort();
    await asked;
  } finally {
    await Promise.all([dashboard.ollama.setMode({ kind: 'healthy' }), dashboard.openai.setMode({ kind: 'healthy' })]);
  }
  // The row of an answer cut short waits for its tokens to be counted (in a worker, loaded on first use).
  await expect.poll(() => h.gateway.usage.list({}, { limit: 10 }).rows.filter((r) => r.status === 499).length).toBe(2);
  await dashboard.go('/');
  const why = page.getByRole('row', { name: /499/ }).locator('td[data-label="Why"]');
  await expect.poll(() => why.count()).toBe(2);
  expect(await why.allTextContents()).toEqual(['llama: the client closed the connection', 'mini: answered > the client closed the connection']);
});
