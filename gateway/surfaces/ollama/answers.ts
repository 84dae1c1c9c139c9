/**
 * Ollama answers on their way to the client, from either kind of deployment: an Ollama's own lines
 * (passed through under the client's model name) or a canonical answer (translated here, with
 * durations measured by the gateway). Also how they are metered and cached.
 */
import type { StreamFormat } from '../../http/stream-writer';
import { cachedStream, cachedWhole, type AnswerShapes } from '../../routing/answer-cache';
import type { Caching } from '../../routing/router';
import type { OpenedStream } from '../../routing/streams';
import type { RequestUsage } from '../../usage/recorder';
import { meterChunk, meterCompletion } from '../../http/usage-row';
import { chunksFromCompletion, completionFromChunks, isPreambleChunk, type ChatCompletion, type ChatCompletionChunk } from '../../wire/canonical';
import { wholeFromLines } from '../../wire/ollama-whole';
import { asClientModel, createOllamaLineWriter, linesFromWhole, ollamaChatResponse, ollamaGenerateResponse } from './codec';
import { ollamaText, ollamaTokens, ollamaWriting } from './lines';

/** One event of an answer: a line from an Ollama upstream, or a canonical chunk to translate. */
export type OllamaItem = { line: Record<string, unknown> } | { chunk: ChatCompletionChunk };
/** A whole answer: an Ollama upstream's, or a canonical one to translate. */
export type OllamaWhole = { line: Record<string, unknown> } | { completion: ChatCompletion };

/** A line or chunk with nothing of the answer yet: held back while the request may still fall back (routing/streams.ts). */
export function ollamaPreamble(item: OllamaItem): boolean {
  if ('chunk' in item) return isPreambleChunk(item.chunk);
  const message = item.line.message as { thinking?: unknown; tool_calls?: unknown[] } | undefined;
  return item.line.done !== true && ollamaText(item.line) === '' && !message?.thinking && !message?.tool_calls?.length && !item.line.thinking;
}

type Kind = 'chat' | 'generate';

const lines = (objects: object[]) => objects.map((o) => `${JSON.stringify(o)}\n`).join('');

/** Ollama's NDJSON: one object per line, and a final `done: true` object only for a complete answer. */
export function ndjsonFormat(kind: Kind, model: string, started: bigint, usage: RequestUsage | undefined): StreamFormat<OllamaItem> {
  const writer = createOllamaLineWriter(kind, model);
  const elapsed = () => Number(process.hrtime.bigint() - started);
  let translated = false;
  let firstTokenNs: number | undefined;
  return {
    contentType: 'application/x-ndjson',
    event(item) {
      if ('line' in item) {
        const tokens = ollamaTokens(item.line);
        if (tokens) usage?.reported(tokens);
        if (usage) ollamaWriting(item.line, usage);
        return lines([asClientModel(item.line, model)]);
      }
      translated = true;
      meterChunk(usage, item.chunk);
      const out = writer.lines(item.chunk);
      if (out.length > 0) firstTokenNs ??= elapsed();
      return lines(out);
    },
    // An Ollama upstream's own final line has gone out already; a translation ends with one made here.
    end: () => (translated ? lines(writer.finish(elapsed(), firstTokenNs)) : ''),
    error: (_failure, message) => lines([{ error: message }]),
  };
}

export function wholeAnswer(kind: Kind, model: string, whole: OllamaWhole, elapsedNs: number, usage: RequestUsage | undefined): Record<string, unknown> {
  if ('line' in whole) {
    const tokens = ollamaTokens(whole.line);
    if (tokens) usage?.reported(tokens);
    if (usage) ollamaWriting(whole.line, usage);
    usage?.answered();
    return asClientModel(whole.line, model);
  }
  meterCompletion(usage, whole.completion);
  usage?.answered();
  return kind === 'chat' ? ollamaChatResponse(whole.completion, model, elapsedNs) : ollamaGenerateResponse(whole.completion, model, elapsedNs);
}

const shapes: AnswerShapes<OllamaItem, OllamaWhole> = {
  itemsOf: (whole) => ('line' in whole ? linesFromWhole(whole.line).map((line) => ({ line })) : chunksFromCompletion(whole.completion).map((chunk) => ({ chunk }))),
  wholeOf(items) {
    const first = items[0];
    if (first && 'line' in first) return { line: wholeFromLines(items.map((item) => (item as { line: Record<string, unknown> }).line)) };
    return { completion: completionFromChunks(items.map((item) => (item as { chunk: ChatCompletionChunk }).chunk)) };
  },
};

/** Answers are cached at temperature 0 (Ollama's `options.temperature`); each shape serves the other. */
export function answerCache(body: Record<string, unknown>, shape: 'stream'): Caching<OpenedStream<OllamaItem>>;
export function answerCache(body: Record<string, unknown>, shape: 'whole'): Caching<OllamaWhole>;
export function answerCache(body: Record<string, unknown>, shape: 'stream' | 'whole'): Caching<OpenedStream<OllamaItem>> | Caching<OllamaWhole> {
  const repeatable = (body.options as { temperature?: unknown } | undefined)?.temperature === 0;
  return shape === 'stream' ? cachedStream(body, repeatable, shapes) : cachedWhole(body, repeatable, shapes);
}
