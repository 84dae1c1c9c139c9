/**
 * The dashboard's words read against what is behind them, in a real browser (support/dashboard.ts):
 * every page in light and dark, with traffic, a failure, an open breaker, a field's error and a
 * request's drawer on screen, each text at WCAG AA's contrast (4.5:1, 3:1 for large text). White on
 * the dark theme's accent was 3.2:1 on every primary button, and charts' legends were written in
 * their series' colours (3.2:1 for "errors" on a dark card).
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { twoProviders, useDashboard } from '../support/dashboard';

const dashboard = useDashboard((upstreams) => {
  const config = twoProviders(upstreams);
  // The local model's breaker opens at its first failure: the Overview shows it open.
  return { ...config, deployments: [{ ...config.deployments[0]!, breaker: { failures: 1 } }, config.deployments[1]!] };
});
beforeAll(async () => {
  const { h, ollama, openai } = dashboard;
  for (const model of ['llama', 'mini']) await h.openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] });
  await Promise.all([ollama.setMode({ kind: 'status', status: 500 }), openai.setMode({ kind: 'status', status: 500 })]);
  await h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'x' }] }, { maxRetries: 0 }).catch(() => undefined);
  await Promise.all([ollama.setMode({ kind: 'healthy' }), openai.setMode({ kind: 'healthy' })]);
  await dashboard.logIn();
});

describe("the dashboard's contrast", () => {
  it('keeps every word on every page at AA contrast, in light and in dark', async () => {
    const { page } = dashboard;
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await page.evaluate((t) => localStorage.setItem('switchyard.theme', t), theme);
      for (const path of ['/overview', '/routes', '/providers', '/playground', '/connect', '/usage', '/settings']) {
        await shown(page, () => dashboard.go(path));
        expect(await page.locator('html').getAttribute('data-theme')).toBe(theme);
        expect(await faint(page), `${path} in ${theme}`).toEqual([]);
      }
      // A field's error: a route named as one that is there.
      await shown(page, () => dashboard.go('/routes'));
      const form = page.getByTestId('new-route');
      await form.getByPlaceholder('coder').fill('default');
      await form.getByRole('checkbox', { name: 'mini', exact: true }).check();
      await page.getByRole('button', { name: 'Create route' }).click();
      await form.getByRole('alert').waitFor();
      expect(await faint(page), `a field's error in ${theme}`).toEqual([]);
      // A request's drawer, over the usage log.
      await shown(page, () => dashboard.go('/usage'));
      await page.getByTestId('usage-table').locator('tbody tr').first().click();
      await page.getByTestId('request-drawer').getByTestId('decision').waitFor();
      expect(await faint(page), `the request drawer in ${theme}`).toEqual([]);
    }
  });
});

async function shown(page: Page, go: () => Promise<void>) {
  await go();
  await page.locator('main h1').waitFor();
  await expect.poll(() => page.getByText(/^Loading /).count(), { timeout: 10_000 }).toBe(0);
}

/**
 * The words on screen below AA contrast against the colours behind them, each kind once: "ratio
 * words :: element, colour on background". HTML text only: a chart's axes are drawn in SVG.
 */
function faint(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type Rgb = { r: number; g: number; b: number };
    const parse = (css: string) => {
      const [r = 0, g = 0, b = 0, a = 1] = (css.match(/[\d.]+/g) ?? []).map(Number);
      return { r, g, b, a };
    };
    const over = (top: Rgb & { a: number }, under: Rgb): Rgb => ({ r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a), b: top.b * top.a + under.b * (1 - top.a) });
    const luminance = ({ r, g, b }: Rgb) => {
      const linear = (v: number) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
      return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    };
    // The backgrounds from the element out to the first opaque one, laid over each other.
    const behind = (el: Element): Rgb => {
      const layers = [];
      for (let at: Element | null = el; at; at = at.parentElement) {
        const colour = parse(getComputedStyle(at).backgroundColor);
        if (colour.a === 0) continue;
        layers.push(colour);
        if (colour.a === 1) break;
      }
      return layers.reverse().reduce<Rgb>((under, top) => over(top, under), { r: 255, g: 255, b: 255 });
    };
    const found = new Map<string, string>();
    const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = texts.nextNode(); node; node = texts.nextNode()) {
      const words = node.textContent?.trim();
      const el = node.parentElement;
      if (!words || !el || el instanceof SVGElement) continue;
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      // WCAG leaves out what cannot be used (a disabled button) and what is not shown.
      if (box.width === 0 || style.visibility === 'hidden' || el.closest(':disabled')) continue;
      const back = behind(el);
      const ratio = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      const contrast = ratio(luminance(over(parse(style.color), back)), luminance(back));
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (contrast >= (large ? 3 : 4.5)) continue;
      const kind = `${el.tagName.toLowerCase()}.${el.className} ${style.color} on rgb(${Math.round(back.r)}, ${Math.round(back.g)}, ${Math.round(back.b)})`;
      if (!found.has(kind)) found.set(kind, `${contrast.toFixed(2)} "${words.slice(0, 40)}" :: ${kind}`);
    }
    return [...found.values()];
  });
}
