/**
 * Stop sequences the gateway applies itself, for servers that do not take them all: OpenAI's API takes
 * at most four ("Invalid 'stop': array too long") and its reasoning models none ("'stop' is not
 * supported with this model"), Anthropic's refuses one that is only whitespace ("each stop sequence
 * must contain non-whitespace"), which editors send for one-line completions, and the Responses API
 * has none. A server is sent the ones it takes; the answer is cut where a server would have cut it:
 * before the first stop sequence, with finish reason `stop`. An answer a server already cut holds no
 * stop sequence, so applying them all again changes nothing.
 */
import type { ChatCompletion, ChatCompletionChunk, ChatRequest, Delta } from './canonical';

/** The request's stop sequences as a list (one string is a list of one). */
export function stopsOf(request: ChatRequest): string[] {
  const stop = request.stop;
  if (stop == null) return [];
  return (Array.isArray(stop) ? stop : [stop]).filter((s) => typeof s === 'string' && s !== '');
}

/** The request with only the stop sequences a server takes (none: no `stop` at all). */
export function withStopsTaken(request: ChatRequest, takes: (stop: string, index: number) => boolean): ChatRequest {
  if (request.stop == null) return request;
  const taken = stopsOf(request).filter(takes);
  const { stop: _all, ...rest } = request;
  return taken.length > 0 ? { ...rest, stop: taken } : rest;
}

/**
 * Where the text first meets a stop sequence, or -1. Its first `checked` characters held none whole,
 * so each is looked for only where it would end after them: a chunk costs its own length and the
 * stop sequences' (at most 1,000 characters each, by the front doors' schemas), never the answer's.
 */
function firstStop(text: string, stops: readonly string[], checked = 0): { at: number; stop: string } {
  let at = -1;
  let found = '';
  for (const stop of stops) {
    const i = text.indexOf(stop, Math.max(0, checked - stop.length + 1));
    if (i >= 0 && (at < 0 || i < at)) {
      at = i;
      found = stop;
    }
  }
  return { at, stop: found };
}

/** A whole answer cut before its first stop sequence (its tool calls with it: the model stopped before them). */
export function completionStopped(completion: ChatCompletion, stops: readonly string[]): ChatCompletion {
  const choice = completion.choices[0];
  const content = choice?.message.content;
  if (!choice || stops.length === 0 || typeof content !== 'string') return completion;
  const { at, stop } = firstStop(content, stops);
  if (at < 0) return completion;
  const { tool_calls: _after, ...message } = choice.message;
  // `stop_reason` names the stop sequence, as vLLM does (stopSequenceOf).
  const stopped = { ...choice, message: { ...message, content: content.slice(0, at) }, finish_reason: 'stop' as const, stop_reason: stop };
  return { ...completion, choices: [stopped, ...completion.choices.slice(1)] };
}

/**
 * A stream cut before its first stop sequence: the text that may be the start of one is held back
 * until the next text tells (at most the longest stop's length less one character), and at a stop
 * the stream ends there with finish reason `stop`, the upstream's stream closed as a server stops
 * generating. Its counts then come from the gateway's estimate, as for any stream without them.
 * The finish names the stop sequence met (`stop_reason`, as vLLM's does).
 */
export async function* chunksStopped(chunks: AsyncIterable<ChatCompletionChunk>, stops: readonly string[]): AsyncGenerator<ChatCompletionChunk> {
  if (stops.length === 0) return yield* chunks;
  const hold = Math.max(...stops.map((s) => s.length)) - 1;
  let held = '';
  let last: ChatCompletionChunk | undefined;
  // Text held back, given out before the chunk that shows none follows (a usage-only chunk's counts stay on it alone).
  const withContent = ({ id, object, created, model }: ChatCompletionChunk, content: string): ChatCompletionChunk => ({
    id,
    object,
    created,
    model,
    choices: [{ index: 0, delta: { content }, logprobs: null, finish_reason: null }],
  });
  for await (const chunk of chunks) {
    const choice = chunk.choices[0];
    const delta = choice?.delta as Delta | undefined;
    if (!choice || typeof delta?.content !== 'string' || delta.content === '') {
      // Before a finish (or a usage-only chunk, after it), what was held back goes out: no stop follows.
      if (held && (choice?.finish_reason || !choice)) {
        yield withContent(chunk, held);
        held = '';
      }
      yield chunk;
      continue;
    }
    last = chunk;
    const text = held + delta.content;
    const { at, stop } = firstStop(text, stops, held.length);
    if (at >= 0) {
      if (at > 0) yield { ...chunk, choices: [{ ...choice, delta: { ...delta, content: text.slice(0, at) }, finish_reason: null }] };
      yield { ...chunk, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop', stop_reason: stop } as ChatCompletionChunk['choices'][number]] };
      return;
    }
    // A chunk that finishes the answer lets nothing wait.
    const finishing = choice.finish_reason != null;
    const out = finishing ? text : text.slice(0, Math.max(0, text.length - hold));
    held = text.slice(out.length);
    const { content: _content, ...others } = delta;
    if (out || finishing || Object.keys(others).length > 0) yield { ...chunk, choices: [{ ...choice, delta: out ? { ...others, content: out } : others }] };
  }
  if (held && last) yield withContent(last, held);
}
