/**
 * The carrier of another server's reasoning details (wire/reasoning-details.ts) on its own: a whole
 * answer's details carried beside them, a stream's joined by index and bounded, and given back only
 * to the origin that gave them, never over a turn's own.
 */
import { describe, expect, it } from 'vitest';
import type { ChatCompletion, ChatRequest } from '../../gateway/wire/canonical';
import { createDetailsJoiner, detailsFrom, withDetailsCarried, withDetailsReturned } from '../../gateway/wire/reasoning-details';

const OPENROUTER = 'https://openrouter.ai';
const details = [{ type: 'reasoning.encrypted', data: 'sig', id: 'call_1', format: 'google-gemini-v1', index: 0 }];

describe('reasoning details carried', () => {
  it("carries a whole answer's, and gives them back to their origin alone", () => {
    const completion = { id: 'c', object: 'chat.completion', created: 0, model: 'm', choices: [{ index: 0, finish_reason: 'tool_calls', logprobs: null, message: { role: 'assistant', content: null, refusal: null, reasoning_details: details } }] } as unknown as ChatCompletion;
    const signed = (withDetailsCarried(completion, OPENROUTER).choices[0]!.message as { signed_thinking?: never[] }).signed_thinking;
    expect(signed).toHaveLength(1);
    const request = { model: 'm', messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: null, signed_thinking: signed }] } as unknown as ChatRequest;
    expect(withDetailsReturned(request, OPENROUTER).messages[1]).toMatchObject({ reasoning_details: details });
    expect(withDetailsReturned(request, 'https://api.openai.com').messages[1]).not.toHaveProperty('reasoning_details');
    // A turn that has its own (a chat client that keeps them) keeps those.
    const own = { ...request, messages: [request.messages[0], { ...request.messages[1], reasoning_details: ['mine'] }] } as unknown as ChatRequest;
    expect(withDetailsReturned(own, OPENROUTER).messages[1]).toMatchObject({ reasoning_details: ['mine'] });
    expect(detailsFrom([{ type: 'redacted_thinking', data: 'switchyard-thinking-v1:details:%%%' }], OPENROUTER)).toBeUndefined();
  });

  it("joins a stream's fragments by index, and keeps at most 64 items", () => {
    const joiner = createDetailsJoiner();
    joiner.add([{ type: 'reasoning.text', text: 'Let ', index: 0 }]);
    joiner.add([{ text: 'me.', signature: 'abc', index: 0 }, { type: 'reasoning.encrypted', data: 'x', index: 1 }]);
    joiner.add('not a list');
    expect(joiner.joined()).toEqual([{ type: 'reasoning.text', text: 'Let me.', signature: 'abc', index: 0 }, { type: 'reasoning.encrypted', data: 'x', index: 1 }]);
    for (let i = 2; i < 100; i++) joiner.add([{ type: 'reasoning.encrypted', data: String(i), index: i }]);
    expect(joiner.joined()).toHaveLength(64);
  });
});
