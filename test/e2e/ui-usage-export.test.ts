/**
 * The Usage page's export, in a real browser: Export CSV and Export JSON download the rows the page's
 * filters select, all of them (several of the reader thread's 500-row pages), and a spreadsheet
 * gets no formula out of a client's text.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { twoProviders, useDashboard } from '../support/dashboard';
import { usageRow } from '../support/usage-log';

const dashboard = useDashboard(twoProviders);
const CODEX_ROWS = 1_203;

beforeAll(async () => {
  const at = Date.now() - 60_000;
  for (let i = 0; i < CODEX_ROWS; i++) dashboard.h.gateway.usage.record(usageRow({ id: `codex-${i}`, at: at + i, tool: 'Codex', errorMessage: i === 7 ? '=HYPERLINK("http://x")' : null }));
  for (let i = 0; i < 40; i++) dashboard.h.gateway.usage.record(usageRow({ id: `curl-${i}`, at: at + i, tool: 'curl' }));
  await dashboard.logIn();
});

async function download(button: string): Promise<{ name: string; text: string }> {
  const { page } = dashboard;
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: button }).click()]);
  expect(await file.failure()).toBeNull();
  return { name: file.suggestedFilename(), text: readFileSync((await file.path()) as string, 'utf8') };
}

it("downloads every row of the page's filter as CSV, oldest first, with no formula in a cell", async () => {
  await dashboard.go('/usage?tool=Codex');
  await expect.poll(() => dashboard.page.getByTestId('usage-table').locator('tbody tr').first().textContent()).toContain('Codex');
  const { name, text } = await download('Export CSV');
  expect(name).toBe('switchyard-usage.csv');
  const lines = text.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^request_id,time,endpoint,/);
  expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(Array.from({ length: CODEX_ROWS }, (_, i) => `codex-${i}`));
  expect(lines[8]).toContain(`"'=HYPERLINK(""http://x"")"`);
});

it('downloads the same rows as JSON, which parses whole', async () => {
  await dashboard.go('/usage?tool=Codex');
  await expect.poll(() => dashboard.page.getByTestId('usage-table').locator('tbody tr').first().textContent()).toContain('Codex');
  const { name, text } = await download('Export JSON');
  expect(name).toBe('switchyard-usage.json');
  const rows = JSON.parse(text) as { id: string; tool: string }[];
  expect(rows).toHaveLength(CODEX_ROWS);
  expect(rows.every((row) => row.tool === 'Codex')).toBe(true);
  expect(rows[CODEX_ROWS - 1]?.id).toBe(`codex-${CODEX_ROWS - 1}`);
});
