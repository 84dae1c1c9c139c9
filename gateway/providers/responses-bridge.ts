/**
 * Chat through the Responses API (wire/responses.ts), for the models only it serves (OpenAI's `-pro`
 * and `-codex` models answer a chat completion with "This model is only supported in v1/responses")
 * and for providers whose config lists Responses but not chat (relays that speak nothing else). A
 * model that refuses chat so is asked through Responses at once, and from then on.
 */
import { UpstreamError } from '../errors';
import type { ChatCompletionChunk } from '../wire/canonical';
import { createResponsesChunkTranslator } from '../wire/responses';
import type { LearnerMemory, NativeEvent } from './types';

const ONLY_RESPONSES = /only supported in v1\/responses/i;
/** Models remembered per server: any number of models may be asked for. */
const MAX_MODELS = 1_000;

export function createResponsesBridge(speaksOnlyResponses: boolean, memory?: LearnerMemory<true>) {
  const learned = memory?.learned ?? new Map<string, true>();
  return {
    /** The answer by chat where the model takes it, else by `bridged`. */
    via<T>(model: string, chat: () => Promise<T>, bridged: () => Promise<T>): Promise<T> {
      if (speaksOnlyResponses || learned.has(model)) return bridged();
      // No async frame of its own: this wraps every chat request to an OpenAI-compatible server.
      return chat().catch((error: unknown) => {
        if (!(error instanceof UpstreamError) || !ONLY_RESPONSES.test((error.upstreamError?.message ?? '').slice(0, 2_000))) throw error;
        if (learned.size < MAX_MODELS) learned.set(model, true);
        memory?.remember(model, true);
        return bridged();
      });
    },
  };
}

/** A Responses stream's events as chat chunks. */
export async function* chunksFromResponses(events: AsyncIterable<NativeEvent>): AsyncGenerator<ChatCompletionChunk> {
  const translate = createResponsesChunkTranslator();
  for await (const event of events) yield* translate(event);
}
