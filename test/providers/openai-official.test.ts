/**
 * What changes in a request sent to OpenAI's own API (api.openai.com, which no loopback fake can
 * stand in for by name): the limit goes as max_completion_tokens, which its reasoning models
 * require, reasoning in the history is left out, which it refuses, and so are the sampling
 * settings its reasoning models refuse and the reasoning its other models refuse.
 */
import { describe, expect, it } from 'vitest';
import { forOfficialOpenAI, responsesForOfficialOpenAI } from '../../gateway/providers/openai';
import type { ChatRequest } from '../../gateway/wire/canonical';

const base: ChatRequest = { model: 'gpt-5', messages: [{ role: 'user', content: 'hi' }] };

describe('a chat completion for OpenAI itself', () => {
  it('carries its limit as max_completion_tokens, never max_tokens (o-series and gpt-5 refuse it)', () => {
    expect(forOfficialOpenAI({ ...base, max_tokens: 32_000 }, 'gpt-5')).toEqual({ ...base, max_completion_tokens: 32_000 });
    // A client that sent both meant the newer one.
    expect(forOfficialOpenAI({ ...base, max_tokens: 10, max_completion_tokens: 20 }, 'gpt-5')).toEqual({ ...base, max_completion_tokens: 20 });
    expect(forOfficialOpenAI({ ...base, max_tokens: null }, 'gpt-5')).toEqual(base);
    expect(forOfficialOpenAI(base, 'gpt-5')).toBe(base);
  });

  it('leaves reasoning out of the history it is sent', () => {
    const history = { ...base, messages: [...base.messages, { role: 'assistant', content: 'ok', reasoning_content: 'because' } as ChatRequest['messages'][number], { role: 'user', content: 'more' } as ChatRequest['messages'][number]] };
    expect(forOfficialOpenAI(history, 'gpt-4.1').messages[1]).toEqual({ role: 'assistant', content: 'ok' });
  });

  it('leaves out a temperature and top_p its reasoning models refuse, and keeps them where they are taken', () => {
    const sampled = { ...base, temperature: 0.2, top_p: 0.9 };
    for (const model of ['gpt-5', 'gpt-5-mini', 'gpt-5.2-codex', 'o3', 'o4-mini', 'codex-mini-latest']) expect(forOfficialOpenAI(sampled, model), model).toEqual(base);
    for (const model of ['gpt-4.1-mini', 'gpt-4o', 'gpt-5-chat-latest', 'gpt-5.1-chat-latest']) expect(forOfficialOpenAI(sampled, model), model).toBe(sampled);
    // With reasoning off, gpt-5.1 onwards take them.
    expect(forOfficialOpenAI({ ...sampled, reasoning_effort: 'none' } as ChatRequest, 'gpt-5.1')).toMatchObject({ temperature: 0.2, top_p: 0.9 });
  });

  it('leaves out a reasoning effort the models that do not reason refuse, and keeps it for those that do', () => {
    const effort = { ...base, reasoning_effort: 'medium' } as ChatRequest;
    for (const model of ['gpt-4.1-mini', 'gpt-4o', 'gpt-5-chat-latest', 'ft:gpt-4.1-mini:acme::x']) expect(forOfficialOpenAI(effort, model), model).toEqual(base);
    for (const model of ['gpt-5', 'o4-mini', 'ft:o4-mini:acme::y']) expect(forOfficialOpenAI(effort, model), model).toBe(effort);
  });
});

describe('a Responses request for OpenAI itself', () => {
  // As Codex sends every turn.
  const codex = {
    model: 'x',
    input: [{ type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'gAAA' }, { role: 'user', content: 'hi' }],
    reasoning: { effort: 'medium', summary: 'auto' },
    include: ['reasoning.encrypted_content'],
    store: false,
  };

  it('leaves reasoning out for a model that does not reason, and as it is for one that does', () => {
    expect(responsesForOfficialOpenAI(codex, 'gpt-4.1-mini')).toEqual({ model: 'x', input: [{ role: 'user', content: 'hi' }], store: false });
    expect(responsesForOfficialOpenAI({ ...codex, include: ['reasoning.encrypted_content', 'message.output_text.logprobs'] }, 'gpt-4.1')).toMatchObject({ include: ['message.output_text.logprobs'] });
    expect(responsesForOfficialOpenAI(codex, 'gpt-5.5')).toBe(codex);
  });
});
