/** A conversation as a template that takes user and assistant only in turn reads it (gateway/providers/alternating-turns.ts). */
import { expect, it } from 'vitest';
import { withTurnsJoined } from '../../gateway/providers/alternating-turns';

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
