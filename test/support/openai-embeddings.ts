/**
 * `/v1/embeddings` as the fake OpenAI serves it, within OpenAI's limits (its API reference, and
 * the errors its clients have met): an empty text, or more than 2,048 inputs, is "'$.input' is
 * invalid"; an input of more than 8,192 tokens is "This model's maximum context length is 8192
 * tokens, however you requested N tokens (...)"; more than 300,000 tokens summed over the inputs is
 * "Requested N tokens, max 300000 tokens per request". Tokens are counted as OpenAI's embedding models
 * count them (cl100k). A list of numbers is one input, as token ids. Vectors are the same four numbers for each index (fakeVector).
 */
import type { ServerResponse } from 'node:http';
import { countTokens } from 'gpt-tokenizer/encoding/cl100k_base';
import { sendJson, type FailureMode, type RecordedRequest } from './fake-server';

const MAX_INPUTS = 2_048;
const MAX_TOKENS_PER_REQUEST = 300_000;
const WINDOW = 8_192;
const AS_TEXT = { disallowedSpecial: new Set<string>() };
const INVALID_INPUT = { message: "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", type: 'invalid_request_error', param: null, code: null };

export function embeddings(request: RecordedRequest, res: ServerResponse, mode: FailureMode): void {
  const body = request.body;
  if (mode.kind === 'malformed-json') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"data": [');
    return;
  }
  const inputs: unknown[] = Array.isArray(body.input) && typeof body.input[0] !== 'number' ? body.input : [body.input];
  if (inputs.length > MAX_INPUTS || inputs.some((input) => input === '' || (Array.isArray(input) && input.length === 0))) return sendJson(res, 400, { error: INVALID_INPUT });
  const counts = inputs.map((input) => (typeof input === 'string' ? countTokens(input, AS_TEXT) : Array.isArray(input) ? input.length : 0));
  const longest = Math.max(...counts);
  if (longest > WINDOW) {
    const message = `This model's maximum context length is ${WINDOW} tokens, however you requested ${longest} tokens (${longest} in your prompt; 0 for the completion). Please reduce your prompt; or completion length.`;
    return sendJson(res, 400, { error: { message, type: 'invalid_request_error', param: null, code: null } });
  }
  const tokens = counts.reduce((sum, count) => sum + count, 0);
  if (tokens > MAX_TOKENS_PER_REQUEST) {
    return sendJson(res, 400, { error: { message: `Requested ${tokens} tokens, max ${MAX_TOKENS_PER_REQUEST} tokens per request`, type: 'max_tokens_per_request', param: null, code: 'max_tokens_per_request' } });
  }
  const data = inputs.map((_, index) => {
    const vector = fakeVector(index);
    const embedding = body.encoding_format === 'base64' ? Buffer.from(Float32Array.from(vector).buffer).toString('base64') : vector;
    return { object: 'embedding', index, embedding };
  });
  sendJson(res, 200, { object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
}

/** Values exactly representable as float32, so base64 round trips compare equal. */
export function fakeVector(index: number): number[] {
  return [index + 0.5, 0.25, -1, 0.125];
}
