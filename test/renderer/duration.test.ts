/** Times in the dashboard as people read them: a local model's minute-long answer is not "84213 ms". */
import { expect, it } from 'vitest';
import { duration } from '../../renderer/src/ui/parts';

it('says a time in ms under a second, in seconds to a tenth under a minute, and in minutes and seconds past one', () => {
  expect([0, 8.6, 840, 999.4].map(duration)).toEqual(['0 ms', '9 ms', '840 ms', '999 ms']);
  expect([1_000, 12_449, 59_940].map(duration)).toEqual(['1.0 s', '12.4 s', '59.9 s']);
  expect([59_960, 60_000, 84_213, 185_000, 3_599_000].map(duration)).toEqual(['1 min 0 s', '1 min 0 s', '1 min 24 s', '3 min 5 s', '59 min 59 s']);
});
