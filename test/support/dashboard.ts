/**
 * The dashboard in a real browser for a UI test file: Chromium (driven by playwright-core; see
 * browser.ts for which) against a headless gateway on loopback with the wire-format fake upstreams
 * behind it. `useDashboard` registers the file's hooks: start everything before its tests, a
 * full-page screenshot of any failed test, and stop everything after. Screenshots go to
 * test-artifacts/screenshots (git-ignored).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, vi } from 'vitest';
import { findChromium } from './browser';
import type { FakeServer } from './fake-server';
import { startFakeOllama } from './fake-ollama';
import { startFakeOpenAI } from './fake-openai';
import { startGateway, tempDir, type Harness } from './harness';
import type { GatewayOptions } from '../../gateway/server';

export const SHOTS = join(import.meta.dirname, '..', '..', 'test-artifacts', 'screenshots');

export interface Dashboard {
  ollama: FakeServer;
  openai: FakeServer;
  h: Harness;
  browser: Browser;
  page: Page;
  /** The HOME the gateway writes tools' config files under (Connect page). */
  home: { path: string; remove(): void };
  /** Everything the pages asked for and did not get (the favicon was one, on every page). */
  notFound: string[];
  go(path: string): Promise<void>;
  /** The playground as a new tab opens it: nothing kept from an earlier test's turns (ui/kept-state.ts keeps them for the tab). */
  openPlayground(): Promise<void>;
  /** Signs the page in through a one-time login link. */
  logIn(): Promise<void>;
  /** Opens a deployment's form on the Routes page, or a provider's on the Providers page: the form's card. */
  editDeployment(name: string): Promise<Locator>;
  editProvider(name: string): Promise<Locator>;
}

/** The pages' usual gateway: a local Ollama and a cloud provider, a deployment on each, one route (cloud first). */
export const twoProviders = (upstreams: { ollama: string; openai: string }) => ({
  version: 1,
  providers: [
    { name: 'local', kind: 'ollama', baseUrl: upstreams.ollama },
    // On loopback here, but a cloud provider to the gateway (its costs, local only).
    { name: 'cloud', kind: 'openai', baseUrl: `${upstreams.openai}/v1`, apiKey: 'env:TEST_KEY', local: false },
  ],
  deployments: [
    { name: 'llama', provider: 'local', model: 'llama3.2:3b' },
    { name: 'mini', provider: 'cloud', model: 'gpt-4.1-mini' },
  ],
  routes: [{ name: 'default', deployments: ['mini', 'llama'] }],
});

/** The gateway starts with `config(upstreams)`; the dashboard's fields are set once the file's tests begin. */
export function useDashboard(config: (upstreams: { ollama: string; openai: string }) => unknown, gateway: Partial<GatewayOptions> = {}): Dashboard {
  // A UI test walks several pages, each a browser round trip: 20 s has run out under CI's load.
  vi.setConfig({ testTimeout: 60_000 });
  const dashboard = { notFound: [] as string[], home: tempDir() } as Dashboard;
  dashboard.go = async (path) => {
    await dashboard.page.goto(`${dashboard.h.url}${path}`);
  };
  dashboard.openPlayground = async () => {
    // Another page first: leaving the playground writes what it still had to keep (on pagehide).
    await dashboard.go('/overview');
    await dashboard.page.evaluate(() => window.sessionStorage.clear());
    await dashboard.go('/playground');
  };
  dashboard.logIn = async () => {
    await dashboard.go(`/?token=${dashboard.h.gateway.sessions.issueLoginToken()}`);
    await dashboard.page.getByRole('heading', { name: 'Overview' }).waitFor();
  };
  const formOf = (name: string) => dashboard.page.locator('.card', { has: dashboard.page.getByRole('heading', { name: `Edit ${name}` }) });
  dashboard.editDeployment = async (name) => {
    await dashboard.go('/routes');
    await dashboard.page.getByRole('row', { name: new RegExp(`^${name} `) }).getByRole('button', { name: 'Edit' }).click();
    return formOf(name);
  };
  dashboard.editProvider = async (name) => {
    await dashboard.go('/providers');
    await dashboard.page.locator('.card', { has: dashboard.page.getByRole('heading', { name: new RegExp(`^${name} `) }) }).getByRole('button', { name: 'Edit' }).click();
    return formOf(name);
  };

  beforeAll(async () => {
    dashboard.ollama = await startFakeOllama();
    dashboard.openai = await startFakeOpenAI();
    dashboard.h = await startGateway(config({ ollama: dashboard.ollama.url, openai: dashboard.openai.url }), { ...gateway, env: { HOME: dashboard.home.path } });
    const found = await findChromium();
    console.log(`UI tests in ${found.source}`);
    dashboard.browser = await chromium.launch({ executablePath: found.executablePath, args: found.args });
    const page = await dashboard.browser.newPage({ viewport: { width: 1360, height: 900 } });
    page.on('pageerror', (error) => {
      throw error;
    });
    page.on('response', (response) => {
      if (response.status() === 404) dashboard.notFound.push(response.url());
    });
    dashboard.page = page;
    mkdirSync(SHOTS, { recursive: true });
  }, 60_000);

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail' && dashboard.page) {
      await dashboard.page.screenshot({ path: join(SHOTS, `failed-${context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`), fullPage: true }).catch(() => undefined);
    }
  });

  afterAll(async () => {
    await dashboard.browser?.close();
    await dashboard.h?.stop();
    await Promise.all([dashboard.ollama?.stop(), dashboard.openai?.stop()]);
    dashboard.home.remove();
  });

  return dashboard;
}
