import { describe, expect, it } from 'vitest';
import { OutcomeWindow } from '../../gateway/routing/outcome-window';

describe('OutcomeWindow', () => {
  it('counts the outcomes of the last window, to a twentieth of it', () => {
    const window = new OutcomeWindow(20_000);
    const t0 = 1_000_000;
    for (let s = 0; s < 40; s++) window.add(t0 + s * 1_000, s % 4 === 0);
    // At t0 + 39 s the window covers seconds 20..39: twenty outcomes, five of them failed.
    expect(window.counts(t0 + 39_000)).toEqual({ total: 20, failed: 5 });
    // Later, with nothing new, older buckets drop out one by one until none is left.
    expect(window.counts(t0 + 49_000)).toEqual({ total: 10, failed: 2 });
    expect(window.counts(t0 + 60_000)).toEqual({ total: 0, failed: 0 });
  });

  it('keeps the same few numbers however many outcomes it is told', () => {
    const window = new OutcomeWindow(60_000);
    for (let i = 0; i < 1_000_000; i++) window.add(2_100_000 + (i % 60_000), i % 10 === 0);
    expect(window.counts(2_100_000 + 59_999)).toEqual({ total: 1_000_000, failed: 100_000 });
  });
});
