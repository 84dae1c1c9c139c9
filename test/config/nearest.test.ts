/**
 * The name a typo was meant to be: within two edits, the closest, none for a name that is already
 * there or too far off; the banded search agrees with a whole Levenshtein table on random words.
 */
import { expect, it } from 'vitest';
import { nearest } from '../../gateway/config/nearest';

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

it('finds the name one or two edits off, the closest first, or the one a vendor prefix was put before', () => {
  expect(nearest('mni', ['llama', 'mini'])).toBe('mini');
  expect(nearest('defualt', ['cloud-first', 'default'])).toBe('default');
  expect(nearest('serv', ['status', 'serve'])).toBe('serve');
  expect(nearest('abcdef', ['abcxyz', 'abdcef'])).toBe('abdcef');
  expect(nearest('llama', ['llama'])).toBeUndefined();
  expect(nearest('kitten', ['sitting'])).toBeUndefined();
  // With a vendor's prefix, as LiteLLM and OpenRouter write models: the name after it.
  expect(nearest('openai/mini', ['llama', 'mini'])).toBe('mini');
  expect(nearest('openai/gpt-4.1-mini', ['mini'])).toBeUndefined();
  // In other capitals, however many: the name itself.
  expect(nearest('CLOUD-FIRST', ['cloud-firsts', 'cloud-first'])).toBe('cloud-first');
  expect(nearest('Mini', ['mino', 'mini'])).toBe('mini');
  expect(nearest('x'.repeat(41), ['x'.repeat(40)])).toBeUndefined();
  // A config read as best it can be may hold a number where a name goes: nothing is suggested for it.
  expect(nearest(2 as unknown as string, ['ab'])).toBeUndefined();
});

it('agrees with a whole Levenshtein table on random words', () => {
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const word = () => Array.from({ length: 1 + Math.floor(random() * 9) }, () => 'abc'[Math.floor(random() * 3)]).join('');
  for (let n = 0; n < 5_000; n++) {
    const typed = word();
    const known = [word(), word(), word(), word()];
    const distances = known.filter((name) => name !== typed).map((name) => levenshtein(typed, name)).filter((d) => d <= 2);
    const found = nearest(typed, known);
    expect(found === undefined ? undefined : levenshtein(typed, found)).toBe(distances.length > 0 ? Math.min(...distances) : undefined);
  }
});
