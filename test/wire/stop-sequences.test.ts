/** A stream cut at a stop sequence the gateway applies itself, however the upstream split its text. */
import { expect, it } from 'vitest';
import type { ChatCompletionChunk } from '../../gateway/wire/canonical';
import { chunksStopped } from '../../gateway/wire/stop-sequences';

const chunk = (content: string | undefined, finish: string | null = null): ChatCompletionChunk =>
  ({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: content === undefined ? {} : { content }, logprobs: null, finish_reason: finish }] }) as ChatCompletionChunk;
const usage = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } } as ChatCompletionChunk;

async function run(parts: ChatCompletionChunk[], stops: string[]) {
  async function* source() {
    yield* parts;
  }
  const out: ChatCompletionChunk[] = [];
  for await (const c of chunksStopped(source(), stops)) out.push(c);
  return { text: out.map((c) => c.choices[0]?.delta.content ?? '').join(''), finish: out.flatMap((c) => c.choices.map((ch) => ch.finish_reason)).filter(Boolean), usage: out.filter((c) => c.usage).length === 1 };
}

it('finds a stop sequence split across chunks, and ends the stream there', async () => {
  expect(await run([chunk('one\n'), chunk('\ntwo'), chunk(undefined, 'stop'), usage], ['\n\n'])).toEqual({ text: 'one', finish: ['stop'], usage: false });
  expect(await run([chunk('a <|end'), chunk('oftext|> b')], ['<|endoftext|>'])).toEqual({ text: 'a ', finish: ['stop'], usage: false });
});

it('gives back what it held when no stop sequence follows, before the finish and its counts', async () => {
  expect(await run([chunk('a <|end'), chunk('less'), chunk(undefined, 'length'), usage], ['<|endoftext|>'])).toEqual({ text: 'a <|endless', finish: ['length'], usage: true });
  // A stream whose finish came with its last text, then its counts: what was held goes out before the counts, which stay on their own chunk.
  expect(await run([chunk('a <|end'), usage], ['<|endoftext|>'])).toEqual({ text: 'a <|end', finish: [], usage: true });
  // A stream that ends without a finish chunk still gives all its text.
  expect(await run([chunk('abc'), chunk('de')], ['xyz'])).toEqual({ text: 'abcde', finish: [], usage: false });
  // A chunk that carries the finish with its text lets nothing wait.
  expect(await run([chunk('ab'), chunk('cd', 'stop')], ['xyz'])).toEqual({ text: 'abcd', finish: ['stop'], usage: false });
});
