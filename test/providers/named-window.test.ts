/** The window an embedding server names when it refuses an input past it, in each server's words. */
import { expect, it } from 'vitest';
import { upstreamStatusError } from '../../gateway/errors';
import { namedWindow } from '../../gateway/refusals';

const refused = (status: number, body: unknown) => upstreamStatusError('embedder', status, {}, JSON.stringify(body));

it("reads OpenAI's, vLLM's and text-embeddings-inference's wording", () => {
  expect(namedWindow(refused(400, { error: { message: "This model's maximum context length is 8192 tokens, however you requested 8610 tokens (8610 in your prompt; 0 for the completion). Please reduce your prompt; or completion length.", type: 'invalid_request_error', param: null, code: null } }))).toBe(8_192);
  expect(namedWindow(refused(400, { object: 'error', message: "This model's maximum context length is 512 tokens. However, you requested 600 tokens in the input for embedding generation. Please reduce the length of the input.", type: 'BadRequestError', param: null, code: 400 }))).toBe(512);
  expect(namedWindow(refused(413, { error: 'Input validation error: `inputs` must have less than 512 tokens. Given: 600', error_type: 'Validation' }))).toBe(512);
});

it('names none where the refusal does not, or is not about the window', () => {
  expect(namedWindow(refused(400, { error: { message: 'Your input exceeds the context window of this model. Please adjust your input and try again.', type: 'invalid_request_error', code: 'context_length_exceeded', param: 'input' } }))).toBeUndefined();
  expect(namedWindow(refused(400, { error: { message: "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", type: 'invalid_request_error' } }))).toBeUndefined();
  expect(namedWindow(refused(500, { error: { message: "This model's maximum context length is 8192 tokens" } }))).toBeUndefined();
});
