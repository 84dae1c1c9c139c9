/**
 * The quick token estimate (gateway/usage/tokens.ts) decides whether a request fits a window and
 * how far an Ollama's `num_ctx` is raised, where a count short of the truth lets Ollama cut the
 * prompt silently, and one far over it passes a local model over for a paid one. It stays within
 * about a fifth of OpenAI's tokenizers on what agents send: prose (legal English of long words, once
 * read at 1.23), code, JSON and the numbers of tool output (a CSV, a log), once read at 0.61
 * and 0.70 of the count.
 */
import { encode as cl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { encode as o200k } from 'gpt-tokenizer';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { quickTokenCount } from '../../gateway/usage/tokens';

const root = join(import.meta.dirname, '..', '..');
const texts: Record<string, string> = {
  prose: readFileSync('/usr/share/common-licenses/GPL-3', 'utf8'),
  // Legal English, of long words: one per 4 characters read it at 1.23 of the count.
  legal: readFileSync('/usr/share/common-licenses/MPL-2.0', 'utf8'),
  readme: readFileSync(join(root, 'README.md'), 'utf8'),
  code: readFileSync(join(root, 'gateway', 'routing', 'plan.ts'), 'utf8'),
  json: readFileSync(join(root, 'gateway', 'models', 'known-models.json'), 'utf8'),
  csv: Array.from({ length: 3_000 }, (_, i) => `${i},${(i * 3.14159).toFixed(5)},${i * i},2026-01-${(i % 28) + 1}`).join('\n'),
  log: Array.from({ length: 2_000 }, (_, i) => `2026-12-07T20:${String(i % 60).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}.${String(i % 1000).padStart(3, '0')}Z INFO req-${i} 10.0.${i % 256}.${(i * 13) % 256} GET /api/v1/items/${i * 37} 200 ${i % 500}ms`).join('\n'),
  numbers: JSON.stringify(Array.from({ length: 1_000 }, (_, i) => ({ id: i, price: Math.round(i * 137) / 100, qty: i % 17, lat: 48.8566 + i / 1e4 }))),
};

for (const [kind, text] of Object.entries(texts)) {
  it(`estimates ${kind} within a fifth of cl100k's and o200k's counts`, () => {
    const estimate = quickTokenCount(text);
    for (const encode of [cl100k, o200k]) {
      const ratio = estimate / encode(text).length;
      expect(ratio).toBeGreaterThan(0.8);
      expect(ratio).toBeLessThan(1.25);
    }
  });
}

it('counts a number a token per three digits, apart from the letters beside it', () => {
  expect(quickTokenCount('2026')).toBe(2);
  expect(quickTokenCount('123456789')).toBe(3);
  expect(quickTokenCount('item42')).toBe(2);
  expect(quickTokenCount('hello')).toBe(1);
  expect(quickTokenCount('configuration')).toBe(3);
  // A long run of both (a hash) is read as one, as before.
  expect(quickTokenCount('3f2a9c0d1e8b7a6f5c4d3e2f1a0b9c8d')).toBe(Math.ceil(32 / 2.1));
});
