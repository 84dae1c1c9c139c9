/** Sizes in the dashboard as people read them: a cache of one answer is not "0.0 of 256 MiB". */
import { expect, it } from 'vitest';
import { size } from '../../renderer/src/ui/parts';

it('says a size in the largest unit it reaches, to a tenth below ten', () => {
  expect([0, 512, 1023].map(size)).toEqual(['0 B', '512 B', '1023 B']);
  expect([1024, 2150, 9.94 * 1024, 10 * 1024, 1_000_000].map(size)).toEqual(['1 KiB', '2.1 KiB', '9.9 KiB', '10 KiB', '977 KiB']);
  expect([1.1 * 2 ** 20, 256 * 2 ** 20, 3.42 * 2 ** 30, 5 * 2 ** 40, 2 ** 60].map(size)).toEqual(['1.1 MiB', '256 MiB', '3.4 GiB', '5 TiB', '1048576 TiB']);
});
