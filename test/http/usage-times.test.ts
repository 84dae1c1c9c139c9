/**
 * The admin API's usage ranges (`since`, `until`) as a person types them: a date is its midnight
 * and a time without an offset its wall time in the gateway's zone, not UTC's as `Date.parse` reads
 * a bare date; a date the calendar has not is a 400, where `Date.parse` moves it to March.
 */
import { expect, it } from 'vitest';
import { startGateway, twoTierConfig } from '../support/harness';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier({ config: () => config() });
const config = () => twoTierConfig({ ollama: t.ollama.url, openai: t.openai.url });

it("reads a date as its midnight and a time without an offset as the wall time in the gateway's zone, and refuses a date the calendar has not", async () => {
  // 05:00 on 11 November in Tokyo, 20:00 on the 10th in UTC, 15:00 on the 10th in New York (this process's zone).
  const at = Date.parse('2026-11-10T20:00:00Z');
  const tokyo = await startGateway(config(), { timeZone: 'Asia/Tokyo', now: () => at });
  try {
    await tokyo.openai.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'x' }] });
    const count = async (since: string) => ((await tokyo.admin(`/admin/api/usage?since=${encodeURIComponent(since)}`).then((r) => r.json())).rows as unknown[]).length;
    await expect.poll(() => count('0')).toBe(1);
    // Tokyo's 11 November began at 15:00 UTC on the 10th: Date.parse would have read UTC's midnight and left the row out.
    expect(await count('2026-11-11')).toBe(1);
    expect(await count('2026-11-12')).toBe(0);
    expect(await count('2026-11-11T04:59')).toBe(1);
    expect(await count('2026-11-11 05:01')).toBe(0);
    expect(await count('2026-11-10T20:00:00Z')).toBe(1);
    expect(await count('2026-11-10T20:00:00.001+00:00')).toBe(0);
    expect(await count('2026-11-11T05:00+09')).toBe(1);
    expect(await count(String(at))).toBe(1);
    for (const since of ['2026-02-30', '2026-11-11T24:00', 'Nov 11 2026', '2026-11-11+09:00', '-1']) {
      const bad = await tokyo.admin(`/admin/api/usage?since=${encodeURIComponent(since)}`);
      expect(bad.status, since).toBe(400);
    }
  } finally {
    await tokyo.stop();
  }
});
