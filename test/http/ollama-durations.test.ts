/**
 * The durations of the Ollama front door's final object when a cloud model answers (a translated
 * answer). Clients turn them into rates, count / duration: `ollama run --verbose` prints both, and
 * scripts divide without a guard. Ollama never sends a zero duration beside tokens, so neither may we:
 * a stream's first token splits its time, and a whole answer's time is shared in proportion to its tokens.
 */
import { Ollama } from 'ollama';
import { expect, it } from 'vitest';
import { assertMatchesSpec } from '../support/spec';
import { useTwoTier } from '../support/two-tier';

const t = useTwoTier();
const messages = [{ role: 'user', content: 'Say hello in a few words' }];
/** A tool asking for the route's cloud deployment: the answer is translated from chat completions. */
const viaCloud = () => new Ollama({ host: t.h.url, headers: { 'x-switchyard-prefer': 'mini' } });

function expectRates(final: { total_duration?: number; prompt_eval_count?: number; prompt_eval_duration?: number; eval_count?: number; eval_duration?: number }) {
  expect(final.prompt_eval_count).toBeGreaterThan(0);
  expect(final.eval_count).toBeGreaterThan(0);
  expect(final.prompt_eval_duration).toBeGreaterThan(0);
  expect(final.eval_duration).toBeGreaterThan(0);
  expect((final.prompt_eval_duration as number) + (final.eval_duration as number)).toBe(final.total_duration);
  expect(Number.isInteger(final.prompt_eval_duration) && Number.isInteger(final.eval_duration)).toBe(true);
}

it('gives a whole translated answer a prompt time and an answer time, in proportion to their tokens', async () => {
  const client = viaCloud();
  for (const answer of [await client.chat({ model: 'default', messages, stream: false }), await client.generate({ model: 'default', prompt: 'Say hello', stream: false })]) {
    assertMatchesSpec('ollama', 'message' in answer ? 'ChatResponse' : 'GenerateResponse', JSON.parse(JSON.stringify(answer)));
    expectRates(answer);
    const tokens = answer.prompt_eval_count + answer.eval_count;
    expect(Math.abs(answer.prompt_eval_duration - (answer.total_duration * answer.prompt_eval_count) / tokens)).toBeLessThanOrEqual(1);
  }
});

it("splits a streamed translated answer's time at its first token", async () => {
  const lines = [];
  for await (const line of await viaCloud().chat({ model: 'default', messages, stream: true })) lines.push(line);
  const final = lines.at(-1) as (typeof lines)[number];
  expect(final.done).toBe(true);
  expectRates(final);
});
