/**
 * Building a gateway through the dashboard, in a real browser (support/dashboard.ts): sign-in,
 * providers, deployments and their forms, a route ordered by keyboard, a time window, the
 * playground, and the usage it all left. One scenario: each test builds on the state the ones
 * before it left.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SHOTS, useDashboard } from '../support/dashboard';
import type { FakeServer } from '../support/fake-server';
import type { Harness } from '../support/harness';
import { run, useCliCleanups } from '../support/cli';

const dashboard = useDashboard(() => ({ version: 1, providers: [], deployments: [], routes: [] }));
// The login-link command it runs gets a HOME of its own, removed after the file.
useCliCleanups();
const { go, notFound } = dashboard;
let ollama: FakeServer;
let openai: FakeServer;
let h: Harness;
let browser: Browser;
let page: Page;
beforeAll(() => void ({ ollama, openai, h, browser, page } = dashboard));

describe('building a gateway in the dashboard', () => {
  it('asks for the login link without a session, and the admin API answers 401', async () => {
    await go('/');
    await expect.poll(() => page.getByText('Sign in to Switchyard').isVisible()).toBe(true);
    const status = await page.evaluate(async () => (await fetch('/admin/api/providers')).status);
    expect(status).toBe(401);
    // The command it shows, run as shown (the built CLI for `npm run switchyard --`), prints a link that
    // signs in here: it names this gateway's data dir, where a link is kept.
    const command = (await page.locator('pre', { hasText: 'login-link' }).textContent()) ?? '';
    expect(command).toBe(`npm run switchyard -- login-link --port ${h.port} --data-dir ${h.dataDir}`);
    const issued = run(command.replace('npm run switchyard -- ', '').split(' '));
    expect(issued).toMatchObject({ code: 0, stderr: '' });
    await go(issued.stdout.trim().replace(h.url, ''));
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.context().clearCookies();
  });

  it('logs in through the one-time link, which does not work twice', async () => {
    const token = h.gateway.sessions.issueLoginToken();
    await go(`/?token=${token}`);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(page.url()).toBe(`${h.url}/`);
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === `switchyard_session_${h.port}`)).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    const other = await browser.newPage();
    await other.goto(`${h.url}/?token=${token}`);
    await other.getByText('already used or has expired').waitFor();
    await other.close();
  });

  it('adds two providers and two deployments', async () => {
    await go('/providers');
    await page.getByRole('button', { name: 'Ollama', exact: true }).click();
    await page.getByLabel('Provider name').fill('local');
    await page.getByLabel('Base URL').fill(ollama.url);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('heading', { name: /local/ }).waitFor();

    // Pasted, with the spaces a paste brings: what is saved is what was meant.
    await page.getByRole('button', { name: 'Custom (OpenAI-compatible)' }).click();
    await page.getByLabel('Provider name').fill('cloud ');
    await page.getByLabel('Base URL').fill(` ${openai.url}/v1\n`);
    await page.getByLabel('API key reference').fill('env:TEST_KEY ');
    // An unsaved provider is tested with a key typed in, never with a stored one sent to a new host.
    await page.getByRole('button', { name: 'Test connection' }).last().click();
    await page.getByText('type the key in to test this one').waitFor();
    await page.getByLabel('API key value').fill('sk-typed-for-the-test');
    await page.getByRole('button', { name: 'Test connection' }).last().click();
    await page.getByText(/Connected in \d+ ms: 1 model$/).waitFor();
    expect(openai.requests.at(-1)?.headers.authorization).toBe('Bearer sk-typed-for-the-test');
    await page.getByLabel('API key value').fill('');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('key set ····1234').waitFor();

    await go('/routes');
    for (const [name, provider, model] of [
      ['llama', 'local', 'llama3.2:3b'],
      ['mini', 'cloud', ' gpt-4.1-mini '],
    ]) {
      await page.getByRole('button', { name: 'Add deployment' }).click();
      await page.getByLabel('Deployment name').fill(name as string);
      await page.getByLabel('Provider').selectOption(provider as string);
      await page.getByLabel('Model', { exact: true }).fill(model as string);
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByRole('cell', { name: new RegExp(`^${name}`) }).waitFor();
    }
    expect(h.gateway.config().deployments.map((d) => [d.name, d.model])).toEqual([['llama', 'llama3.2:3b'], ['mini', 'gpt-4.1-mini']]);
    expect(h.gateway.config().providers.map((p) => [p.name, p.baseUrl, p.apiKey])).toEqual([['local', ollama.url, undefined], ['cloud', `${openai.url}/v1`, 'env:TEST_KEY']]);
  });

  it('keeps what the provider form does not show when a provider is edited and saved', async () => {
    const extras = { timeouts: { firstByteMs: 1234 }, headers: { 'x-team': 'blue' }, maxConcurrent: 7 };
    const put = await h.admin('/admin/api/providers/cloud', { method: 'PUT', body: JSON.stringify({ name: 'cloud', kind: 'openai', baseUrl: `${openai.url}/v1`, ...extras }) });
    expect(put.status).toBe(200);
    await go('/providers');
    await page.locator('section.card', { has: page.getByRole('heading', { name: /^cloud/ }) }).getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('heading', { name: 'Edit cloud' }).waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('heading', { name: 'Edit cloud' }).waitFor({ state: 'detached' });
    expect(h.gateway.config().providers.find((p) => p.name === 'cloud')).toMatchObject({ ...extras, apiKey: 'env:TEST_KEY' });
    await go('/routes');
  });

  it('takes prices typed key by key, keeps one price while the other is retyped, and names a typo without saving', async () => {
    await go('/routes');
    const edit = async () => {
      await page.getByRole('row', { name: /^mini/ }).getByRole('button', { name: 'Edit' }).click();
      await page.getByRole('heading', { name: 'Edit mini' }).waitFor();
    };
    const saved = async () => {
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByRole('heading', { name: 'Edit mini' }).waitFor({ state: 'detached' });
      return h.gateway.config().deployments.find((d) => d.name === 'mini');
    };
    await edit();
    // Typed as people type: "0." on the way to "0.4" must not lose its point.
    await page.getByLabel('Input price').pressSequentially('0.4');
    await page.getByLabel('Output price').pressSequentially('1.6');
    expect((await saved())?.pricing).toEqual({ inputPerMTok: 0.4, outputPerMTok: 1.6 });
    await edit();
    await page.getByLabel('Input price').fill('');
    expect(await page.getByLabel('Output price').inputValue()).toBe('1.6');
    await page.getByLabel('Input price').pressSequentially('0.5');
    expect((await saved())?.pricing).toEqual({ inputPerMTok: 0.5, outputPerMTok: 1.6 });
    // Cached prompt tokens have their own price, kept through the next edit.
    await edit();
    await page.getByLabel('Cache read price').pressSequentially('0.125');
    expect((await saved())?.pricing).toEqual({ inputPerMTok: 0.5, outputPerMTok: 1.6, cacheReadPerMTok: 0.125 });
    await edit();
    expect(await page.getByLabel('Cache read price').inputValue()).toBe('0.125');
    await page.getByLabel('Cache read price').fill('');
    expect((await saved())?.pricing).toEqual({ inputPerMTok: 0.5, outputPerMTok: 1.6 });
    await edit();
    await page.getByLabel('Context window').fill('128k');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('"128k" is not a number').waitFor();
    expect(h.gateway.config().deployments.find((d) => d.name === 'mini')?.contextWindow).toBeUndefined();
    await page.getByLabel('Context window').fill('');
    expect((await saved())?.pricing).toEqual({ inputPerMTok: 0.5, outputPerMTok: 1.6 });
    // A model's output limit, set by hand for one the gateway does not know, and cleared.
    await edit();
    await page.getByLabel('Most output tokens').fill('16384');
    expect((await saved())?.maxOutputTokens).toBe(16_384);
    await edit();
    expect(await page.getByLabel('Most output tokens').inputValue()).toBe('16384');
    await page.getByLabel('Most output tokens').fill('');
    expect((await saved())?.maxOutputTokens).toBeUndefined();
    // A long-context price from the config file is not on the form, and survives an edit of the others.
    const longContext = { aboveTokens: 100_000, inputPerMTok: 1, outputPerMTok: 4 };
    h.gateway.applyConfig({ ...h.gateway.config(), deployments: h.gateway.config().deployments.map((d) => (d.name === 'mini' ? { ...d, pricing: { inputPerMTok: 0.5, outputPerMTok: 1.6, longContext } } : d)) }, 'test');
    await go('/routes');
    await edit();
    await page.getByLabel('Output price').fill('2');
    expect((await saved())?.pricing).toEqual({ inputPerMTok: 0.5, outputPerMTok: 2, longContext });
    h.gateway.applyConfig({ ...h.gateway.config(), deployments: h.gateway.config().deployments.map(({ pricing: _p, ...d }) => d) }, 'test');
  });

  it('orders a route by keyboard and traffic follows that order', async () => {
    const form = page.getByTestId('new-route');
    await form.getByPlaceholder('coder').fill('default');
    // The deployments' heading ticks none of them: a label round them all ticked the first, and named it "Deployments, in fallback order llama mini".
    await form.getByText('Deployments, in fallback order').click();
    expect(await form.getByRole('checkbox').evaluateAll((boxes) => boxes.map((box) => (box as HTMLInputElement).checked))).toEqual([false, false]);
    await form.getByRole('checkbox', { name: 'llama', exact: true }).check();
    await form.getByRole('checkbox', { name: 'mini', exact: true }).check();
    // Enter in the name creates it, as in any form (the card was no form: Enter did nothing).
    await form.getByPlaceholder('coder').press('Enter');
    await page.getByTestId('order-mini').waitFor();
    const before = await h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'x' }] }).withResponse();
    expect(before.response.headers.get('x-switchyard-deployment')).toBe('llama');

    // dnd-kit's keyboard sensor: Space lifts, arrows move, Space drops (it measures between steps).
    await page.getByRole('button', { name: /Move mini/ }).focus();
    for (const key of ['Space', 'ArrowUp', 'Space']) {
      await page.keyboard.press(key);
      await page.waitForTimeout(150);
    }
    await expect.poll(() => page.locator('.order-item strong').allTextContents()).toEqual(['mini', 'llama']);
    await page.getByRole('button', { name: 'Save order' }).click();
    await page.getByText('Saved: traffic follows the new order').waitFor();
    const after = await h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'x' }] }).withResponse();
    expect(after.response.headers.get('x-switchyard-deployment')).toBe('mini');
  });

  it('shows a field error for 25:00 and keeps what was typed, then saves a valid window', async () => {
    await page.getByRole('row', { name: /llama/ }).getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('button', { name: 'Add a window' }).click();
    await page.getByLabel('Time zone').fill('Europe/Paris');
    await page.getByLabel('Window 1 start').fill('25:00');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('.field-error', { hasText: '"25:00" is not a time in HH:MM form (00:00 to 23:59)' }).waitFor();
    await page.getByText('Fix the highlighted fields: nothing was saved.').waitFor();
    expect(await page.getByLabel('Window 1 start').inputValue()).toBe('25:00');
    expect(await page.getByLabel('Time zone').inputValue()).toBe('Europe/Paris');
    expect(h.gateway.config().deployments[0]?.timeWindows).toBeUndefined();

    await page.getByLabel('Window 1 start').fill('00:00');
    await page.getByLabel('Window 1 end').fill('00:00');
    await page.getByTestId('schedule-summary').getByText(/blocked now|usable now/).waitFor();
    await page.screenshot({ path: join(SHOTS, 'routes-window-editor-light.png'), fullPage: true });
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => h.gateway.config().deployments[0]?.timeWindows?.[0]?.start).toBe('00:00');
    await expect.poll(() => page.getByRole('row', { name: /llama/ }).first().textContent()).toContain('1 time window');
  });

  it('rehearses a failure in the playground and shows the fallback in the attempt timeline', async () => {
    h.gateway.applyConfig({ ...h.gateway.config(), deployments: h.gateway.config().deployments.map(({ timeWindows: _w, timeZone: _z, ...d }) => d) }, 'test');
    await dashboard.openPlayground();
    await page.getByLabel('Model').selectOption('default');
    await page.getByLabel('Simulate failure of mini').check();
    await page.getByLabel('Message').fill('hello from the playground');
    await page.getByRole('button', { name: 'Send' }).click();
    const trace = page.getByTestId('trace');
    await trace.waitFor();
    await expect.poll(() => page.getByTestId('answer').textContent()).toBe('Echo: hello from the playground');
    const text = await trace.textContent();
    expect(text).toContain('failed');
    expect(text).toContain('simulated failure');
    expect(text).toContain('Answered by llama');
    // Each attempt is shown once (the decision's steps), not again as a second list.
    expect((await trace.innerText()).match(/simulated failure/g)).toHaveLength(1);
    await page.screenshot({ path: join(SHOTS, 'playground-light.png'), fullPage: true });
  });

  it('sends the conversation as Anthropic Messages and shows the request as it went upstream, translated', async () => {
    await page.getByLabel('Simulate failure of mini').uncheck();
    await page.getByLabel('API').selectOption('anthropic');
    await expect.poll(() => page.locator('pre.snippet', { hasText: 'curl ' }).textContent()).toContain('/v1/messages');
    await page.getByLabel('Message').fill('hello as messages');
    await page.getByLabel('System prompt').fill('Answer in one word.');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.getByTestId('answer').last().textContent()).toBe('Echo: hello as messages');
    const upstream = page.getByTestId('upstream').last();
    await upstream.locator('summary').click();
    const sent = await upstream.textContent();
    // The route puts the cloud deployment first (the ordering test above): Messages went out as a chat completion.
    expect(sent).toContain(`${openai.url}/v1/chat/completions`);
    expect(sent).toContain('"max_tokens": 1024');
    // Messages' system prompt, translated: the chat request's first message.
    const messages = (openai.requests.at(-1)?.body as { messages: unknown[] }).messages;
    expect([messages[0], messages.at(-1)]).toEqual([{ role: 'system', content: 'Answer in one word.' }, { role: 'user', content: 'hello as messages' }]);
    // Where each of the other APIs puts it.
    const snippet = page.locator('pre.snippet', { hasText: 'curl ' });
    await page.getByLabel('API').selectOption('responses');
    await expect.poll(() => snippet.textContent()).toContain('"instructions":"Answer in one word."');
    await page.getByLabel('API').selectOption('openai');
    await expect.poll(() => snippet.textContent()).toContain('"messages":[{"role":"system","content":"Answer in one word."}');
    await page.getByLabel('API').selectOption('anthropic');
  });

  it('shows the requests just made in the usage table and charts, with the API each came in by', async () => {
    await go('/usage');
    const table = page.getByTestId('usage-table');
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBeGreaterThanOrEqual(3);
    expect(await table.textContent()).toContain('playground');
    expect(await table.textContent()).toContain('anthropic');
    // Any row opens the request's details with its routing decision.
    await table.locator('tbody tr').first().click();
    const drawer = page.getByTestId('request-drawer');
    await drawer.getByTestId('decision').waitFor();
    expect(await drawer.textContent()).toMatch(/Route default.*answered/s);
    // Each of its facts under a label of its own: the moment and the latency were both "Time".
    const labels = await drawer.locator('table').first().locator('tr > td:first-child').allTextContents();
    expect(labels).toEqual(expect.arrayContaining(['When', 'Latency']));
    expect(new Set(labels).size).toBe(labels.length);
    await page.keyboard.press('Escape');
    await expect.poll(() => drawer.count()).toBe(0);
    await page.locator('.recharts-bar-rectangle').first().waitFor();
    // The week's chart has each of its 7 days on the axis, the quiet ones too, not only today's.
    const days = page.locator('.chart').first().locator('.recharts-xAxis-tick-labels text');
    await expect.poll(() => days.count()).toBe(7);
    expect(notFound).toEqual([]);
  });

  it('keeps the usage table within its page when a client asked for a model by a very long name', async () => {
    const name = `model-${'x'.repeat(2_000)}`;
    const refused = await h.openai.chat.completions.create({ model: name, messages: [{ role: 'user', content: 'x' }] }).catch((e: Error) => e);
    const told = (refused as { error?: { message?: string } }).error?.message ?? '';
    expect(told).toMatch(/model/);
    await go('/usage');
    const table = page.getByTestId('usage-table');
    await expect.poll(() => table.textContent()).toContain('invalid_request');
    // Every column still shows beside the name, cut short; the whole name is in its title and in the drawer.
    const wrap = table.locator('xpath=..');
    expect(await wrap.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    const cell = table.locator('tbody tr').first().locator('td[data-label="Model"] .clip');
    expect(await cell.getAttribute('title')).toBe(name);
    await table.locator('tbody tr').first().click();
    const drawer = page.getByTestId('request-drawer');
    await expect.poll(() => drawer.textContent()).toContain(name);
    expect(await drawer.textContent()).toContain(told.slice(0, 80));
    await page.keyboard.press('Escape');
  });
});
