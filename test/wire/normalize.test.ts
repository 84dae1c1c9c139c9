/** What an OpenAI-compatible server's answer is mended into on its way in, so every client reads one shape. */
import { expect, it } from 'vitest';
import type { ChatCompletion, ChatCompletionChunk } from '../../gateway/wire/canonical';
import { createChunkNormalizer, normalizeCompletion } from '../../gateway/wire/normalize';

const completion = (usage: object, message: object = { role: 'assistant', content: 'hi' }, finish = 'stop') =>
  ({ id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message, finish_reason: finish }], usage }) as unknown as ChatCompletion;

it('counts thinking a server left out of completion_tokens but counted in total_tokens as output, as OpenAI does', () => {
  // A thinking model's answer that was all thought: 60 tokens billed as output, none said to be.
  expect(normalizeCompletion(completion({ prompt_tokens: 21, completion_tokens: 0, total_tokens: 81 })).usage).toMatchObject({ completion_tokens: 60, total_tokens: 81 });
  expect(normalizeCompletion(completion({ prompt_tokens: 20, completion_tokens: 151, total_tokens: 553 })).usage?.completion_tokens).toBe(533);
  // Counts that add up are left alone, and so are counts without a total.
  expect(normalizeCompletion(completion({ prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 })).usage?.completion_tokens).toBe(5);
  expect(normalizeCompletion(completion({ prompt_tokens: 20, completion_tokens: 5 })).usage?.completion_tokens).toBe(5);
  const chunk = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: { prompt_tokens: 10, completion_tokens: 3, total_tokens: 40 } } as unknown as ChatCompletionChunk;
  expect(createChunkNormalizer()(chunk).usage?.completion_tokens).toBe(30);
});

it('says tool_calls where a server said stop after tool calls (Gemini), and fills what the spec requires', () => {
  const call = { id: 'a', type: 'function', function: { name: 'f', arguments: '{}' } };
  const out = normalizeCompletion(completion({ prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 }, { role: 'assistant', tool_calls: [call] }));
  expect(out.choices[0]).toMatchObject({ finish_reason: 'tool_calls', logprobs: null, message: { content: null, refusal: null, tool_calls: [call] } });
});

it("holds a call's fragments until its name comes, names calls that came without an id, and lets an unnamed call out at the finish", () => {
  const normalize = createChunkNormalizer();
  const fragment = (calls: object[], finish: string | null = null) =>
    normalize({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { tool_calls: calls }, logprobs: null, finish_reason: finish }] } as unknown as ChatCompletionChunk).choices[0]!.delta;
  expect(fragment([{ index: 0, id: 'call_a', function: { arguments: '{"ci' } }])).toEqual({});
  expect(fragment([{ index: 0, function: { name: 'weather', arguments: 'ty":1}' } }]).tool_calls).toEqual([{ index: 0, id: 'call_a', type: 'function', function: { name: 'weather', arguments: '{"city":1}' } }]);
  // Named at once but given no id: one of the gateway's.
  expect(fragment([{ index: 1, function: { name: 'time', arguments: '{}' } }]).tool_calls?.[0]).toMatchObject({ index: 1, id: expect.stringMatching(/^call_/), function: { name: 'time' } });
  // Never named: it goes out as it came, when the choice finishes.
  expect(fragment([{ index: 2, id: 'call_c', function: { arguments: '{"x"' } }])).toEqual({});
  expect(fragment([{ index: 2, function: { arguments: ':2}' } }], 'tool_calls').tool_calls).toEqual([{ index: 2, id: 'call_c', type: 'function', function: { arguments: '{"x":2}' } }]);
});
