/**
 * A request's drawer on a phone: each step of how it was routed stays within the drawer. The badge
 * and the deployment's name took the row, and a skipped step's reason ran past the drawer's edge,
 * out of sight; where they leave it too little room, the reason now goes to the next line.
 */
import { describe, expect, it } from 'vitest';
import { twoProviders, useDashboard } from '../support/dashboard';

// A deployment named as people name them (its provider, its model), as long as a phone's row takes beside its badge.
const dashboard = useDashboard((upstreams) => {
  const config = twoProviders(upstreams);
  return { ...config, deployments: [config.deployments[0]!, { ...config.deployments[1]!, name: 'openai-gpt-4.1-mini' }], routes: [{ name: 'default', deployments: ['openai-gpt-4.1-mini', 'llama'] }] };
});

describe("a request's drawer on a phone", () => {
  it("keeps a skipped step's reason within the drawer, below its name, and beside it on a laptop", async () => {
    const { h, page, openai } = dashboard;
    // The cloud model missing (a 404) blocks its deployment: the next request skips it, with the reason why.
    await openai.setMode({ kind: 'status', status: 404, body: { error: { message: 'The model `gpt-4.1-mini` does not exist', type: 'invalid_request_error', code: 'model_not_found' } } });
    const ask = () => h.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'x' }] });
    await ask();
    await openai.setMode({ kind: 'healthy' });
    await ask();
    await dashboard.logIn();
    for (const width of [360, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await dashboard.go('/usage');
      await page.getByTestId('usage-table').locator('tbody tr').first().click();
      const drawer = page.getByTestId('request-drawer');
      const skipped = drawer.getByTestId('decision').locator('li', { hasText: 'skipped' });
      await skipped.waitFor();
      const [edge, reason, name] = await Promise.all([
        drawer.evaluate((el) => el.getBoundingClientRect().right),
        skipped.locator('> :last-child').boundingBox(),
        skipped.locator('> strong').boundingBox(),
      ]);
      expect(reason!.x + reason!.width, `at ${width}`).toBeLessThanOrEqual(edge + 0.5);
      expect(await skipped.evaluate((li) => li.scrollWidth - li.clientWidth), `at ${width}`).toBeLessThanOrEqual(1);
      // A column wide enough to read (on a phone, on a line of its own or beside the name below the badge),
      // and beside the name where there is room.
      expect(reason!.width, `at ${width}`).toBeGreaterThan(100);
      if (width === 1280) expect(reason!.y).toBeLessThan(name!.y + name!.height);
      await page.keyboard.press('Escape');
    }
    await page.setViewportSize({ width: 1360, height: 900 });
  });
});
