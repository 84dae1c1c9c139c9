/** A conversation as a chat template that refused it reads it (gateway/providers/template-quirks.ts). */
import { expect, it } from 'vitest';
import { withArgumentsParsable, withTurnsJoined } from '../../gateway/providers/template-quirks';

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
