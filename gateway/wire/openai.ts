/**
 * The OpenAI chat-completions shape is the gateway's canonical format (the field's lingua franca):
 * every inbound API translates to it and every provider adapter from it. Types come from the
 * official SDK, which is generated from OpenAI's OpenAPI spec.
 */
import { randomBytes } from 'node:crypto';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParams,
} from 'openai/resources/chat/completions';
import type { CreateEmbeddingResponse, EmbeddingCreateParams } from 'openai/resources/embeddings';

export type ChatRequest = ChatCompletionCreateParams;
export type EmbeddingRequest = EmbeddingCreateParams;
export type { ChatCompletion, ChatCompletionChunk, CreateEmbeddingResponse };

export const SSE_DONE = 'data: [DONE]\n\n';

export function sseData(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

export function newCompletionId(): string {
  return `chatcmpl-${randomBytes(12).toString('base64url')}`;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

const FINISH_REASONS = new Set(['stop', 'length', 'tool_calls', 'content_filter', 'function_call']);

/**
 * Fills the fields the spec requires but many OpenAI-compatible servers omit (`logprobs`,
 * `message.refusal`, a known `finish_reason`), so every response we send validates.
 */
export function normalizeCompletion(completion: ChatCompletion): ChatCompletion {
  completion.object = 'chat.completion';
  for (const choice of completion.choices ?? []) {
    choice.logprobs ??= null;
    if (!FINISH_REASONS.has(choice.finish_reason)) choice.finish_reason = 'stop';
    const message = choice.message;
    message.content ??= null;
    message.refusal ??= null;
    message.role = 'assistant';
  }
  return completion;
}

export function normalizeChunk(chunk: ChatCompletionChunk): ChatCompletionChunk {
  chunk.object = 'chat.completion.chunk';
  for (const choice of chunk.choices ?? []) {
    if (choice.finish_reason === undefined || (choice.finish_reason !== null && !FINISH_REASONS.has(choice.finish_reason))) {
      choice.finish_reason = choice.finish_reason ? 'stop' : null;
    }
    choice.delta ??= {};
  }
  return chunk;
}

/** The chunk that carries only `usage` (sent last when `stream_options.include_usage` is set). */
export function isUsageOnlyChunk(chunk: ChatCompletionChunk): boolean {
  return chunk.choices.length === 0 && chunk.usage != null;
}

/** Whether a finished stream said how it finished: a stream without it was cut short. */
export function hasFinishReason(chunk: ChatCompletionChunk): boolean {
  return chunk.choices.some((c) => c.finish_reason != null);
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

/** The inverse of `encodeEmbeddings`, for upstreams that answer in base64. */
export function decodeEmbedding(value: number[] | string): number[] {
  if (typeof value !== 'string') return value;
  const bytes = Buffer.from(value, 'base64');
  return Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));
}
