/**
 * What OpenAI-compatible servers get wrong in a chat stream, mended as its chunks pass, so every
 * client and every translation reads one shape. Gemini (Google's compatibility layer) leaves out
 * each tool call's `index`, sends a call's later argument fragments (and its thought signature on
 * its own) with neither index nor id, and says `finish_reason: "stop"` after tool calls. Clients that
 * follow OpenAI's contract crash on a missing index or glue two calls' arguments together, and run
 * tools only on `tool_calls`.
 */
import type { ChatCompletionChunk } from '../wire/canonical';

type CallDelta = { index?: number; id?: string };

/** Calls remembered by id in one stream. */
const MAX_CALLS = 1_000;

/** A mender for one stream: it remembers the calls each choice has had. */
export function createStreamMender(): (chunk: ChatCompletionChunk) => ChatCompletionChunk {
  const choices = new Map<number, { ids: Map<string, number>; next: number; last: number | undefined }>();
  return (chunk) => {
    for (const choice of chunk.choices) {
      const calls = choice.delta.tool_calls as CallDelta[] | undefined;
      let state = choices.get(choice.index);
      if (calls?.length) {
        state ??= { ids: new Map(), next: 0, last: undefined };
        choices.set(choice.index, state);
        for (const call of calls) {
          let index = call.index;
          if (typeof index !== 'number') {
            // A new id is a new call; no id (or a known one) goes on with the call it names, or the last.
            index = call.id ? (state.ids.get(call.id) ?? state.next) : (state.last ?? state.next);
            call.index = index;
          }
          // Bounded: an answer has a handful of calls, an upstream gone wrong endless ids.
          if (call.id && !state.ids.has(call.id) && state.ids.size < MAX_CALLS) state.ids.set(call.id, index);
          state.last = index;
          state.next = Math.max(state.next, index + 1);
        }
      }
      if (state && choice.finish_reason === 'stop') choice.finish_reason = 'tool_calls';
    }
    return chunk;
  };
}
