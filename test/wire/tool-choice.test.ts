/** A chat request's tool_choice as the servers without one read it: every shape, malformed ones too. */
import { expect, it } from 'vitest';
import type { ChatRequest } from '../../gateway/wire/canonical';
import { toolsChosen } from '../../gateway/wire/tool-choice';

const fn = (name: string) => ({ type: 'function' as const, function: { name, parameters: {} } });
const read = (tool_choice: unknown, tools: unknown[] = [fn('a'), fn('b')]) => {
  const chosen = toolsChosen({ model: 'm', messages: [], tools, tool_choice } as unknown as ChatRequest);
  return [chosen.allowed.map((t) => t.function.name), chosen.named, chosen.mode];
};

it('reads each shape OpenAI defines', () => {
  expect(read(undefined)).toEqual([['a', 'b'], undefined, 'auto']);
  expect(read('auto')).toEqual([['a', 'b'], undefined, 'auto']);
  expect(read('none')).toEqual([['a', 'b'], undefined, 'none']);
  expect(read('required')).toEqual([['a', 'b'], undefined, 'required']);
  expect(read({ type: 'function', function: { name: 'b' } })).toEqual([['b'], 'b', 'required']);
  expect(read({ type: 'function', function: { name: 'z' } })).toEqual([[], 'z', 'required']);
  expect(read({ type: 'allowed_tools', allowed_tools: { mode: 'required', tools: [{ type: 'function', function: { name: 'a' } }] } })).toEqual([['a'], undefined, 'required']);
});

it('reads a Responses-style flat name, and anything malformed as no choice', () => {
  expect(read({ type: 'function', name: 'a' })).toEqual([['a'], 'a', 'required']);
  for (const odd of [{ type: 'function', function: null }, { type: 'function' }, { type: 'allowed_tools' }, { type: 'allowed_tools', allowed_tools: { tools: 'a' } }, { type: 'custom', custom: { name: 'x' } }, 7, null]) {
    expect(read(odd)).toEqual([['a', 'b'], undefined, 'auto']);
  }
  expect(read('none', [null, { type: 'function' }, { type: 'custom', custom: { name: 'c' } }, fn('a')])).toEqual([['a'], undefined, 'none']);
});
