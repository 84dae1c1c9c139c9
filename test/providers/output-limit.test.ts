/** The limit an upstream names when it refuses a larger one, in each provider's words. */
import { describe, expect, it } from 'vitest';
import { upstreamStatusError } from '../../gateway/errors';
import { namedOutputLimit, roomLeft } from '../../gateway/refusals';

const refused = (body: unknown) => upstreamStatusError('p', 400, {}, JSON.stringify(body));

describe('a named answer limit', () => {
  it('is read from OpenAI\'s, Anthropic\'s, DeepSeek\'s and Groq\'s refusals', () => {
    expect(namedOutputLimit(refused({ error: { message: 'max_tokens is too large: 32000. This model supports at most 16384 completion tokens, whereas you provided 32000.', type: 'invalid_request_error', param: 'max_tokens', code: 'invalid_value' } }))).toBe(16_384);
    expect(namedOutputLimit(refused({ type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: 64000 > 32000, which is the maximum allowed number of output tokens for claude-opus-4-1-20250805' } }))).toBe(32_000);
    expect(namedOutputLimit(refused({ error: { message: 'Invalid max_tokens value, the valid range of max_tokens is [1, 8192]', type: 'invalid_request_error' } }))).toBe(8_192);
    expect(namedOutputLimit(refused({ error: { message: '`max_completion_tokens` must be less than or equal to `40960`, the maximum value for `max_completion_tokens` is less than the `context_window` for this model', type: 'invalid_request_error' } }))).toBe(40_960);
    expect(namedOutputLimit(refused({ error: { message: 'max_tokens for `llama-3.1-8b-instant` must be less than or equal to 8000', type: 'invalid_request_error' } }))).toBe(8_000);
  });

  it("is read from Ollama's cloud models', DashScope's and Volcengine Ark's refusals", () => {
    expect(namedOutputLimit(refused({ error: { message: "max_tokens (384000) exceeds model's maximum output tokens (65536) for model deepseek-v4-flash:0731", type: 'invalid_request_error' } }))).toBe(65_536);
    expect(namedOutputLimit(refused({ error: { code: 'invalid_parameter_error', message: '<400> InternalError.Algo.InvalidParameter: Range of max_tokens should be [1, 8192]', type: 'invalid_request_error' } }))).toBe(8_192);
    expect(namedOutputLimit(refused({ error: { code: 'InvalidParameter', message: 'The parameter max_tokens specified in the request is not valid: integer above maximum value, expected a value <= 32768, but got 64000 instead. Request id: 02177', param: 'max_tokens', type: 'BadRequest' } }))).toBe(32_768);
  });

  it('is none for another refusal, or a prompt too long', () => {
    expect(namedOutputLimit(refused({ error: { message: "Invalid value for 'temperature': must be at most 2.", type: 'invalid_request_error' } }))).toBeUndefined();
    expect(namedOutputLimit(refused({ error: { message: "This model's maximum context length is 128000 tokens. However, your messages resulted in 130512 tokens.", code: 'context_length_exceeded' } }))).toBeUndefined();
    expect(namedOutputLimit(upstreamStatusError('p', 500, {}, JSON.stringify({ error: { message: 'supports at most 10 completion tokens' } })))).toBeUndefined();
  });
});

describe('the room a prompt left in the window', () => {
  it("is read where a refusal names the window and the prompt: vLLM's, OpenAI's older wording, SGLang's", () => {
    expect(roomLeft(refused({ error: { message: "'max_tokens' or 'max_completion_tokens' is too large: 64000. This model's maximum context length is 64001 tokens and your request has 24235 input tokens (64000 > 64001 - 24235). None", type: 'BadRequestError', param: null, code: 400 } }))).toBe(39_766);
    expect(roomLeft(refused({ error: { message: "This model's maximum context length is 32768 tokens. However, you requested 33000 tokens (1000 in the messages, 32000 in the completion). Please reduce the length of the messages or completion.", type: 'invalid_request_error', code: 'context_length_exceeded' } }))).toBe(31_768);
    expect(roomLeft(refused({ object: 'error', message: "Requested token count exceeds the model's maximum context length of 32768 tokens. You requested a total of 33000 tokens: 1000 tokens from the input messages and 32000 tokens for the completion. Please reduce the number of tokens in the input messages or the completion to fit within the limit.", type: 'BadRequestError', code: 400 }))).toBe(31_768);
  });

  it('is none where the prompt alone fills the window, or the refusal does not name both', () => {
    expect(roomLeft(refused({ error: { message: "This model's maximum context length is 8192 tokens and your request has 9000 input tokens (100 > 8192 - 9000).", code: 400 } }))).toBeUndefined();
    expect(roomLeft(refused({ error: { message: "This model's maximum context length is 128000 tokens. However, your messages resulted in 130512 tokens.", code: 'context_length_exceeded' } }))).toBeUndefined();
  });
});
