/**
 * The Usage page's numbers, in a real browser: the dollar charts' axes step by round amounts and say
 * each exactly (recharts' own steps were $0.00065 apart, labelled $0.0013 then $0.002) and put $0
 * at their foot when nothing was spent (it stood midway up), their
 * tooltips say dollars as the rest of the dashboard does ($1,234.50, where they said $1.23e+3), and
 * token counts are grouped as the CLI says them (153,284, where they said 153284; a chart's axis
 * says 160K), and the
 * Overview's latencies past a second are said in seconds (20 s, where they said 20000 ms).
 */
import { beforeAll, expect, it } from 'vitest';
import { twoProviders, useDashboard } from '../support/dashboard';
import { usageRow } from '../support/usage-log';

const dashboard = useDashboard(twoProviders);
beforeAll(() => dashboard.logIn());

const card = (title: string) => dashboard.page.locator('.card', { has: dashboard.page.getByText(title, { exact: true }) });
const ticks = (title: string) => card(title).locator('.recharts-cartesian-axis-tick-value[orientation="left"]').allTextContents();
const spend = (id: string, cost: number, tool: string) => dashboard.h.gateway.usage.record(usageRow({ id, at: Date.now(), deployment: 'mini', provider: 'cloud', cost, wouldCost: cost, saved: 0, tool }));

it('put $0 at the foot of a dollar axis when nothing cost anything, not midway up with room below it', async () => {
  spend('free', 0, 'curl');
  await dashboard.go('/usage');
  const chart = card('Cost vs what it would have cost');
  await expect.poll(() => ticks('Cost vs what it would have cost')).toEqual(['$0']);
  const axis = (await chart.locator('.recharts-yAxis .recharts-cartesian-axis-line').boundingBox())!;
  const zero = (await chart.locator('.recharts-cartesian-axis-tick-value[orientation="left"]').boundingBox())!;
  expect(Math.abs(zero.y + zero.height / 2 - (axis.y + axis.height))).toBeLessThan(8);
});

it('step dollar axes by round amounts, each said exactly', async () => {
  spend('cents-1', 0.001, 'Codex');
  spend('cents-2', 0.0015, 'curl');
  await dashboard.go('/usage');
  // The stack of the day adds up to $0.0025; the line's highest point is the same.
  await expect.poll(() => ticks('Cost by tool')).toEqual(['$0', '$0.001', '$0.002', '$0.003']);
  await expect.poll(() => ticks('Cost vs what it would have cost')).toEqual(['$0', '$0.001', '$0.002', '$0.003']);
});

it('say dollars in the tooltips as the dashboard does everywhere', async () => {
  spend('dollars', 1_234.4975, 'Codex');
  await dashboard.go('/usage');
  await expect.poll(() => ticks('Cost by tool')).toEqual(['$0', '$500', '$1,000', '$1,500']);
  const bars = card('Cost by tool').locator('.recharts-bar-rectangle');
  await expect.poll(() => bars.count()).toBeGreaterThan(0);
  // Codex's bar, the tall one (curl's on top of it is a sliver).
  await bars.first().hover();
  const tip = card('Cost by tool').locator('.recharts-tooltip-wrapper');
  await expect.poll(() => tip.textContent()).toMatch(/Codex : \$1,234\.50/);
});

it("group token counts, in the table and in a request's details", async () => {
  const { page, h } = dashboard;
  h.gateway.usage.record(usageRow({ id: 'long-session', at: Date.now(), inputTokens: 153_284, outputTokens: 2_210, cacheReadTokens: 148_000, tool: 'Claude Code' }));
  await dashboard.go('/usage');
  // The chart's axis in short (160K), not 160000.
  await expect.poll(async () => (await ticks('Tokens by provider')).some((tick) => /^\d+(\.\d)?K$/.test(tick))).toBe(true);
  expect((await ticks('Tokens by provider')).every((tick) => /^\d+(\.\d)?[KM]?$/.test(tick))).toBe(true);
  const row = page.getByTestId('usage-table').locator('tbody tr', { hasText: 'Claude Code' });
  await expect.poll(() => row.locator('td[data-label="Tokens"]').textContent()).toBe('153,284 / 2,210 · 148,000 cached');
  await row.click();
  await expect.poll(() => page.getByRole('row', { name: /^Tokens / }).textContent()).toBe('Tokens153,284 in / 2,210 out · 148,000 cached');
});

it("group the Overview's count of today's requests", async () => {
  const { page, h } = dashboard;
  for (let i = 0; i < 1_200; i++) h.gateway.usage.record(usageRow({ id: `today-${i}`, at: Date.now() }));
  await dashboard.go('/overview');
  const stat = page.locator('.stat', { hasText: 'Requests today' }).locator('.value');
  await expect.poll(() => stat.textContent()).toMatch(/^1,2\d\d$/);
});

it("say the Overview's latencies in seconds past one", async () => {
  const { page, h } = dashboard;
  for (let i = 0; i < 20; i++) h.gateway.usage.record(usageRow({ id: `slow-${i}`, at: Date.now(), deployment: 'mini', provider: 'cloud', totalMs: 14_000 }));
  await dashboard.go('/overview');
  const card = page.locator('.card', { has: page.getByText('Latency p50 / p95 by deployment (24 h)', { exact: true }) });
  const ticks = () => card.locator('.recharts-cartesian-axis-tick-value[orientation="left"]').allTextContents();
  // The hour's p95 is the histogram's bound above 14 s: 20 s.
  await expect.poll(ticks).toContain('20 s');
  expect((await ticks()).every((tick) => /^\d+(\.\d)? s$|^0 ms$/.test(tick))).toBe(true);
});
