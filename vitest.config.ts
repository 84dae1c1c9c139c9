import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // West of UTC, where "today" and day buckets disagree for hours: code that reads the machine's zone shows here.
    env: { TZ: 'America/New_York' },
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
