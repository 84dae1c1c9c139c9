/**
 * The UI in a real browser (Chromium driven by playwright-core; see support/browser.ts for which)
 * against the headless gateway, with the wire-format fake upstreams behind it. Screenshots of every
 * page, light and dark, go to test-artifacts/screenshots (git-ignored).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { findChromium } from '../support/browser';
import { startGateway, tempDir, type Harness } from '../support/harness';

const SHOTS = join(import.meta.dirname, '..', '..', 'test-artifacts', 'screenshots');

let ollama: FakeServer;
let openai: FakeServer;
let h: Harness;
let browser: Browser;
let page: Page;
/** The HOME the gateway writes tools' config files under (Connect page). */
const home = tempDir();
/** Everything the pages asked for and did not get (the favicon was one, on every page). */
const notFound: string[] = [];

beforeAll(async () => {
  ollama = await startFakeOllama();
  openai = await startFakeOpenAI();
  h = await startGateway({ version: 1, providers: [], deployments: [], routes: [] }, { env: { HOME: home.path } });
  const found = await findChromium();
  console.log(`UI tests in ${found.source}`);
  browser = await chromium.launch({ executablePath: found.executablePath, args: found.args });
  page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  page.on('pageerror', (error) => {
    throw error;
  });
  page.on('response', (response) => {
    if (response.status() === 404) notFound.push(response.url());
  });
  mkdirSync(SHOTS, { recursive: true });
}, 60_000);

afterEach(async (context) => {
  if (context.task.result?.state === 'fail' && page) {
    await page.screenshot({ path: join(SHOTS, `failed-${context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`), fullPage: true }).catch(() => undefined);
  }
});

afterAll(async () => {
  await browser?.close();
  await h?.stop();
  await Promise.all([ollama?.stop(), openai?.stop()]);
  home.remove();
});

async function go(path: string) {
  await page.goto(`${h.url}${path}`);
}

describe('the dashboard in Chromium', () => {
  it('asks for the login link without a session, and the admin API answers 401', async () => {
    await go('/');
    await expect.poll(() => page.getByText('Sign in to Switchyard').isVisible()).toBe(true);
    const status = await page.evaluate(async () => (await fetch('/admin/api/providers')).status);
    expect(status).toBe(401);
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

    await page.getByRole('button', { name: 'Custom (OpenAI-compatible)' }).click();
    await page.getByLabel('Provider name').fill('cloud');
    await page.getByLabel('Base URL').fill(`${openai.url}/v1`);
    await page.getByLabel('API key reference').fill('env:TEST_KEY');
    // An unsaved provider is tested with a key typed in, never with a stored one sent to a new host.
    await page.getByRole('button', { name: 'Test connection' }).last().click();
    await page.getByText('type the key in to test this one').waitFor();
    await page.getByLabel('API key value').fill('sk-typed-for-the-test');
    await page.getByRole('button', { name: 'Test connection' }).last().click();
    await page.getByText(/Connected in \d+ ms: 1 models/).waitFor();
    expect(openai.requests.at(-1)?.headers.authorization).toBe('Bearer sk-typed-for-the-test');
    await page.getByLabel('API key value').fill('');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('key set ····1234').waitFor();

    await go('/routes');
    for (const [name, provider, model] of [
      ['llama', 'local', 'llama3.2:3b'],
      ['mini', 'cloud', 'gpt-4.1-mini'],
    ]) {
      await page.getByRole('button', { name: 'Add deployment' }).click();
      await page.getByLabel('Deployment name').fill(name as string);
      await page.getByLabel('Provider').selectOption(provider as string);
      await page.getByLabel('Model', { exact: true }).fill(model as string);
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByRole('cell', { name: new RegExp(`^${name}`) }).waitFor();
    }
    expect(h.gateway.config().deployments.map((d) => d.name)).toEqual(['llama', 'mini']);
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
    await edit();
    await page.getByLabel('Context window').fill('128k');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('"128k" is not a number').waitFor();
    expect(h.gateway.config().deployments.find((d) => d.name === 'mini')?.contextWindow).toBeUndefined();
    await page.getByLabel('Context window').fill('');
    expect((await saved())?.pricing).toEqual({ inputPerMTok: 0.5, outputPerMTok: 1.6 });
    h.gateway.applyConfig({ ...h.gateway.config(), deployments: h.gateway.config().deployments.map(({ pricing: _p, ...d }) => d) }, 'test');
  });

  it('orders a route by keyboard and traffic follows that order', async () => {
    const form = page.getByTestId('new-route');
    await form.getByPlaceholder('coder').fill('default');
    await form.getByLabel('llama', { exact: true }).check();
    await form.getByLabel('mini', { exact: true }).check();
    await page.getByRole('button', { name: 'Create route' }).click();
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
  });

  it('rehearses a failure in the playground and shows the fallback in the attempt timeline', async () => {
    h.gateway.applyConfig({ ...h.gateway.config(), deployments: h.gateway.config().deployments.map(({ timeWindows: _w, timeZone: _z, ...d }) => d) }, 'test');
    await go('/playground');
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
    await page.screenshot({ path: join(SHOTS, 'playground-light.png'), fullPage: true });
  });

  it('sends the conversation as Anthropic Messages and shows the request as it went upstream, translated', async () => {
    await page.getByLabel('Simulate failure of mini').uncheck();
    await page.getByLabel('API').selectOption('anthropic');
    await expect.poll(() => page.locator('pre.snippet', { hasText: 'curl ' }).textContent()).toContain('/v1/messages');
    await page.getByLabel('Message').fill('hello as messages');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.getByTestId('answer').last().textContent()).toBe('Echo: hello as messages');
    const upstream = page.getByTestId('upstream').last();
    await upstream.locator('summary').click();
    const sent = await upstream.textContent();
    // The route puts the cloud deployment first (the ordering test above): Messages went out as a chat completion.
    expect(sent).toContain(`${openai.url}/v1/chat/completions`);
    expect(sent).toContain('"max_tokens": 1024');
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
    await page.keyboard.press('Escape');
    await expect.poll(() => drawer.count()).toBe(0);
    await page.locator('.recharts-bar-rectangle').first().waitFor();
  });

  it('shows each deployment\'s live state beside the fallback order, and budgets on the Overview', async () => {
    const config = h.gateway.config();
    // Two models their providers do not have: an Ollama that lacks one is skipped; a cloud list is only a hint.
    const extra = [{ name: 'missing', provider: 'local', model: 'qwen9:1b' }, { name: 'typo', provider: 'cloud', model: 'gpt-9-typo' }];
    h.gateway.applyConfig({ ...config, deployments: [...config.deployments, ...extra], budgets: [{ name: 'monthly', scope: 'global', period: 'month', limitUsd: 20 }] }, 'test');
    h.gateway.breakers.get('mini').block('auth', Date.now(), '401 Incorrect API key');
    await go('/routes');
    await expect.poll(() => page.getByTestId('order-mini').first().textContent()).toContain('key refused');
    expect(await page.getByTestId('order-llama').first().textContent()).toContain('usable');
    // One probe each: the cloud answered it, the local Ollama (refusing connections) did not.
    await ollama.setMode({ kind: 'refuse' });
    await h.gateway.health.probeAll();
    await ollama.setMode({ kind: 'healthy' });
    await go('/overview');
    const meter = page.getByRole('meter', { name: /monthly/ });
    await meter.waitFor();
    expect(await meter.textContent()).toContain('of $20.00');
    await expect.poll(() => page.getByRole('row', { name: /^local / }).textContent()).toContain('its probe failed');
    expect(await page.getByRole('row', { name: /^cloud / }).textContent()).toMatch(/\d+ ms/);
    expect(await page.getByRole('row', { name: /^typo / }).textContent()).toContain("Not in cloud's model list: check the model name");
    await h.gateway.health.probeAll();
    await go('/overview');
    await expect.poll(() => page.getByRole('row', { name: /^missing / }).textContent()).toContain('Not installed in local: run "ollama pull qwen9:1b" there');
    await go('/routes');
    await expect.poll(() => page.getByTestId('state-missing').first().textContent()).toContain('model not installed');
    expect(await page.getByTestId('state-typo').first().textContent()).toContain("not in cloud's model list");
    h.gateway.breakers.reset('mini');
    h.gateway.applyConfig(config, 'test');
  });

  it('gives Overview and playground a chat route this config has, the key header when keys are required, and names the requests no deployment served', async () => {
    const config = h.gateway.config();
    const llama = config.deployments.find((d) => d.name === 'llama')!;
    h.gateway.applyConfig(
      {
        ...config,
        deployments: [...config.deployments, { ...llama, name: 'vectors', model: 'nomic-embed-text', type: 'embedding' }],
        routes: [{ name: 'embed', deployments: ['vectors'] }, { name: 'team-chat', deployments: ['mini', 'llama'] }],
        settings: { ...config.settings, clientKeys: { required: true } },
      },
      'test',
    );
    try {
      // A request no deployment served: its row has no deployment, and no line of the latency chart.
      await h.openai.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }).catch(() => undefined);
      await go('/overview');
      const legend = page.locator('.recharts-legend-item-text');
      await legend.first().waitFor();
      for (const entry of await legend.allTextContents()) expect(entry).toMatch(/^(llama|mini) p(50|95)$/);
      const snippet = page.locator('pre.snippet');
      await expect.poll(() => snippet.textContent()).toContain('"model":"team-chat"');
      expect(await snippet.textContent()).toContain("-H 'authorization: Bearer <your client key>'");
      await page.getByRole('tab', { name: 'OpenAI SDK' }).click();
      expect(await snippet.textContent()).toContain("apiKey: '<your client key>'");
      // The playground, before any pick, shows and sends the first chat route; a route of embedding models is no choice there.
      await go('/playground');
      await expect.poll(() => page.locator('pre.snippet', { hasText: 'curl ' }).textContent()).toContain('"model":"team-chat"');
      expect(await page.getByLabel('Model').inputValue()).toBe('team-chat');
      expect(await page.getByLabel('Model').locator('option').allTextContents()).toEqual(['team-chat', 'llama', 'mini']);
      expect(await page.locator('pre.snippet', { hasText: 'curl ' }).textContent()).toContain("-H 'authorization: Bearer <your client key>'");
      // Nothing typed yet: the snippet still asks something (no messages is a request servers refuse).
      expect(await page.locator('pre.snippet', { hasText: 'curl ' }).textContent()).toContain('"messages":[{"role":"user","content":"Hello"}]');
      // On the Usage page the same request counts, under a name.
      await go('/usage');
      const bars = page.locator('.recharts-legend-item-text');
      await bars.first().waitFor();
      const names = await bars.allTextContents();
      expect(names).toContain('(none)');
      expect(names.every((n) => n.trim().length > 0)).toBe(true);
    } finally {
      h.gateway.applyConfig(config, 'test');
    }
  });

  it('connects Codex from the Connect page: every tool listed, the diff first, then written and undone', async () => {
    await go('/connect');
    for (const name of ['Claude Code', 'Codex CLI', 'opencode', 'Continue', 'Cline / Roo Code', 'Aider', 'Zed', 'Open WebUI', 'OpenAI SDK', 'Ollama clients', 'Anthropic SDK']) {
      await page.getByRole('heading', { name: new RegExp(`^${name.replace(/[/]/g, '\\/')}`) }).waitFor();
    }
    await page.getByRole('button', { name: 'Connect Codex CLI' }).click();
    const panel = page.getByTestId('connect-codex');
    await expect.poll(() => panel.textContent()).toContain('wire_api = "responses"');
    const file = join(home.path, '.codex', 'config.toml');
    expect(existsSync(file)).toBe(false);
    await panel.getByRole('button', { name: 'Write it' }).click();
    await expect.poll(() => panel.textContent()).toContain('Wrote');
    expect(readFileSync(file, 'utf8')).toContain(`base_url = "${h.url}/v1"`);
    await page.getByRole('button', { name: 'Undo' }).click();
    await panel.getByRole('button', { name: 'Restore the earlier file' }).click();
    await expect.poll(() => panel.textContent()).toContain('Restored');
    expect(existsSync(file)).toBe(false);
  });

  it('makes a key for one route, shows a route the config lost, and asks once more before revoking a key', async () => {
    await go('/settings');
    const routes = page.getByRole('group', { name: 'Routes the new key may use' });
    await routes.getByLabel('default', { exact: true }).check();
    await page.getByLabel('Key name').fill('ci-bot');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByTestId('new-key').waitFor();
    expect(h.gateway.keys.list().find((k) => k.name === 'ci-bot')?.allowedRoutes).toEqual(['default']);
    expect(await routes.getByLabel('default', { exact: true }).isChecked()).toBe(false);
    await page.getByRole('row', { name: /ci-bot/ }).getByText('default', { exact: true }).waitFor();
    // As an import that dropped a route leaves a key: it fails closed for the name, and the list says so.
    h.gateway.keys.create('old-bot', { allowedRoutes: ['dropped-route'] });
    await go('/settings');
    await page.getByRole('row', { name: /old-bot/ }).getByText('dropped-route: not in the config').waitFor();
    await page.getByRole('button', { name: 'Revoke ci-bot', exact: true }).click();
    const confirm = page.getByRole('button', { name: 'Confirm: Revoke ci-bot' });
    await confirm.waitFor();
    expect(h.gateway.keys.list().find((k) => k.name === 'ci-bot')?.revokedAt).toBeNull();
    await confirm.click();
    await expect.poll(() => h.gateway.keys.list().find((k) => k.name === 'ci-bot')?.revokedAt).not.toBeNull();
  });

  it('shows the config history, what restoring a revision would change, and restores it', async () => {
    expect((await h.admin('/admin/api/routes/default', { method: 'DELETE' })).status).toBe(200);
    const { revisions } = await h.admin('/admin/api/config/revisions').then((r) => r.json());
    const before = revisions[1].id as number;
    await go('/settings');
    await page.getByRole('cell', { name: 'admin api: DELETE /admin/api/routes/default' }).waitFor();
    await page.getByRole('button', { name: `What restoring ${before} changes` }).click();
    await page.getByRole('status').filter({ hasText: `Restoring ${before}` }).getByText('added route default').waitFor();
    await page.getByRole('button', { name: `Restore ${before}`, exact: true }).click();
    await page.getByRole('button', { name: `Confirm: Restore ${before}` }).click();
    await expect.poll(() => h.gateway.config().routes.map((r) => r.name)).toContain('default');
    await page.getByRole('cell', { name: `restore ${before}`, exact: true }).waitFor();
  });

  it('shows client keys as required, and not to be switched off, on a gateway that listens beyond this machine', async () => {
    const exposed = await startGateway({ version: 1, providers: [], deployments: [], routes: [] }, { host: '0.0.0.0' });
    const other = await browser.newPage();
    try {
      await other.goto(`http://127.0.0.1:${exposed.port}/?token=${exposed.gateway.sessions.issueLoginToken()}`);
      await other.getByRole('heading', { name: 'Overview' }).waitFor();
      await other.goto(`http://127.0.0.1:${exposed.port}/settings`);
      const box = other.getByRole('checkbox', { name: /Require a client key for every request/ });
      await box.waitFor();
      expect(await box.isChecked()).toBe(true);
      expect(await box.isDisabled()).toBe(true);
      expect(await other.getByText('(always, while it listens beyond this machine)').count()).toBe(1);
    } finally {
      await other.close();
      await exposed.stop();
    }
  });

  it('renders every page in light and dark without errors', async () => {
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await page.evaluate((t) => localStorage.setItem('switchyard.theme', t), theme);
      for (const path of ['/overview', '/routes', '/providers', '/playground', '/connect', '/usage', '/settings']) {
        await go(path);
        await page.locator('main h1').waitFor();
        await expect.poll(() => page.getByText(/^Loading /).count(), { timeout: 10_000 }).toBe(0);
        expect(await page.locator('html').getAttribute('data-theme')).toBe(theme);
        await page.screenshot({ path: join(SHOTS, `${path.slice(1)}-${theme}.png`), fullPage: true });
      }
    }
    expect(notFound).toEqual([]);
  });
});
