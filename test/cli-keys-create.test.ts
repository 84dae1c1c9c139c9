/** `switchyard keys create --rpm` and `--routes`: the limits the admin API takes, and no other (the rest of keys: cli.test.ts). */
import { expect, it } from 'vitest';
import { dir, run, useCliCleanups } from './support/cli';

useCliCleanups();

it('takes a rate limit the admin API takes, in digits, and makes no key for any other', () => {
  const data = dir();
  for (const rpm of ['0', '1.5', '0x10', ' 5', '1e3', '1000001', '99999999999']) {
    expect(run(['keys', 'create', 'k', `--rpm=${rpm}`, '--data-dir', data])).toMatchObject({ code: 2, stderr: `--rpm "${rpm}" is not a whole number of requests per minute from 1 to 1,000,000\n` });
  }
  expect(run(['keys', 'list', '--data-dir', data]).stdout).toBe('');
  expect(run(['keys', 'create', 'k', '--rpm', '1000000', '--data-dir', data]).code).toBe(0);
  expect(run(['keys', 'list', '--data-dir', data]).stdout).toMatch(/^k\t\S+\.\.\.\tactive\t1000000\/min\tall routes\n$/);
});

it('takes the route lists the admin API takes, and makes no key for a longer one', () => {
  const data = dir();
  const many = Array.from({ length: 257 }, (_, i) => `r${i}`).join(',');
  for (const routes of [many, 'x'.repeat(257)]) {
    expect(run(['keys', 'create', 'k', `--routes=${routes}`, '--data-dir', data])).toMatchObject({ code: 2, stderr: '--routes takes at most 256 names of at most 256 characters each\n' });
  }
  expect(run(['keys', 'list', '--data-dir', data]).stdout).toBe('');
  expect(run(['keys', 'create', 'k', `--routes=${many.split(',').slice(0, 256).join(',')}`, '--data-dir', data]).code).toBe(0);
  expect(run(['keys', 'list', '--data-dir', data]).stdout).toMatch(/\tr0,r1,.*,r255\n$/);
});
