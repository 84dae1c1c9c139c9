/**
 * Ends every test run with the plain line CI reads: `N passed, N failed` (and skipped). Vitest's
 * own summary is not in that form. A file that failed to run (it did not load, or a beforeAll hook
 * threw) counts each of its tests that did not pass as failed, or the file itself as one failure
 * when no test was collected, so the line agrees with the exit code.
 */
import type { Reporter, TestModule } from 'vitest/node';

export function summarise(testModules: ReadonlyArray<TestModule>, unhandledErrors: number): { passed: number; failed: number; skipped: number } {
  let passed = 0;
  let failed = unhandledErrors;
  let skipped = 0;
  for (const module of testModules) {
    const tests = [...module.children.allTests()];
    // A hook or import error fails the file without failing a test: its tests never ran.
    const broken = module.errors().length > 0 || (module.state() === 'failed' && !tests.some((t) => t.result().state === 'failed'));
    if (broken && tests.length === 0) failed++;
    for (const test of tests) {
      const state = test.result().state;
      if (state === 'passed') passed++;
      else if (state === 'failed' || broken) failed++;
      else skipped++;
    }
  }
  return { passed, failed, skipped };
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    const { passed, failed, skipped } = summarise(testModules, unhandledErrors.length);
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`);
  }
}
