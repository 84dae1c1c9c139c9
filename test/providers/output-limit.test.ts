/** The limit an upstream names when it refuses a larger one, in each provider's words. */
import { describe, expect, it } from 'vitest';
import { namedOutputLimit, upstreamStatusError } from '../../gateway/errors';

const refused = (body: unknown) => upstreamStatusError('p', 400, {}, JSON.stringify(body));

describe('a named answer limit', () => {
  it('is read from OpenAI\'s, Anthropic\'s, DeepSeek\'s and Groq\'s refusals', () => {
    expect(namedOutputLimit(refused({ error: { message: 'max_tokens is too large: 32000. This model supports at most 16384 completion tokens, whereas you provided 32000.', type: 'invalid_request_error', param: 'max_tokens', code: 'invalid_value' } }))).toBe(16_384);
    expect(namedOutputLimit(refused({ type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: 64000 > 32000, which is the maximum allowed number of output tokens for claude-opus-4-1-20250805' } }))).toBe(32_000);
    expect(namedOutputLimit(refused({ error: { message: 'Invalid max_tokens value, the valid range of max_tokens is [1, 8192]', type: 'invalid_request_error' } }))).toBe(8_192);
    expect(namedOutputLimit(refused({ error: { message: '`max_completion_tokens` must be less than or equal to `40960`, the maximum value for `max_completion_tokens` is less than the `context_window` for this model', type: 'invalid_request_error' } }))).toBe(40_960);
    expect(namedOutputLimit(refused({ error: { message: 'max_tokens for `llama-3.1-8b-instant` must be less than or equal to 8000', type: 'invalid_request_error' } }))).toBe(8_000);
  });

  it('is none for another refusal, or a prompt too long', () => {
    expect(namedOutputLimit(refused({ error: { message: "Invalid value for 'temperature': must be at most 2.", type: 'invalid_request_error' } }))).toBeUndefined();
    expect(namedOutputLimit(refused({ error: { message: "This model's maximum context length is 128000 tokens. However, your messages resulted in 130512 tokens.", code: 'context_length_exceeded' } }))).toBeUndefined();
    expect(namedOutputLimit(upstreamStatusError('p', 500, {}, JSON.stringify({ error: { message: 'supports at most 10 completion tokens' } })))).toBeUndefined();
  });
});
