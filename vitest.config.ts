import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // A poll waits for what another process or the browser does; on a loaded CI machine that has taken
    // more than vitest's default second. A poll that is met returns at once, so passing runs lose nothing.
    expect: { poll: { timeout: 5_000 } },
    pool: 'forks',
    // West of UTC, where "today" and day buckets disagree for hours: code that reads the machine's zone shows here.
    env: { TZ: 'America/New_York' },
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
