/**
 * The tokenizer counts in a worker thread (gateway/usage/token-counter.ts): the same counts as
 * gpt-tokenizer on this thread, with the event loop free while it loads and never loaded here; a
 * worker that cannot load it leaves the linear count in its place; an idle one ends, and a stuck
 * one is ended. It finds where a text's first tokens end, for an input cut to a window.
 */
import { countTokens, encode } from 'gpt-tokenizer';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createTokenCounter, type TokenCounter } from '../../gateway/usage/token-counter';
import { estimateTokens } from '../../gateway/usage/tokens';
import { turnsDuring } from '../support/event-loop';
import { tempDir } from '../support/harness';

const counters: TokenCounter[] = [];
const counter = (options: Parameters<typeof createTokenCounter>[0] = {}) => {
  const made = createTokenCounter(options);
  counters.push(made);
  return made;
};
afterEach(async () => {
  await Promise.all(counters.splice(0).map((c) => c.stop()));
});

const PROSE = 'Switchyard sends each request to the right model: local Ollama first, a cloud provider when Ollama is down.';
const CODE = 'function add(a: number, b: number): number {\n  return a + b;\n}\n';

it('counts as the tokenizer does, in a worker: the event loop turns while it loads, and this thread never loads it', async () => {
  const tokenizerFile = createRequire(import.meta.url).resolve('gpt-tokenizer');
  // The gateway's own thread: this file's import of gpt-tokenizer goes through vitest, not Node's require.
  delete createRequire(import.meta.url).cache[tokenizerFile];
  const { result, turns } = await turnsDuring(() => estimateTokens(PROSE));
  expect(result).toBe(countTokens(PROSE));
  expect(turns).toBeGreaterThan(1);
  expect(createRequire(import.meta.url).cache[tokenizerFile]).toBeUndefined();
  // A run without whitespace is counted in pieces of at most 200 characters, as before.
  const dna = 'ACGT'.repeat(2_000);
  const pieces = dna.match(/.{1,200}/g) as string[];
  expect(await estimateTokens(dna)).toBe(pieces.reduce((n, piece) => n + countTokens(piece), 0));
  expect(await estimateTokens(`${PROSE}\n${CODE}`)).toBe(countTokens(`${PROSE}\n${CODE}`));
});

it('answers many counts at once, each its own', async () => {
  const counting = counter();
  const texts = Array.from({ length: 50 }, (_, i) => `${PROSE} ${i} ${CODE.repeat(i % 5)}`);
  expect(await Promise.all(texts.map((text) => counting.count([text])))).toEqual(texts.map((text) => countTokens(text)));
});

it('refuses counts when the tokenizer cannot be loaded (the estimate then makes the linear count)', async () => {
  const broken = counter({ module: '/nonexistent/gpt-tokenizer.js' });
  await expect(broken.count([PROSE])).rejects.toThrow(/Cannot find module/);
  // Refused at once after that, with no new worker.
  await expect(broken.count([PROSE])).rejects.toThrow(/Cannot find module/);
  await expect.poll(() => broken.running).toBe(false);
});

it('ends an idle worker, and starts another for the next count', async () => {
  const counting = counter({ idleMs: 20 });
  expect(counting.running).toBe(false);
  expect(await counting.count([PROSE])).toBe(countTokens(PROSE));
  expect(counting.running).toBe(true);
  await expect.poll(() => counting.running, { timeout: 5_000 }).toBe(false);
  expect(await counting.count([CODE])).toBe(countTokens(CODE));
});

it('refuses a count its worker does not answer in time, and ends that worker', async () => {
  const dir = tempDir();
  try {
    // A tokenizer stuck on its input: the worker never answers.
    const stuck = join(dir.path, 'stuck-tokenizer.cjs');
    writeFileSync(stuck, 'exports.countTokens = () => { for (;;); };');
    const counting = counter({ module: stuck, timeoutMs: 300 });
    await expect(counting.count([PROSE])).rejects.toThrow('the token counter answered nothing in 300 ms');
    await expect.poll(() => counting.running).toBe(false);
  } finally {
    dir.remove();
  }
});

it("finds how many characters fit in a number of tokens, reading pieces in order, never half a character", async () => {
  const counting = counter();
  expect(await counting.prefix(['hello world'], 1)).toBe('hello'.length);
  expect(await counting.prefix(['hello', ' world', ' again'], 2)).toBe('hello world'.length);
  expect(await counting.prefix([PROSE], 1_000)).toBe(PROSE.length);
  // An emoji is several tokens (and two UTF-16 units): a limit inside the second keeps the first alone.
  const emoji = 'ok 🦜🦜';
  expect(await counting.prefix([emoji], encode(emoji).length - 1)).toBe('ok 🦜'.length);
  // The most that fits, in a long piece of a script the tokenizer splits finely.
  const hindi = 'भारत दक्षिण एशिया में स्थित एक विशाल देश है। '.repeat(40);
  const kept = await counting.prefix([hindi], 300);
  expect(encode(hindi.slice(0, kept)).length).toBeLessThanOrEqual(300);
  expect(encode(hindi.slice(0, kept + 1)).length).toBeGreaterThan(300);
});

it("counts a special token's name in the text as text, where the tokenizer refused it and the estimate stood in", async () => {
  const text = 'The tokenizer ends a document with <|endoftext|>, and a chat turn with <|im_end|>.';
  expect(await counter().count([text])).toBe(countTokens(text, { disallowedSpecial: new Set() }));
});
