/**
 * A chat completions answer read from its events: a stream as it comes, checked as it goes (it must
 * end with `[DONE]` or a finish reason, every event must be a chunk); and a whole answer that a
 * server sent as a stream although the request said `stream: false` (Unsloth Studio's server),
 * gathered into one completion rather than failed; and the other way round, a whole answer to a
 * stream request, streamed on.
 */
import { UpstreamError } from '../errors';
import { chunksFromCompletion, completionFromChunks, type ChatCompletion, type ChatCompletionChunk } from '../wire/canonical';
import { ofShape } from '../wire/answer-shapes';
import { createChunkNormalizer, normalizeCompletion } from '../wire/normalize';
import { createDetailsCarrier, withDetailsCarried } from '../wire/reasoning-details';
import { failureInAnswer, reportsFailure } from './stream-errors';
import type { OpenStream } from './transport';
import { sniffed, sseEvents, sseEventsIn, wholeText } from './upstream-streams';

/**
 * A chat stream ends with `[DONE]`. Some servers leave it out (ik_llama.cpp, llama-box, gateways in
 * between); their stream is still whole once a chunk has given the answer's finish reason, and only
 * a stream that closes before that was cut short. Others end with `[DONE]` and never give a finish
 * reason (OpenCode Zen's muse models, opencode#43379): the answer is whole, and gets the finish
 * reason clients wait for (the official SDKs fail a stream without one) before it ends.
 */
export async function* chunksOf(sent: OpenStream, providerName: string, origin: string): AsyncGenerator<ChatCompletionChunk> {
  const stream = await sniffed(sent);
  if (stream.contentType.includes('application/json')) {
    yield* chunksFromCompletion(withDetailsCarried(completionIn(await wholeText(stream), providerName), origin));
    return;
  }
  const normalize = createChunkNormalizer();
  // The server's reasoning details, for a translated answer to carry (wire/reasoning-details.ts).
  const carry = createDetailsCarrier(origin);
  let finished = false;
  let last: ChatCompletionChunk | undefined;
  let calls = false;
  const events = sseEvents(stream, { name: '[DONE]', isEnd: (event) => event.data === '[DONE]', wholeAtClose: () => finished });
  for await (const event of events) {
    if (event.data === '[DONE]') {
      // Through the normaliser too: calls it still holds for want of a name go out with it.
      if (!finished && last) {
        const end = normalize({ id: last.id, object: 'chat.completion.chunk', created: last.created, model: last.model, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: calls ? 'tool_calls' : 'stop' }] });
        carry(end);
        yield end;
      }
      return;
    }
    const read = chunkIn(event.data, providerName);
    if (carriesNothing(read)) continue;
    const chunk = normalize(read);
    carry(chunk);
    finished ||= chunk.choices.some((choice) => choice.finish_reason);
    calls ||= chunk.choices.some((choice) => (choice.delta?.tool_calls?.length ?? 0) > 0);
    last = chunk;
    yield chunk;
  }
}

/** A whole answer sent as events: its chunks gathered, or the one completion an event holds whole. Whole as a stream is (above). */
export function completionFromEvents(text: string, providerName: string): ChatCompletion {
  const normalize = createChunkNormalizer();
  const chunks: ChatCompletionChunk[] = [];
  let done = false;
  for (const event of sseEventsIn(text)) {
    if (event.data === '[DONE]') {
      done = true;
      break;
    }
    const chunk = chunkIn(event.data, providerName);
    if (chunk.choices.some((choice) => 'message' in choice)) return normalizeCompletion(chunk as unknown as ChatCompletion);
    if (carriesNothing(chunk)) continue;
    chunks.push(normalize(chunk));
  }
  if (!(done && chunks.length > 0) && !chunks.some((chunk) => chunk.choices.some((choice) => choice.finish_reason))) {
    throw new UpstreamError('upstream_protocol', `${providerName} answered a whole request with an event stream that ends before its finish reason`);
  }
  // Normalised once more for the finish reason a stream that gave none leaves at `stop` after calls.
  return normalizeCompletion(completionFromChunks(chunks));
}

/**
 * A whole answer to a stream request: a server or proxy that does not stream (a company's OpenAI
 * proxy, a server whose streaming is off) answers as JSON, and the answer is streamed on from it.
 */
function completionIn(text: string, providerName: string): ChatCompletion {
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw new UpstreamError('upstream_protocol', `${providerName} answered a stream request with JSON it could not parse`);
  }
  if (reportsFailure(payload)) throw failureInAnswer(providerName, payload, 'failed');
  return normalizeCompletion(ofShape<ChatCompletion>('chat completion', payload, providerName));
}

/**
 * Azure OpenAI's content filter sends events of its own among the chunks, under an empty id and
 * model: the prompt's results first (no choices, no usage) and, with its asynchronous filter,
 * annotations (a choice with results and offsets but no delta), one even after the finish reason.
 * They carry nothing of the answer, and a client written for OpenAI's stream reads
 * `choices[0].delta` of every chunk but the usage's (or takes the first chunk's id), so they stop here.
 */
function carriesNothing(chunk: ChatCompletionChunk): boolean {
  return !chunk.usage && chunk.choices.every((choice) => choice.delta === undefined && !choice.finish_reason && !choice.logprobs);
}

function isUsageWithoutChoices(payload: unknown): payload is Record<string, unknown> {
  const value = payload as { choices?: unknown; usage?: unknown } | null;
  return typeof value === 'object' && value !== null && value.choices === undefined && typeof value.usage === 'object' && value.usage !== null;
}

function chunkIn(data: string, providerName: string): ChatCompletionChunk {
  let payload: unknown;
  try {
    payload = JSON.parse(data);
  } catch {
    throw new UpstreamError('upstream_protocol', `${providerName} sent a stream event that is not JSON`);
  }
  if (reportsFailure(payload)) throw failureInAnswer(providerName, payload);
  // A usage chunk without `choices` (servers that leave out what is empty) is the usage chunk all the same.
  if (isUsageWithoutChoices(payload)) return { ...payload, choices: [] } as unknown as ChatCompletionChunk;
  return ofShape<ChatCompletionChunk>('chat completion chunk', payload, providerName);
}
