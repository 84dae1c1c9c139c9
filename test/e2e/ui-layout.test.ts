/**
 * The dashboard on narrow windows, in a real browser (support/dashboard.ts): the pages' links above
 * the page, every card within a phone's width, the desktop app's smallest window and a 1024 one, with
 * no table scrolling sideways in it (a table that does not fit stacks its rows) and nothing running
 * past its edge, and checkboxes that stay square beside long words; the usage log's columns side by
 * side on a laptop's window; a long word in the playground's conversation within its bubble, its
 * trace's names whole beside their reasons, its cards as tall as what they hold, and names as long as the config takes (a provider's address, the latency chart's legend) within their
 * cards; a tool's config of forty routes in a box that scrolls.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { twoProviders, useDashboard } from '../support/dashboard';

// The gateway's clock, set back for a request of another day.
let setBack = 0;
// The local model's breaker opens at its first failure: the Overview lists a breaker event.
const dashboard = useDashboard((upstreams) => {
  const config = twoProviders(upstreams);
  return { ...config, deployments: [{ ...config.deployments[0]!, breaker: { failures: 1 } }, config.deployments[1]!] };
}, { now: () => Date.now() - setBack });
const { go } = dashboard;
let page: Page;
beforeAll(async () => {
  page = dashboard.page;
  // Traffic for the charts, the usage table and its sessions (one named as Claude Code names its own):
  // the pages are measured with something in them.
  const session = { headers: { 'x-switchyard-session': '7c9e6679-7425-40de-944b-e07fc1f90ae7' } };
  for (const model of ['llama', 'mini']) await dashboard.h.openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] }, session);
  // And a failure through both deployments, for the Overview's "Recent failures" and its reasons.
  await Promise.all([dashboard.openai.setMode({ kind: 'status', status: 500 }), dashboard.ollama.setMode({ kind: 'status', status: 500 })]);
  await dashboard.h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'x' }] }, { maxRetries: 0 }).catch(() => undefined);
  await Promise.all([dashboard.openai.setMode({ kind: 'healthy' }), dashboard.ollama.setMode({ kind: 'healthy' })]);
  // And a row in each of the other tables: an alias, a budget, a client key.
  const post = (path: string, method: string, body: unknown) => dashboard.h.admin(`/admin/api/${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  for (const made of [
    await post('aliases/claude-sonnet-*', 'PUT', { target: 'default' }),
    await post('budgets', 'POST', { name: 'cloud-spend-this-month', scope: { provider: 'cloud' }, period: 'month', limitUsd: 25 }),
    await post('keys', 'POST', { name: 'continue-in-vscode', rateLimitPerMinute: 120 }),
  ]) expect(made.ok, await made.clone().text()).toBe(true);
  await dashboard.logIn();
});

describe('the dashboard on a narrow window', () => {
  it("holds together on a narrow window: the pages' bar above a short page, a caption beside its select, a checkbox's words", async () => {
    await sized(420, 2400, async () => {
      await go('/playground');
      const heading = await page.getByRole('heading', { name: 'Playground', level: 1 }).boundingBox();
      const nav = page.getByRole('navigation', { name: 'Main' });
      const bar = (await nav.boundingBox())!;
      const lastLink = Math.max(...(await nav.getByRole('link').evaluateAll((els) => els.map((el) => el.getBoundingClientRect().bottom))));
      // The bar is as tall as its rows: the room the page leaves is the page's, not spread between the name and the links.
      expect(bar.y + bar.height - lastLink).toBeLessThan(24);
      expect(heading!.y - (bar.y + bar.height)).toBeLessThan(80);
      // A caption beside its select keeps its word whole: the select gives up the room ("Strateg" above "y" before).
      await go('/routes');
      const caption = page.getByText('Strategy', { exact: true }).first();
      const lineHeight = await caption.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight));
      expect((await caption.boundingBox())!.height).toBeLessThan(1.5 * lineHeight);
      // A checkbox's words run as one paragraph beside it, its aside too (which stood as a column of its own).
      await go('/settings');
      const box = (await page.getByRole('checkbox', { name: /^Store prompts and answers/ }).boundingBox())!;
      const aside = (await page.getByText("(each request's drawer on the Usage page shows them)").boundingBox())!;
      expect(aside.x - (box.x + box.width)).toBeLessThan(20);
    });
  });

  it('puts the pages in rows above the page on a narrow window, every link on screen', async () => {
    await sized(420, 800, async () => {
      await go('/usage');
      // The page is drawn (its heading) before anything is measured.
      const heading = await page.getByRole('heading', { name: 'Usage', level: 1 }).boundingBox();
      const nav = page.getByRole('navigation', { name: 'Main' });
      const links = await nav.getByRole('link').evaluateAll((els) => els.map((el) => el.getBoundingClientRect()).map((r) => ({ top: r.top, left: r.left, right: r.right })));
      expect(links).toHaveLength(7);
      // Above the page, not beside it; in a few rows, not one per link; none off the window's edge.
      expect(Math.max(...links.map((l) => l.top))).toBeLessThan(heading!.y);
      expect(new Set(links.map((l) => Math.round(l.top))).size).toBeLessThan(links.length / 2);
      expect(links.every((l) => l.left >= 0 && l.right <= 420)).toBe(true);
    });
  });

  it('keeps every card of every page within a phone-wide window (360 px), and every checkbox square beside long words', async () => {
    await sized(360, 800, async () => {
      for (const path of PAGES) {
        await go(path);
        expect(await misfits(page), path).toEqual({ overflowing: [], scrolling: [], spilling: [], squeezed: [], pageWidth: 360 });
      }
      // Measured with a row in them: the breaker events' four columns went past a phone's window.
      await go('/overview');
      await page.getByTestId('breaker-event').first().waitFor();
    });
  });

  it("keeps every card within the desktop app's smallest window (900 px) and a 1024 one: a table whose columns do not fit its card stacks its rows", async () => {
    for (const width of [900, 1024]) {
      await sized(width, 800, async () => {
        for (const path of PAGES) {
          await go(path);
          // The usage log's ten columns and a budget's buttons beside its half-window card went past them.
          expect(await misfits(page), `${path} at ${width}`).toEqual({ overflowing: [], scrolling: [], spilling: [], squeezed: [], pageWidth: width });
        }
        await go('/usage');
        const table = page.getByTestId('usage-table');
        await table.locator('tbody tr').first().waitFor();
        expect(await table.locator('thead').isVisible()).toBe(false);
        // A tool's name stays whole beside its label: boxed in twelve characters it broke inside a word.
        const from = await table.locator('td[data-label="From"]').first().evaluate((td) => td.getClientRects().length === 1 && td.getBoundingClientRect().height < 30);
        expect(from).toBe(true);
        // Its sessions' nine columns too: they scrolled sideways in their card.
        expect(await page.getByTestId('sessions-table').locator('tbody tr').count()).toBe(1);
        expect(await page.getByTestId('sessions-table').locator('thead').isVisible()).toBe(false);
      });
    }
  });
});

/** Runs `body` in a window of that size, then gives the next test the wide window the file starts with. */
async function sized(width: number, height: number, body: () => Promise<void>): Promise<void> {
  await page.setViewportSize({ width, height });
  try {
    await body();
  } finally {
    await page.setViewportSize({ width: 1360, height: 900 });
  }
}

const PAGES = ['/overview', '/routes', '/providers', '/playground', '/connect', '/usage', '/settings'];

/** What does not fit the window on the page shown: cards past its edge, tables scrolling sideways in them, what runs past a card's edge, checkboxes squeezed. */
async function misfits(page: Page) {
  await page.locator('main h1').waitFor();
  await expect.poll(() => page.getByText(/^Loading /).count(), { timeout: 10_000 }).toBe(0);
  const overflowing = await page.locator('.card').evaluateAll((cards) => cards.filter((card) => card.getBoundingClientRect().right > innerWidth + 0.5).map((card) => card.querySelector('h2, h3')?.textContent ?? card.className));
  // Nor does a card's table hide its last columns behind a sideways scroll.
  const scrolling = await page.locator('.card .table-wrap').evaluateAll((wraps) => wraps.filter((wrap) => wrap.scrollWidth > wrap.clientWidth + 1).map((wrap) => wrap.closest('.card')?.querySelector('h2, h3')?.textContent));
  // Nor does anything in a card run past its edge (a table's last cells, a select with long options).
  const spilling = await page.locator('.card').evaluateAll((cards) =>
    cards.flatMap((card) => {
      const edge = card.getBoundingClientRect().right;
      const past = [...card.querySelectorAll('*')].find((el) => el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().right > edge + 0.5);
      return past ? [`${card.querySelector('h2, h3')?.textContent}: ${past.tagName.toLowerCase()}`] : [];
    }),
  );
  const squeezed = await page.locator('input[type=checkbox]').evaluateAll((boxes) => boxes.map((box) => [box.getBoundingClientRect(), box.closest('label')?.textContent] as const).filter(([r]) => r.height > 0 && r.width < r.height - 1).map(([, words]) => words));
  // Nor does the page itself scroll sideways.
  const pageWidth = await page.evaluate(() => document.scrollingElement!.scrollWidth);
  return { overflowing, scrolling, spilling, squeezed, pageWidth };
}

describe('the usage log on a laptop', () => {
  it("shows every column of its requests side by side in a 1280-pixel window (stacked while the window is narrower), each time to the second, another day's with its date", async () => {
    const ask = (model: string) => dashboard.h.openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] }).catch(() => undefined);
    setBack = 2 * 86_400_000;
    await ask('mini');
    setBack = 0;
    // A model name as long as Claude Code's (through the alias), and one no route has, refused with its reason.
    await ask('claude-sonnet-4-5-20250929');
    await ask('claude-opus-4-1-20250805-unknown');
    await sized(1280, 900, async () => {
      await go('/usage');
      const table = page.getByTestId('usage-table');
      await expect.poll(() => table.locator('tbody tr').count()).toBeGreaterThanOrEqual(5);
      const wrap = await table.evaluate((t) => ({ scroll: t.parentElement!.scrollWidth, width: t.parentElement!.clientWidth }));
      expect(wrap.scroll).toBeLessThanOrEqual(wrap.width + 1);
      // Side by side under their headings, not stacked: they fit.
      expect(await table.locator('thead').isVisible()).toBe(true);
      // The window made narrower and wider again, the page as it is: the rows stack, then stand side by side.
      await page.setViewportSize({ width: 900, height: 900 });
      await expect.poll(() => table.locator('thead').isVisible()).toBe(false);
      await page.setViewportSize({ width: 1280, height: 900 });
      await expect.poll(() => table.locator('thead').isVisible()).toBe(true);
      const times = await table.locator('td[data-label="Time"] > span').evaluateAll((cells) => cells.map((c) => ({ text: c.textContent ?? '', title: c.getAttribute('title') ?? '' })));
      const day = (ms: number) => new Date(ms).toLocaleDateString('en-US', { month: 'short', day: 'numeric' });
      // The oldest row is the one of two days ago: its date, then its time; today's rows, their time alone.
      expect(times.at(-1)!.text).toMatch(new RegExp(`^${day(Date.now() - 2 * 86_400_000)} \\d{1,2}:\\d{2}:\\d{2}`));
      expect(times.slice(0, -1).every((t) => /^\d{1,2}:\d{2}:\d{2}( [AP]M)?$/.test(t.text))).toBe(true);
      // The whole moment, with the year, where the pointer rests.
      expect(times.every((t) => t.title.includes(String(new Date().getFullYear())) || t.title.includes(String(new Date().getFullYear() - 1)))).toBe(true);
    });
  });
});

describe("the playground's conversation", () => {
  it('keeps a word longer than a bubble (a URL) in its bubble, and the upstream URL in its card, on a phone and a laptop', async () => {
    for (const width of [360, 1280]) {
      await sized(width, 900, async () => {
        await dashboard.openPlayground();
        await page.getByLabel('Message').fill(`https://example.com/${'a'.repeat(300)}`);
        await page.getByRole('button', { name: 'Send' }).click();
        await page.getByText('Answered by').waitFor();
        await page.getByTestId('upstream').locator('summary').click();
        // The word ran across the page, over the Settings card: 3,000 pixels of page in a 1280 window.
        expect(await misfits(page), `at ${width}`).toEqual({ overflowing: [], scrolling: [], spilling: [], squeezed: [], pageWidth: width });
      });
    }
  });
});

describe("the playground's trace", () => {
  it("keeps each deployment's name on one line beside a long reason, on a phone and a laptop", async () => {
    for (const width of [420, 1280]) {
      await sized(width, 900, async () => {
        await dashboard.openPlayground();
        await page.getByLabel('Model').selectOption('default');
        await page.getByLabel('Simulate failure of mini').check();
        await page.getByLabel('Message').fill('hi');
        await page.getByRole('button', { name: 'Send' }).click();
        await page.getByText('Answered by').waitFor();
        const names = page.getByTestId('decision').locator('li > strong');
        expect(await names.allTextContents()).toEqual(['mini', 'llama']);
        // A name stood as "son" over "net" beside its failure's reason: the reason gives up the room.
        const lines = await names.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)));
        expect(lines.every((n) => n < 1.5), `at ${width}: ${lines}`).toBe(true);
        // And the reason wraps within the card, a word too long for the room left included.
        expect(await misfits(page), `at ${width}`).toEqual({ overflowing: [], scrolling: [], spilling: [], squeezed: [], pageWidth: width });
      });
    }
  });
});

describe("the playground's cards", () => {
  it('keep their own height beside a long conversation: the settings have no room to spare', async () => {
    await dashboard.openPlayground();
    const heights = () => page.locator('.card').filter({ has: page.getByRole('heading', { name: 'Settings' }) }).evaluateAll((cards) => cards.map((card) => Math.round(card.getBoundingClientRect().height)));
    // Measured once the card is there: the page loads before the playground renders its cards.
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    const before = await heights();
    expect(before).toHaveLength(1);
    for (let i = 0; i < 3; i++) {
      await page.getByLabel('Message').fill(`turn ${i}`);
      await page.getByRole('button', { name: 'Send' }).click();
      await expect.poll(() => page.getByText('Answered by').count()).toBe(i + 1);
    }
    // It was stretched, with the code below it, to the conversation's height: a blank half.
    expect(await heights()).toEqual(before);
  });
});

describe('names as long as the config takes', () => {
  it('keeps every one within its card on every page, on a phone and a laptop: a long name breaks, a table with one stacks', async () => {
    const { h } = dashboard;
    const before = h.gateway.config();
    // 128 characters with no space for a name, 256 for a model: the longest the config takes.
    const [provider, deployment, route] = ['provider', 'deployment', 'route'].map((kind) => `${kind}-${'x'.repeat(127 - kind.length)}`);
    const model = `hf.co/${'m'.repeat(246)}:Q4`;
    // One that answers, so its name is in the latency chart's legend too; a gateway's address as long as Cloudflare's.
    const served = `served-${'y'.repeat(121)}`;
    const address = `https://gateway.ai.cloudflare.com/v1/${'0123456789abcdef'.repeat(2)}/my-ai-gateway/openai`;
    h.gateway.applyConfig({
      ...before,
      providers: [...before.providers, { ...before.providers[0]!, name: provider! }, { name: 'cloudflare', kind: 'openai', baseUrl: address }],
      deployments: [...before.deployments, { name: deployment!, provider: provider!, model }, { name: served, provider: 'local', model: 'llama3.2:3b' }],
      routes: [...before.routes, { name: route!, deployments: [deployment!, served, 'mini'] }],
      aliases: { ...before.aliases, [`claude-${'a'.repeat(248)}*`]: route! },
    }, 'test');
    try {
      await h.openai.chat.completions.create({ model: route!, messages: [{ role: 'user', content: 'x' }] }, { headers: { 'x-switchyard-session': 's'.repeat(200), 'user-agent': 'InternalCodeReviewAndRefactoringAssistantService/3.1' } });
      for (const width of [360, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        for (const path of PAGES) {
          await go(path);
          // They ran past their cards: a route's heading, a deployment's model, the Health table's rows, an alias,
          // a provider's address, the latency chart's legend (the page 1,745 pixels wide in a 1,280 window), a tool's name.
          expect(await misfits(page), `${path} at ${width}`).toEqual({ overflowing: [], scrolling: [], spilling: [], squeezed: [], pageWidth: width });
          // And the legend's lines are below the plot, not taken from it (it was a strip 38 pixels high).
          if (path === '/overview') await expect.poll(() => page.locator('.recharts-cartesian-grid').first().evaluate((grid) => grid.getBoundingClientRect().height), { message: `the latency plot at ${width}` }).toBeGreaterThan(150);
        }
      }
    } finally {
      await page.setViewportSize({ width: 1360, height: 900 });
      h.gateway.applyConfig(before, 'test');
    }
  });
});

describe('the Connect page with forty routes', () => {
  it("keeps a tool's config of every model in a box that scrolls, not a page of its own", async () => {
    const { h } = dashboard;
    const before = h.gateway.config();
    const routes = Array.from({ length: 40 }, (_, i) => ({ name: `route-${i + 1}`, deployments: ['mini', 'llama'] }));
    h.gateway.applyConfig({ ...before, routes: [...before.routes, ...routes] }, 'test');
    try {
      await go('/connect');
      const snippet = page.locator('.card', { has: page.getByRole('table', { name: 'opencode settings' }) }).locator('pre.snippet');
      await expect.poll(() => snippet.textContent()).toContain('"route-40"');
      const box = await snippet.evaluate((el) => ({ height: el.getBoundingClientRect().height, scroll: el.scrollHeight, client: el.clientHeight }));
      expect(box.height).toBeLessThan(450);
      expect(box.scroll).toBeGreaterThan(box.client);
    } finally {
      h.gateway.applyConfig(before, 'test');
    }
  });
});
