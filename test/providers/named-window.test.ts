/** The window an embedding server names when it refuses an input past it, in each server's words. */
import { expect, it } from 'vitest';
import { upstreamStatusError } from '../../gateway/errors';
import { namedWindow } from '../../gateway/refusals';

const refused = (status: number, body: unknown) => upstreamStatusError('embedder', status, {}, JSON.stringify(body));

it("reads OpenAI's, vLLM's, text-embeddings-inference's and llama.cpp's wording", () => {
  expect(namedWindow(refused(400, { error: { message: "This model's maximum context length is 8192 tokens, however you requested 8610 tokens (8610 in your prompt; 0 for the completion). Please reduce your prompt; or completion length.", type: 'invalid_request_error', param: null, code: null } }))).toBe(8_192);
  expect(namedWindow(refused(400, { object: 'error', message: "This model's maximum context length is 512 tokens. However, you requested 600 tokens in the input for embedding generation. Please reduce the length of the input.", type: 'BadRequestError', param: null, code: 400 }))).toBe(512);
  expect(namedWindow(refused(413, { error: 'Input validation error: `inputs` must have less than 512 tokens. Given: 600', error_type: 'Validation' }))).toBe(512);
  // llama.cpp's server, with a 500: an input it cannot take, not a server down.
  const llamaCpp = refused(500, { error: { code: 500, message: 'input (992 tokens) is too large to process. increase the physical batch size (current batch size: 512)', type: 'server_error' } });
  expect(llamaCpp.failure).toBe('context_length');
  expect(namedWindow(llamaCpp)).toBe(512);
});

it('names none where the refusal does not, or is not about the window', () => {
  expect(namedWindow(refused(400, { error: { message: 'Your input exceeds the context window of this model. Please adjust your input and try again.', type: 'invalid_request_error', code: 'context_length_exceeded', param: 'input' } }))).toBeUndefined();
  expect(namedWindow(refused(400, { error: { message: "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", type: 'invalid_request_error' } }))).toBeUndefined();
  expect(namedWindow(refused(500, { error: { code: 500, message: 'input is too large to process. increase the physical batch size', type: 'server_error' } }))).toBeUndefined();
  expect(namedWindow(refused(503, { error: { message: 'Service Unavailable' } }))).toBeUndefined();
});
