/**
 * What changes in a chat completion sent to OpenAI's own API (api.openai.com, which no loopback
 * fake can stand in for by name): the limit goes as max_completion_tokens, which its reasoning
 * models require, and reasoning in the history is left out, which it refuses.
 */
import { describe, expect, it } from 'vitest';
import { forOfficialOpenAI } from '../../gateway/providers/openai';
import type { ChatRequest } from '../../gateway/wire/canonical';

const base: ChatRequest = { model: 'gpt-5', messages: [{ role: 'user', content: 'hi' }] };

describe('a chat completion for OpenAI itself', () => {
  it('carries its limit as max_completion_tokens, never max_tokens (o-series and gpt-5 refuse it)', () => {
    expect(forOfficialOpenAI({ ...base, max_tokens: 32_000 })).toEqual({ ...base, max_completion_tokens: 32_000 });
    // A client that sent both meant the newer one.
    expect(forOfficialOpenAI({ ...base, max_tokens: 10, max_completion_tokens: 20 })).toEqual({ ...base, max_completion_tokens: 20 });
    expect(forOfficialOpenAI({ ...base, max_tokens: null })).toEqual(base);
    expect(forOfficialOpenAI(base)).toBe(base);
  });

  it('leaves reasoning out of the history it is sent', () => {
    const history = { ...base, messages: [...base.messages, { role: 'assistant', content: 'ok', reasoning_content: 'because' } as ChatRequest['messages'][number], { role: 'user', content: 'more' } as ChatRequest['messages'][number]] };
    expect(forOfficialOpenAI(history).messages[1]).toEqual({ role: 'assistant', content: 'ok' });
  });
});
