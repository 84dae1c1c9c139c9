/**
 * A web page of another origin calling the gateway from a real Chromium, as a web UI on another
 * port or an app's web view does: the browser itself runs the CORS protocol (the preflight for a
 * JSON body with a key, then the request, then whether the page may read the answer). Refused until
 * the config allows the page's origin; then whole and streamed answers reach the page; the admin
 * API never does.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../support/browser';
import type { FakeServer } from '../support/fake-server';
import { startFakeOllama } from '../support/fake-ollama';
import { startFakeOpenAI } from '../support/fake-openai';
import { startGateway, stopAll, twoTierConfig, type Harness } from '../support/harness';

let ollama: FakeServer, openai: FakeServer, h: Harness, site: Server, browser: Browser, page: Page;
const config = (allowedOrigins?: string[]) => ({ ...twoTierConfig({ ollama: ollama.url, openai: openai.url }), ...(allowedOrigins ? { settings: { allowedOrigins } } : {}) });

beforeAll(async () => {
  [ollama, openai] = await Promise.all([startFakeOllama(), startFakeOpenAI()]);
  h = await startGateway(config());
  // The page's own server, on another port of this machine: another origin.
  site = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>web UI</title>'));
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  const found = await findChromium();
  browser = await chromium.launch({ executablePath: found.executablePath, args: found.args });
  page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${(site.address() as AddressInfo).port}/`);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  site?.close();
  await stopAll(h, ollama, openai);
});

/** What the page gets from a fetch: the status and text, or the browser's refusal to hand it over. */
const fetchFromPage = (url: string, body?: unknown, stream = false) =>
  page.evaluate(
    async ({ url, body, stream }) => {
      try {
        const res = await fetch(url, body ? { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer any' }, body: JSON.stringify(body) } : {});
        if (!stream) return { status: res.status, text: await res.text() };
        let text = '';
        const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          text += value;
        }
        return { status: res.status, text };
      } catch (error) {
        return { refused: String(error) };
      }
    },
    { url, body, stream },
  );

const chat = { model: 'default', messages: [{ role: 'user', content: 'one two' }] };

describe('a page of another origin in Chromium', () => {
  it('cannot use the gateway until the config allows its origin', async () => {
    expect(await fetchFromPage(`${h.baseUrl}/chat/completions`, chat)).toEqual({ refused: expect.stringContaining('Failed to fetch') });
    expect(ollama.requests).toHaveLength(0);
  });

  it('gets whole and streamed answers once allowed, in the OpenAI and Ollama APIs', async () => {
    h.gateway.applyConfig(config(['http://127.0.0.1:*']), 'test');
    const whole = await fetchFromPage(`${h.baseUrl}/chat/completions`, chat);
    expect(whole).toMatchObject({ status: 200 });
    expect(JSON.parse((whole as { text: string }).text).choices[0].message.content).toBe('Echo: one two');
    const streamed = (await fetchFromPage(`${h.baseUrl}/chat/completions`, { ...chat, stream: true }, true)) as { status: number; text: string };
    expect(streamed.status).toBe(200);
    expect(streamed.text).toContain('data: [DONE]');
    const tags = (await fetchFromPage(`${h.url}/api/tags`)) as { status: number; text: string };
    expect(JSON.parse(tags.text).models.length).toBeGreaterThan(0);
    // As a browser extension checks for Ollama.
    expect(await fetchFromPage(`${h.url}/`)).toEqual({ status: 200, text: 'Ollama is running' });
  });

  it("is allowed from the dashboard's Settings, which says what is wrong with a line", async () => {
    h.gateway.applyConfig(config(), 'test');
    const dashboard = await browser.newPage();
    try {
      await dashboard.goto(`${h.url}/?token=${h.gateway.sessions.issueLoginToken()}`);
      await dashboard.getByRole('heading', { name: 'Overview' }).waitFor();
      await dashboard.goto(`${h.url}/settings`);
      const card = dashboard.locator('section.card', { has: dashboard.getByRole('heading', { name: 'Cache, usage and access' }) });
      const origins = card.getByLabel('Web origins that may call the model APIs (one per line)');
      await origins.fill('https://*');
      await card.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => card.getByRole('alert').first().textContent()).toContain('every website');
      expect(h.gateway.config().settings?.allowedOrigins).toBeUndefined();

      await origins.fill(`app://obsidian.md\n  http://127.0.0.1:*  \n`);
      await card.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => h.gateway.config().settings?.allowedOrigins).toEqual(['app://obsidian.md', 'http://127.0.0.1:*']);
      expect(await fetchFromPage(`${h.baseUrl}/chat/completions`, chat)).toMatchObject({ status: 200 });
    } finally {
      await dashboard.close();
    }
  });

  it('never reaches the admin API', async () => {
    h.gateway.applyConfig(config(['http://127.0.0.1:*']), 'test');
    expect(await fetchFromPage(`${h.url}/admin/api/health`)).toEqual({ refused: expect.stringContaining('Failed to fetch') });
    expect(await fetchFromPage(`${h.url}/admin/api/config/preview`, { config: {} })).toEqual({ refused: expect.stringContaining('Failed to fetch') });
  });
});
