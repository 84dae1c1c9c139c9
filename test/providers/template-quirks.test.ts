/** A conversation as a chat template that refused it reads it (gateway/providers/template-quirks.ts). */
import { expect, it } from 'vitest';
import { withArgumentsParsable, withPrefillUnthought, withReasoningOnEveryTurn, withSystemFirst, withTurnsJoined } from '../../gateway/providers/template-quirks';

it('joins runs of user messages, and of assistant messages without tool calls, texts a paragraph apart and parts in order', () => {
  const image = { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } };
  const body = {
    model: 'm',
    messages: [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'look' },
      { role: 'user', content: [{ type: 'text', text: 'at this' }, image] },
      { role: 'assistant', content: 'a cat' },
      { role: 'assistant', content: null },
      { role: 'user', content: 'thanks' },
    ],
  };
  expect(withTurnsJoined(body).messages).toEqual([
    { role: 'system', content: 'be brief' },
    { role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'text', text: 'at this' }, image] },
    { role: 'assistant', content: 'a cat' },
    { role: 'user', content: 'thanks' },
  ]);
});

it('leaves tool calls and their results as they are, and a conversation already in turn untouched', () => {
  const calls = [
    { role: 'user', content: 'weather in Paris and Tokyo?' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'a', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }] },
    { role: 'assistant', content: null, tool_calls: [{ id: 'b', type: 'function', function: { name: 'weather', arguments: '{"city":"Tokyo"}' } }] },
    { role: 'tool', tool_call_id: 'a', content: 'sunny' },
    { role: 'tool', tool_call_id: 'b', content: 'rain' },
    { role: 'assistant', content: 'Sunny in Paris, rain in Tokyo.' },
  ];
  const body = { model: 'm', messages: calls };
  expect(withTurnsJoined(body)).toBe(body);
});

it("sends a history call's arguments that are not a JSON object as an object that keeps their text, and leaves the rest", () => {
  const call = (id: string, args: string) => ({ id, type: 'function', function: { name: 'weather', arguments: args } });
  const body = { model: 'm', messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: null, tool_calls: [call('a', '{"city":"Paris"}'), call('b', '{"city": "Par'), call('c', '[1]')] }] };
  const out = withArgumentsParsable(body).messages as { tool_calls?: { function: { arguments: string } }[] }[];
  expect(out[1]?.tool_calls?.map((c) => c.function.arguments)).toEqual(['{"city":"Paris"}', '{"arguments":"{\\"city\\": \\"Par"}', '{"value":[1]}']);
  expect(out[0]).toBe(body.messages[0]);
  const whole = { model: 'm', messages: [{ role: 'assistant', content: null, tool_calls: [call('a', '{}')] }] };
  expect(withArgumentsParsable(whole)).toBe(whole);
});

it('puts the system messages before the conversation into one, a later one into the user message before it, and leaves one first alone', () => {
  const body = { model: 'm', messages: [{ role: 'system', content: 'agent' }, { role: 'system', content: 'memory' }, { role: 'user', content: 'go' }, { role: 'system', content: 'plan mode' }, { role: 'assistant', content: 'ok' }] };
  expect(withSystemFirst(body).messages).toEqual([{ role: 'system', content: 'agent\n\nmemory' }, { role: 'user', content: 'go\n<system-reminder>\nplan mode\n</system-reminder>' }, { role: 'assistant', content: 'ok' }]);
  const first = { model: 'm', messages: [{ role: 'system', content: 'agent' }, { role: 'user', content: 'go' }] };
  expect(withSystemFirst(first)).toBe(first);
});

it('asks for no thinking only of a conversation that ends in an answer to continue, beside the template arguments sent', () => {
  const prefill = { model: 'm', chat_template_kwargs: { reasoning_effort: 'low' }, messages: [{ role: 'user', content: 'JSON please' }, { role: 'assistant', content: '{' }] };
  expect(withPrefillUnthought(prefill).chat_template_kwargs).toEqual({ reasoning_effort: 'low', enable_thinking: false });
  const asked = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };
  expect(withPrefillUnthought(asked)).toBe(asked);
  const off = { model: 'm', chat_template_kwargs: { enable_thinking: false }, messages: [{ role: 'assistant', content: '{' }] };
  expect(withPrefillUnthought(off)).toBe(off);
});

it('gives an empty reasoning to each assistant turn without one, and keeps those that have one', () => {
  const body = { model: 'm', messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: null, tool_calls: [] }, { role: 'assistant', content: 'done', reasoning_content: 'checked' }] };
  expect(withReasoningOnEveryTurn(body).messages).toEqual([body.messages[0], { role: 'assistant', content: null, tool_calls: [], reasoning_content: '' }, body.messages[2]]);
  const reasoned = { model: 'm', messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'x', reasoning_content: '' }] };
  expect(withReasoningOnEveryTurn(reasoned)).toBe(reasoned);
});
