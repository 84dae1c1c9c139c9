/** The nearest effort a model has to the one asked, on one ladder across vendors. */
import { describe, expect, it } from 'vitest';
import { effortsIn, nearestEffort, THINK_LEVELS } from '../../gateway/models/efforts';

describe('the nearest effort', () => {
  it('is the most that is not more, else the least that is more; none only for none', () => {
    const cases: [string, readonly ('none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | 'max')[], string | undefined][] = [
      ['max', THINK_LEVELS, 'high'],
      ['xhigh', ['low', 'medium', 'high', 'max'], 'high'],
      ['minimal', THINK_LEVELS, 'low'],
      ['minimal', ['none', 'low', 'high'], 'low'],
      ['medium', ['low', 'high'], 'low'],
      ['none', ['none', 'low'], 'none'],
      ['none', THINK_LEVELS, undefined],
      ['high', [], undefined],
      ['extreme', THINK_LEVELS, undefined],
      [undefined as unknown as string, THINK_LEVELS, undefined],
    ];
    for (const [asked, offered, nearest] of cases) expect([asked, offered, nearestEffort(asked, offered)]).toEqual([asked, offered, nearest]);
  });

  it("is read from an upstream's list of the efforts it takes", () => {
    expect(effortsIn("'none', 'low', 'medium', 'high', and 'xhigh'")).toEqual(['none', 'low', 'medium', 'high', 'xhigh']);
    expect(effortsIn('high, low, medium, none')).toEqual(['none', 'low', 'medium', 'high']);
    expect(effortsIn('the maximum is highest')).toEqual([]);
  });
});
