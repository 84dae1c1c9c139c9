/** OpenAI's wire on the way out: SSE chunks ending in `[DONE]`, its error body, base64 embeddings. */
import type { StreamFormat } from '../../http/stream-writer';
import { openAIError, type WireError } from '../../http/wire-errors';
import type { RequestUsage } from '../../usage/recorder';
import { meterChunk } from '../../http/usage-row';
import { functionCallChunk } from '../../wire/legacy-functions';
import { isUsageOnlyChunk, reasoningForChatClients, type ChatCompletion, type ChatCompletionChunk, type CreateEmbeddingResponse, type Delta, type Message } from '../../wire/canonical';

export const SSE_DONE = 'data: [DONE]\n\n';

export function sseData(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

export function openAIErrorBody(wire: WireError): unknown {
  return { error: openAIError(wire) };
}

/**
 * OpenAI's SSE: `data: {chunk}` events, `data: [DONE]` at the end, the usage chunk only when asked
 * for; `functionCalls`: a tool call as the old API's `function_call`, for a client that asked in it.
 */
export function sseFormat(includeUsage: boolean, usage: RequestUsage | undefined, functionCalls = false): StreamFormat<ChatCompletionChunk> {
  return {
    contentType: 'text/event-stream; charset=utf-8',
    event(chunk) {
      meterChunk(usage, chunk);
      for (const choice of chunk.choices) reasoningForChatClients(choice.delta as Delta);
      if (!includeUsage && isUsageOnlyChunk(chunk)) return '';
      return sseData(functionCalls ? functionCallChunk(chunk) : chunk);
    },
    end: () => SSE_DONE,
    error: (failure, message) => sseData({ error: openAIError({ status: 502, message, type: 'api_error', param: null, code: failure.failure }) }),
  };
}

/** A whole completion as chat clients read it: reasoning under both its names. */
export function chatAnswer(completion: ChatCompletion): ChatCompletion {
  for (const choice of completion.choices) reasoningForChatClients(choice.message as Message);
  return completion;
}

/** Embeddings travel as floats inside the gateway; base64 is little-endian float32, as OpenAI sends. */
export function encodeEmbeddings(response: CreateEmbeddingResponse, format: 'float' | 'base64' | undefined): CreateEmbeddingResponse {
  if (format !== 'base64') return response;
  return {
    ...response,
    data: response.data.map((item) => {
      const embedding = item.embedding as unknown;
      if (typeof embedding === 'string') return item;
      const floats = Float32Array.from(embedding as number[]);
      return { ...item, embedding: Buffer.from(floats.buffer).toString('base64') as unknown as number[] };
    }),
  };
}
