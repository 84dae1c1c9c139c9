/**
 * Settings says where notices go on a desktop app whose environment names a webhook too: both
 * places, the webhook by its host alone (its path is the channel's secret).
 */
import { expect, it } from 'vitest';
import { twoProviders, useDashboard } from '../support/dashboard';

const dashboard = useDashboard(twoProviders, { notices: { desktop: true, webhookHost: 'hooks.slack.com' } });

it("names this app's notifications and the webhook's host", async () => {
  await dashboard.logIn();
  await dashboard.go('/settings');
  const notices = dashboard.page.getByTestId('notices');
  await notices.waitFor();
  expect(await notices.textContent()).toBe(
    "Notices: this app's notifications, and posted to the webhook at hooks.slack.com, on each change (a provider down or back, falling back, a budget at 80% or spent, a full disk, a pull ended).",
  );
});
